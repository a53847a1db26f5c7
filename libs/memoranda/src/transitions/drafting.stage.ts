/** Drafting: the working revision's terms, its parties. Functions over the locked memorandum. */
import { EntityManager } from 'typeorm';
import { Actor, Organisation, Role, User } from '@kelisim/identity';
import { ApiError, checkVersion, ExpectedVersion, FieldError, isCalendarDate, isIanaTimeZone } from '@kelisim/platform';
import { AddPartyDto, CreateMemorandumDto, UpdateMemorandumDto } from '../dto/memorandum.dto';
import { toTranslations } from '../dto/translations.dto';
import type { RevisionText, RevisionTranslations } from '../revisions/canonical';
import { Memorandum, MemorandumParty, MemorandumRevision } from '../entities';
import { isAmendmentState, TransitionRule } from '../lifecycle/memorandum-transitions';
import { MemorandumStatus, PartyRole } from '../vocabulary';
import {
  appendHistory,
  insertWorkingRevision,
  LockedMemorandum,
  moveTo,
  RequestMeta,
  TransitionWriters,
  workingRevision,
} from './locked-memorandum';

const TERM_FIELDS = ['title', 'purpose', 'body', 'language', 'timeZone', 'effectiveDate', 'endDate'] as const;

export function termErrors(terms: {
  timeZone: string;
  effectiveDate: string | null;
  endDate: string | null;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (!isIanaTimeZone(terms.timeZone))
    errors.push({ field: 'timeZone', message: 'must be an IANA time zone such as Asia/Almaty' });
  if (terms.effectiveDate && !isCalendarDate(terms.effectiveDate)) {
    errors.push({ field: 'effectiveDate', message: 'must be a real calendar date' });
  }
  if (terms.endDate && !isCalendarDate(terms.endDate))
    errors.push({ field: 'endDate', message: 'must be a real calendar date' });
  if (!errors.length && terms.effectiveDate && terms.endDate && terms.endDate <= terms.effectiveDate) {
    errors.push({ field: 'endDate', message: 'must be after effectiveDate' });
  }
  return errors;
}

export function assertValidTerms(terms: {
  timeZone: string;
  effectiveDate: string | null;
  endDate: string | null;
}): void {
  const errors = termErrors(terms);
  if (errors.length)
    throw ApiError.unprocessable('invalid_terms', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/** Edits the working revision; `expected` is the version the caller edits (If-Match or body). */
export async function editTerms(
  locked: LockedMemorandum,
  rule: TransitionRule,
  dto: UpdateMemorandumDto,
  expected: ExpectedVersion,
): Promise<void> {
  checkVersion(expected, locked.memorandum.version, 'memorandum');
  const revision = await workingRevision(locked);
  const patch: Partial<Pick<MemorandumRevision, (typeof TERM_FIELDS)[number] | 'translations'>> = {};
  for (const f of TERM_FIELDS) if (dto[f] !== undefined) (patch as Record<string, unknown>)[f] = dto[f];
  assertValidTerms({ ...revision, ...patch });
  const language = patch.language ?? revision.language;
  if (dto.translations !== undefined) patch.translations = toTranslations(dto.translations, language);
  else if (patch.language && revision.translations?.texts[language])
    throw ApiError.unprocessable('invalid_translations', `A translation is already in ${language}`, [
      { field: 'language', message: `the text has a translation in ${language}: send translations without it` },
    ]);
  const staleTranslations = staleAfterEdit(revision, patch, locked.memorandum.staleTranslations ?? [], dto);
  if (Object.keys(patch).length)
    await locked.manager.getRepository(MemorandumRevision).update({ id: revision.id }, patch);
  // Before the first execution the memorandum shows its working terms; an amendment edits only its revision.
  const columns: Partial<Memorandum> = isAmendmentState(locked.state) ? {} : ({ ...patch } as Partial<Memorandum>);
  columns.staleTranslations = staleTranslations;
  if (dto.orderedReview !== undefined) columns.orderedReview = dto.orderedReview;
  if (dto.signatureLevel !== undefined) columns.signatureLevel = dto.signatureLevel;
  const from = locked.state;
  await moveTo(locked, rule.to, columns);
  const fields = Object.entries(dto)
    .filter(([k, v]) => k !== 'version' && v !== undefined)
    .map(([k]) => k);
  await appendHistory(locked, 'edit', from, rule.to, { revisionNumber: revision.number, data: { fields } });
}

type TextFields = Pick<MemorandumRevision, 'title' | 'purpose' | 'body' | 'language' | 'translations'>;

/**
 * The translations that may be out of date after this edit: one whose text the edit left as it was
 * while it changed the original's becomes stale; one the edit changes, or that the coordinator
 * confirms checked (`translationsChecked`), no longer is. Only a warning: nothing is refused for it.
 */
export function staleAfterEdit(
  before: TextFields,
  patch: Partial<TextFields>,
  stale: readonly string[],
  dto: Pick<UpdateMemorandumDto, 'translationsChecked'>,
): string[] {
  const after = { ...before, ...patch };
  // A form sends its text back trimmed, with its own line ends: that is no change of what the text says.
  const norm = (s: string | undefined) => (s ?? '').replace(/\r\n?/g, '\n').trim().normalize('NFC');
  const sameText = (a: RevisionText | undefined, b: RevisionText | undefined) =>
    !!a && !!b && (['title', 'purpose', 'body'] as const).every((f) => norm(a[f]) === norm(b[f]));
  const originalChanged = after.language !== before.language || !sameText(before, after);
  const texts = after.translations?.texts ?? {};
  const same = (l: string) => sameText(before.translations?.texts?.[l], texts[l]);
  const checked: readonly string[] = dto.translationsChecked ?? [];
  const missing = checked.filter((l) => !texts[l]);
  if (missing.length)
    throw ApiError.unprocessable(
      'invalid_translations',
      `No translation in ${missing.join(', ')} to confirm`,
      missing.map((l) => ({ field: 'translationsChecked', message: `the text has no translation in ${l}` })),
    );
  const result = new Set<string>();
  for (const l of Object.keys(texts).sort()) {
    if (!same(l) || checked.includes(l)) continue;
    if (originalChanged || stale.includes(l)) result.add(l);
  }
  return [...result];
}

async function checkSignatories(locked: LockedMemorandum, dto: AddPartyDto, signatoryUserIds: string[]): Promise<void> {
  const users = await locked.manager
    .getRepository(User)
    .createQueryBuilder('u')
    .where('u.id IN (:...ids)', { ids: signatoryUserIds })
    .getMany();
  const invalid = signatoryUserIds.filter((uid) => {
    const u = users.find((x) => x.id === uid);
    return !u || !u.active || u.organisationId !== dto.organisationId || !u.roles.includes(Role.Signatory);
  });
  if (invalid.length) {
    throw ApiError.unprocessable(
      'invalid_signatory',
      'Named signatories must be active users of the party organisation holding the signatory role',
      invalid.map((uid) => ({ field: 'signatoryUserIds', message: `${uid} is not a signatory of this organisation` })),
    );
  }
}

export async function addParty(
  locked: LockedMemorandum,
  rule: TransitionRule,
  dto: AddPartyDto,
): Promise<MemorandumParty> {
  const organisation = await locked.manager.getRepository(Organisation).findOneBy({ id: dto.organisationId });
  if (!organisation || !organisation.active) {
    throw ApiError.unprocessable(
      'organisation_not_found',
      `Organisation ${dto.organisationId} does not exist or is inactive`,
      [{ field: 'organisationId', message: 'no such active organisation' }],
    );
  }
  if (locked.parties.some((p) => p.organisationId === dto.organisationId)) {
    throw ApiError.conflict('party_exists', 'This organisation is already a party', {
      organisationId: dto.organisationId,
    });
  }
  const signatoryUserIds = dto.signatoryUserIds ?? [];
  if (dto.role !== PartyRole.Signatory && (signatoryUserIds.length || dto.requiredSignatures !== undefined)) {
    throw ApiError.unprocessable(
      'not_a_signatory_party',
      'Only signatory parties have signatories and required signatures',
      [{ field: 'signatoryUserIds', message: 'only for role signatory' }],
    );
  }
  if (signatoryUserIds.length) await checkSignatories(locked, dto, signatoryUserIds);
  const requiredSignatures = dto.requiredSignatures ?? 1;
  if (signatoryUserIds.length && signatoryUserIds.length < requiredSignatures) {
    throw ApiError.unprocessable('too_few_signatories', 'Fewer named signatories than required signatures', [
      { field: 'signatoryUserIds', message: `name at least ${requiredSignatures}` },
    ]);
  }
  const order = dto.order ?? locked.parties.reduce((max, p) => Math.max(max, p.order), 0) + 1;
  const party = locked.manager.getRepository(MemorandumParty).create({
    memorandumId: locked.memorandum.id,
    organisationId: dto.organisationId,
    role: dto.role,
    order,
    requiredSignatures,
    signatoryUserIds,
    createdAt: locked.now,
  });
  await locked.manager.getRepository(MemorandumParty).insert(party);
  const from = locked.state;
  await moveTo(locked, rule.to);
  await appendHistory(locked, 'add_party', from, rule.to, {
    organisationId: dto.organisationId,
    data: { role: dto.role, order, requiredSignatures },
  });
  return party;
}

export async function removeParty(
  locked: LockedMemorandum,
  rule: TransitionRule,
  organisationId: string,
): Promise<void> {
  const res = await locked.manager
    .getRepository(MemorandumParty)
    .delete({ memorandumId: locked.memorandum.id, organisationId });
  if (!res.affected) throw ApiError.notFound('Party', organisationId);
  const from = locked.state;
  await moveTo(locked, rule.to);
  await appendHistory(locked, 'remove_party', from, rule.to, { organisationId });
}

/** A new memorandum in draft with its original working revision; the first event of its history. */
export async function createDraft(
  manager: EntityManager,
  writers: TransitionWriters,
  actor: Actor,
  dto: CreateMemorandumDto,
  terms: {
    timeZone: string;
    effectiveDate: string | null;
    endDate: string | null;
    translations: RevisionTranslations | null;
    templateId?: string;
    templateVersion?: number;
  },
  now: Date,
  meta: RequestMeta,
): Promise<Memorandum> {
  const repository = manager.getRepository(Memorandum);
  const memorandum = await repository.save(
    repository.create({
      title: dto.title,
      purpose: dto.purpose,
      body: dto.body,
      language: dto.language,
      ...terms,
      templateId: terms.templateId ?? null,
      templateVersion: terms.templateVersion ?? null,
      coordinatingOrganisationId: dto.coordinatingOrganisationId,
      status: MemorandumStatus.Draft,
      amendmentStatus: null,
      orderedReview: dto.orderedReview ?? false,
      signatureLevel: dto.signatureLevel ?? 'electronic',
      version: 1,
      currentRevisionNumber: 1,
      executedRevisionNumber: null,
      createdByUserId: actor.userId,
      createdAt: now,
      updatedAt: now,
    }),
  );
  // The INSERT holds the new row's lock until commit, which is what the history chain needs.
  const locked: LockedMemorandum = {
    manager,
    memorandum,
    parties: [],
    state: MemorandumStatus.Draft,
    now,
    meta,
    actor,
    writers,
  };
  await insertWorkingRevision(locked, 1, 'original', memorandum);
  await appendHistory(locked, 'create', null, MemorandumStatus.Draft, {
    revisionNumber: 1,
    ...(terms.templateId ? { data: { templateId: terms.templateId, templateVersion: terms.templateVersion } } : {}),
  });
  return memorandum;
}
