/**
 * The canonical serialisation a revision's SHA-256 is taken over: JSON with keys in sorted order,
 * every string NFC-normalised, parties in their order (then organisation id). Two revisions with
 * the same terms therefore have the same hash, whatever the key order or Unicode composition.
 */
import { createHash } from 'node:crypto';
import { canonicalCommitments, RevisionCommitment } from './canonical-commitments';

export interface RevisionParty {
  organisationId: string;
  role: string;
  order: number;
  requiredSignatures: number;
  /** Form 2: the organisation as it was at submission, so a signed payload names the party in words. */
  name?: string;
  shortName?: string;
  bin?: string | null;
}

/**
 * The form new revisions are frozen in. 1: parties by id only; 2: each party also carries its
 * organisation's name, short name and BIN, and the terms carry `canonicalVersion: 2`. A revision
 * keeps the form it was frozen in, so its hash stays recomputable.
 */
export const CANONICAL_VERSION = 2;

export interface RevisionTerms {
  /** The canonical form (CANONICAL_VERSION); absent or 1: the first form, which is not written out. */
  canonicalVersion?: number;
  title: string;
  purpose: string;
  body: string;
  language: string;
  timeZone: string;
  effectiveDate: string | null;
  endDate: string | null;
  parties: RevisionParty[];
  /** Commitments of the draft (canonical-commitments.ts); absent or empty leaves the hash as it was. */
  commitments?: RevisionCommitment[];
  /** Versions in other languages (docs/history.md); hashed only when there is one, so older hashes stay valid. */
  translations?: RevisionTranslations | null;
}

/** The same title, purpose and body in another language. */
export interface RevisionText {
  title: string;
  purpose: string;
  body: string;
}

/** `language` holds the original; these are the other versions, or all are equally authentic. */
export interface RevisionTranslations {
  equallyAuthentic: boolean;
  texts: Partial<Record<string, RevisionText>>;
}

function canonicalValue(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key.normalize('NFC')] = canonicalValue(v);
    }
    return out;
  }
  return value;
}

export function sortParties(parties: RevisionParty[]): RevisionParty[] {
  return [...parties].sort(
    (a, b) =>
      a.order - b.order || (a.organisationId < b.organisationId ? -1 : a.organisationId > b.organisationId ? 1 : 0),
  );
}

export function canonicalTranslations(t: RevisionTranslations | null | undefined): RevisionTranslations | undefined {
  const languages = Object.keys(t?.texts ?? {}).filter((l) => t!.texts[l]);
  if (!t || !languages.length) return undefined;
  const texts = Object.fromEntries(
    languages.map((l) => [l, { title: t.texts[l]!.title, purpose: t.texts[l]!.purpose, body: t.texts[l]!.body }]),
  );
  return { equallyAuthentic: t.equallyAuthentic === true, texts };
}

function canonicalParty(p: RevisionParty, version: number): RevisionParty {
  const party = {
    organisationId: p.organisationId.toLowerCase(),
    role: p.role,
    order: p.order,
    requiredSignatures: p.requiredSignatures,
  };
  if (version < 2) return party;
  return { ...party, name: p.name ?? '', shortName: p.shortName ?? '', bin: p.bin ?? null };
}

/** Only the hashed fields of the revision's form, parties sorted; extra properties are dropped. */
export function canonicalTerms(t: RevisionTerms): RevisionTerms {
  const version = t.canonicalVersion ?? 1;
  if (!Number.isInteger(version) || version < 1 || version > CANONICAL_VERSION) {
    throw new TypeError(`Unknown canonical form ${String(t.canonicalVersion)}`);
  }
  return {
    ...(version >= 2 ? { canonicalVersion: version } : {}),
    translations: canonicalTranslations(t.translations),
    title: t.title,
    purpose: t.purpose,
    body: t.body,
    language: t.language,
    timeZone: t.timeZone,
    effectiveDate: t.effectiveDate ?? null,
    endDate: t.endDate ?? null,
    parties: sortParties(t.parties).map((p) => canonicalParty(p, version)),
    commitments: canonicalCommitments(t.commitments),
  };
}

export function canonicalSerialisation(t: RevisionTerms): string {
  return JSON.stringify(canonicalValue(canonicalTerms(t)));
}

/** The exact bytes a revision's hash is taken over (and a digital signature signs), in the revision's own form. */
export function canonicalBytes(t: RevisionTerms): Buffer {
  return Buffer.from(canonicalSerialisation(t), 'utf8');
}

export function revisionHash(t: RevisionTerms): string {
  return createHash('sha256').update(canonicalBytes(t)).digest('hex');
}

/**
 * The hash of a revision frozen with these parties and commitments: what submission stores, and what
 * verification recomputes from the stored row — one function, so that both always hash alike.
 */
export function frozenRevisionHash(
  revision: Omit<RevisionTerms, 'parties' | 'commitments'>,
  parties: RevisionParty[],
  commitments: RevisionCommitment[] | undefined,
): string {
  return revisionHash({ ...revision, parties, commitments });
}

/** The title, purpose and body in one language: the original's, or a translation's; null when the revision has none. */
export function textIn(t: RevisionTerms, language: string): RevisionText | null {
  if (language === t.language) return { title: t.title, purpose: t.purpose, body: t.body };
  return t.translations?.texts?.[language] ?? null;
}

/**
 * A readable rendering of the terms, line by line, for text diffs between revisions. With a
 * language, only that language's text (empty when the revision has none); without, every version.
 */
export function renderTerms(
  t: RevisionTerms,
  organisationNames: Record<string, string> = {},
  language?: string,
): string {
  const c = canonicalTerms(t);
  const text = (label: string, x: RevisionText | null) => [
    ...(label ? [`== ${label} ==`] : []),
    `Title: ${(x?.title ?? '').normalize('NFC')}`,
    '',
    'Purpose:',
    (x?.purpose ?? '').normalize('NFC'),
    '',
    'Body:',
    (x?.body ?? '').normalize('NFC'),
    '',
  ];
  const header = [...(language ? [] : [`Title: ${c.title.normalize('NFC')}`]), ...termLines(c, organisationNames)];
  if (language) return [...header, ...text(language, textIn(c, language))].join('\n');
  const main = ['Purpose:', c.purpose.normalize('NFC'), '', 'Body:', c.body.normalize('NFC'), ''];
  const others = Object.keys(c.translations?.texts ?? {})
    .sort()
    .flatMap((l) => text(l, textIn(c, l)));
  return [...header, ...main, ...others].join('\n');
}

/** The terms and parties without any text: the part of a diff that is in no language. */
export function renderTermsOnly(t: RevisionTerms, organisationNames: Record<string, string> = {}): string {
  return termLines(canonicalTerms(t), organisationNames).join('\n');
}

function termLines(c: RevisionTerms, organisationNames: Record<string, string>): string[] {
  return [
    `Language: ${c.language}`,
    ...(c.translations ? [`Equally authentic: ${c.translations.equallyAuthentic ? 'yes' : 'no'}`] : []),
    `Time zone: ${c.timeZone}`,
    `Effective date: ${c.effectiveDate ?? '—'}`,
    `End date: ${c.endDate ?? '—'}`,
    'Parties:',
    ...c.parties.map(
      (p) =>
        `  ${p.order}. ${organisationNames[p.organisationId] ?? p.organisationId} — ${p.role}, required signatures: ${p.requiredSignatures}`,
    ),
    '',
  ];
}
