/**
 * A template's commitment blueprints as the commitments of a memorandum made from it: the lead party
 * (the one chosen for the blueprint, else the coordinating organisation when it is a party), the due
 * date `dueAfterMonths` after the effective date, or the recurrence as written (its occurrences start
 * at the effective date and stay within the term: libs/commitments). Pure: no Nest, no database.
 */
import { FieldError } from '@kelisim/platform';
import { CommitmentBlueprint } from './template.entity';

export interface BlueprintLead {
  key: string;
  leadOrganisationId: string;
  organisationIds?: string[];
}

export interface BlueprintCommitment {
  key: string;
  title: string;
  description?: string;
  clauseRef?: string;
  leadOrganisationId: string;
  organisationIds?: string[];
  dueDate?: string;
  rrule?: string;
}

/** `date` (YYYY-MM-DD) plus `months`, the day clamped to the month's last (2021-08-31 + 6 → 2022-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month + 1)}-${pad(Math.min(d, last))}`;
}

/** The commitments to create, or every problem: a lead that is not a party, a lead for no blueprint, … */
export function blueprintCommitments(
  blueprints: CommitmentBlueprint[],
  leads: BlueprintLead[],
  context: { partyIds: string[]; coordinatingOrganisationId: string; effectiveDate: string | null },
): { commitments: BlueprintCommitment[]; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const parties = new Set(context.partyIds.map((p) => p.toLowerCase()));
  const keys = new Set(blueprints.map((b) => b.key));
  leads.forEach((l, i) => {
    if (!keys.has(l.key))
      problems.push({
        field: `blueprintLeads[${i}].key`,
        message: `${l.key} is not a commitment blueprint of this template`,
      });
    else if (leads.findIndex((x) => x.key === l.key) !== i)
      problems.push({ field: `blueprintLeads[${i}].key`, message: `${l.key} is given twice` });
  });
  const commitments: BlueprintCommitment[] = [];
  for (const b of blueprints) {
    const chosen = leads.find((l) => l.key === b.key);
    const field = `blueprintLeads.${b.key}`;
    const coordinator = context.coordinatingOrganisationId.toLowerCase();
    const lead = chosen?.leadOrganisationId.toLowerCase() ?? (parties.has(coordinator) ? coordinator : null);
    if (!lead) {
      problems.push({
        field,
        message: `"${b.title}" needs a lead party: choose one (the coordinating organisation is not a party)`,
      });
      continue;
    }
    if (!parties.has(lead)) {
      problems.push({ field, message: `${lead} (lead of "${b.title}") is not a party of the memorandum` });
      continue;
    }
    const others = (chosen?.organisationIds ?? []).map((o) => o.toLowerCase());
    const stranger = others.find((o) => !parties.has(o));
    if (stranger) {
      problems.push({ field: `${field}.organisationIds`, message: `${stranger} is not a party of the memorandum` });
      continue;
    }
    let dueDate: string | undefined;
    if (b.dueAfterMonths !== undefined && !b.rrule) {
      if (!context.effectiveDate) {
        problems.push({
          field: `commitmentBlueprints.${b.key}`,
          message: `"${b.title}" is due ${b.dueAfterMonths} months after the effective date: give the memorandum one`,
        });
        continue;
      }
      dueDate = addMonths(context.effectiveDate, b.dueAfterMonths);
    }
    commitments.push({
      key: b.key,
      title: b.title,
      ...(b.description ? { description: b.description } : {}),
      ...(b.clauseRef ? { clauseRef: b.clauseRef } : {}),
      leadOrganisationId: lead,
      ...(others.length ? { organisationIds: [...new Set(others.filter((o) => o !== lead))] } : {}),
      ...(dueDate ? { dueDate } : {}),
      ...(b.rrule ? { rrule: b.rrule } : {}),
    });
  }
  return { commitments, problems };
}
