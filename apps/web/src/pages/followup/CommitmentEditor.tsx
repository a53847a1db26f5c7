/**
 * The form of a commitment's terms: adding a text commitment to an amendment's draft, changing
 * one the amendment proposes, changing a plan commitment while active. The API decides (dates
 * within the term, parties, RRULE); a refused field is shown on the field in the user's language.
 */
import { useId, useState } from 'react';
import { ApiFailure, type Memorandum } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { fieldName, useFieldErrorText } from '../../components/fieldErrors';
import { Field } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useT } from '../../i18n';
import type { Commitment } from './common';
import { OtherPartiesChecks } from './OtherParties';
import { useRuleWords } from './RuleWords';

export interface CommitmentTerms {
  title: string;
  description: string | null;
  clauseRef: string | null;
  leadOrganisationId: string;
  organisationIds: string[];
  dueDate: string | null;
  rrule: string | null;
  target: { quantity: number; unit: string } | null;
}

interface Props {
  m: Memorandum;
  initial?: Commitment;
  withClause: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  done?: string | null;
  onSubmit(terms: CommitmentTerms): void;
}

export function CommitmentEditor({ m, initial, withClause, submitLabel, pending, error, done, onSubmit }: Props) {
  const t = useT();
  const orgName = useOrganisationName();
  const ruleWords = useRuleWords();
  const fieldText = useFieldErrorText();
  const base = useId();
  const [title, setTitle] = useState(initial?.title ?? '');
  const [clauseRef, setClauseRef] = useState(initial?.clauseRef ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [lead, setLead] = useState(initial?.leadOrganisationId ?? '');
  const [others, setOthers] = useState<string[]>(
    initial?.organisationIds.filter((o) => o !== initial.leadOrganisationId) ?? [],
  );
  const [dueDate, setDueDate] = useState(initial?.dueDate ?? '');
  const [rrule, setRrule] = useState(initial?.rrule ?? '');
  const [quantity, setQuantity] = useState(initial?.target ? String(initial.target.quantity) : '');
  const [unit, setUnit] = useState(initial?.target?.unit ?? '');
  const parties = m.parties ?? [];
  const both = Boolean(dueDate && rrule.trim());
  const refused: Record<string, string> = {};
  if (error instanceof ApiFailure)
    for (const e of error.body.errors ?? []) refused[fieldName(e.field)] ??= fieldText(e).message;
  const fieldError = (name: string) => refused[name];
  const describedBy = (name: string, hint = false) =>
    [hint ? `${base}-${name}-hint` : '', refused[name] ? `${base}-${name}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  const words = rrule.trim() ? ruleWords(rrule.trim()) : null;
  return (
    <form
      className="commitment-editor"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!title.trim() || !lead || both) return;
        onSubmit({
          title: title.trim(),
          description: description.trim() || null,
          clauseRef: clauseRef.trim() || null,
          leadOrganisationId: lead,
          organisationIds: others.filter((o) => o !== lead),
          dueDate: dueDate || null,
          rrule: rrule.trim() || null,
          target: quantity && unit.trim() ? { quantity: Number(quantity), unit: unit.trim() } : null,
        });
      }}
    >
      <Field label={t('followup.title')} id={`${base}-title`} error={fieldError('title')}>
        <input
          id={`${base}-title`}
          required
          aria-required="true"
          maxLength={500}
          value={title}
          aria-invalid={Boolean(fieldError('title')) || undefined}
          aria-describedby={describedBy('title')}
          onChange={(e) => setTitle(e.target.value)}
        />
      </Field>
      {withClause && (
        <Field label={t('amend.clauseRef')} id={`${base}-clauseRef`} error={fieldError('clauseRef')}>
          <input
            id={`${base}-clauseRef`}
            maxLength={100}
            value={clauseRef}
            aria-describedby={describedBy('clauseRef')}
            onChange={(e) => setClauseRef(e.target.value)}
          />
        </Field>
      )}
      <Field label={t('followup.description')} id={`${base}-description`} error={fieldError('description')}>
        <textarea
          id={`${base}-description`}
          rows={2}
          maxLength={20000}
          value={description}
          aria-describedby={describedBy('description')}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <Field label={t('followup.lead')} id={`${base}-leadOrganisationId`} error={fieldError('leadOrganisationId')}>
        <select
          id={`${base}-leadOrganisationId`}
          required
          value={lead}
          aria-describedby={describedBy('leadOrganisationId')}
          onChange={(e) => setLead(e.target.value)}
        >
          <option value="">{t('parties.choose')}</option>
          {parties.map((p) => (
            <option key={p.organisationId} value={p.organisationId}>
              {orgName(p.organisationId)}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>{t('followup.others')}</legend>
        <OtherPartiesChecks parties={parties} lead={lead} others={others} setOthers={setOthers} />
        {fieldError('organisationIds') && (
          <p className="field-error" role="alert">
            {fieldError('organisationIds')}
          </p>
        )}
      </fieldset>
      <div className="grid3">
        <Field label={t('followup.dueDate')} id={`${base}-dueDate`} error={fieldError('dueDate')}>
          <input
            id={`${base}-dueDate`}
            type="date"
            value={dueDate}
            aria-invalid={Boolean(fieldError('dueDate')) || undefined}
            aria-describedby={describedBy('dueDate')}
            onChange={(e) => setDueDate(e.target.value)}
          />
        </Field>
        <Field label={t('followup.targetQuantity')} id={`${base}-quantity`}>
          <input
            id={`${base}-quantity`}
            type="number"
            min={1}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
        </Field>
        <Field label={t('followup.targetUnit')} id={`${base}-unit`} error={fieldError('target')}>
          <input id={`${base}-unit`} maxLength={100} value={unit} onChange={(e) => setUnit(e.target.value)} />
        </Field>
      </div>
      <Field
        label={t('followup.rrule')}
        id={`${base}-rrule`}
        hint={words ?? t('followup.rruleHint')}
        error={fieldError('rrule') ?? (both ? t('amend.dueOrRule') : undefined)}
      >
        <input
          id={`${base}-rrule`}
          maxLength={500}
          value={rrule}
          spellCheck={false}
          aria-invalid={Boolean(fieldError('rrule')) || both || undefined}
          aria-describedby={[describedBy('rrule', true), both ? `${base}-rrule-error` : ''].filter(Boolean).join(' ')}
          onChange={(e) => setRrule(e.target.value)}
        />
      </Field>
      <ErrorNotice error={error} />
      {done && (
        <p role="status" className="notice ok">
          {done}
        </p>
      )}
      <button type="submit" className="primary" disabled={pending || !title.trim() || !lead || both}>
        {submitLabel}
      </button>
    </form>
  );
}

/** The terms as PATCH /commitments/{id} takes them (the generated DTO types nullable strings as objects). */
export function patchBody(version: number, terms: CommitmentTerms, withClause: boolean) {
  const body: Record<string, unknown> = { version, ...terms };
  if (!withClause) delete body.clauseRef;
  return body as { version: number };
}

/** The terms as POST /memoranda/{id}/commitments takes them: a text commitment or one of the activity plan. */
export function createBody(terms: CommitmentTerms, origin: 'text' | 'plan') {
  return {
    origin,
    title: terms.title,
    description: terms.description ?? undefined,
    clauseRef: terms.clauseRef ?? undefined,
    leadOrganisationId: terms.leadOrganisationId,
    organisationIds: terms.organisationIds,
    dueDate: terms.dueDate ?? undefined,
    rrule: terms.rrule ?? undefined,
    target: terms.target ?? undefined,
  };
}
