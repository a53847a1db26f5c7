/**
 * What makes a template's content valid (422 naming the field) and how a version becomes the
 * terms of a new memorandum. Pure: no Nest, no database.
 */
import { CreateMemorandumDto, MEMORANDUM_LANGUAGES, MemorandumLanguage, RevisionText } from '@kelisim/memoranda';
import { ApiError, FieldError, isIanaTimeZone } from '@kelisim/platform';
import { CommitmentBlueprint, TemplateDefaults } from './template.entity';
import { fill, PlaceholderDeclaration, resolveValues, undeclaredPlaceholders } from './placeholders';

export interface TemplateContent {
  name: string;
  language: string;
  texts: Partial<Record<string, RevisionText>>;
  placeholders: PlaceholderDeclaration[];
  defaults: TemplateDefaults;
  commitmentBlueprints: CommitmentBlueprint[];
}

function stringsOf(c: TemplateContent): string[] {
  const texts = Object.values(c.texts).flatMap((t) => (t ? [t.title, t.purpose, t.body] : []));
  const blueprints = c.commitmentBlueprints.flatMap((b) => [b.title, b.description ?? '']);
  return [...texts, c.defaults.effectiveDate ?? '', c.defaults.endDate ?? '', ...blueprints];
}

/** 422 with every problem of the content: the original's text missing, a placeholder used but not declared, … */
export function assertValidContent(c: TemplateContent): void {
  const errors: FieldError[] = [];
  if (!c.texts[c.language])
    errors.push({ field: `texts.${c.language}`, message: 'the original language needs a text' });
  const names = c.placeholders.map((p) => p.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  for (const n of new Set(twice)) errors.push({ field: 'placeholders', message: `${n} is declared twice` });
  for (const n of undeclaredPlaceholders(stringsOf(c), c.placeholders))
    errors.push({ field: 'placeholders', message: `{{${n}}} is used but not declared` });
  for (const key of ['effectiveDate', 'endDate'] as const) {
    const m = /^\{\{\s*(\w+)\s*\}\}$/.exec(c.defaults[key] ?? '');
    const declared = m && c.placeholders.find((p) => p.name === m[1]);
    if (declared && declared.kind !== 'date')
      errors.push({ field: `defaults.${key}`, message: `{{${m![1]}}} is a ${declared.kind} placeholder, not a date` });
  }
  if (c.defaults.timeZone && !isIanaTimeZone(c.defaults.timeZone))
    errors.push({ field: 'defaults.timeZone', message: 'must be an IANA time zone such as Asia/Almaty' });
  const keys = c.commitmentBlueprints.map((b) => b.key);
  for (const k of new Set(keys.filter((k, i) => keys.indexOf(k) !== i)))
    errors.push({ field: 'commitmentBlueprints', message: `key ${k} is used twice` });
  if (errors.length) throw ApiError.unprocessable('invalid_template', errors[0].message, errors);
}

/** The new memorandum's terms from a version and the placeholder values; 422 naming each unknown or missing one. */
export function instantiate(
  c: TemplateContent,
  rawValues: Record<string, unknown>,
  coordinatingOrganisationId: string,
): { dto: CreateMemorandumDto; blueprints: CommitmentBlueprint[]; values: Record<string, string> } {
  const { values, problems } = resolveValues(c.placeholders, rawValues);
  if (problems.length) {
    const message = problems.map((p) => `${p.field} ${p.message}`).join('; ');
    throw ApiError.unprocessable('invalid_placeholder_values', message, problems);
  }
  const textIn = (l: string): RevisionText | undefined => {
    const t = c.texts[l];
    return t && { title: fill(t.title, values).trim(), purpose: fill(t.purpose, values), body: fill(t.body, values) };
  };
  const original = textIn(c.language)!;
  const errors: FieldError[] = [];
  for (const l of MEMORANDUM_LANGUAGES) {
    const t = textIn(l);
    if (t && t.title.length > 500)
      errors.push({ field: 'values', message: `the title in ${l} is over 500 characters` });
  }
  const date = (v: string | undefined) => (v ? fill(v, values) || undefined : undefined);
  const dto: CreateMemorandumDto = {
    title: original.title,
    purpose: original.purpose,
    body: original.body,
    language: c.language as MemorandumLanguage,
    coordinatingOrganisationId,
    ...(c.defaults.timeZone ? { timeZone: c.defaults.timeZone } : {}),
    ...(date(c.defaults.effectiveDate) ? { effectiveDate: date(c.defaults.effectiveDate) } : {}),
    ...(date(c.defaults.endDate) ? { endDate: date(c.defaults.endDate) } : {}),
    ...(c.defaults.orderedReview !== undefined ? { orderedReview: c.defaults.orderedReview } : {}),
    ...(c.defaults.signatureLevel ? { signatureLevel: c.defaults.signatureLevel } : {}),
  };
  const others = MEMORANDUM_LANGUAGES.filter((l) => l !== c.language && c.texts[l]);
  if (others.length)
    dto.translations = {
      equallyAuthentic: c.defaults.equallyAuthentic === true,
      texts: Object.fromEntries(others.map((l) => [l, textIn(l)!])),
    };
  if (errors.length) throw ApiError.unprocessable('invalid_placeholder_values', errors[0].message, errors);
  const blueprints = c.commitmentBlueprints.map((b) => ({
    ...b,
    title: fill(b.title, values),
    ...(b.description ? { description: fill(b.description, values) } : {}),
  }));
  return { dto, blueprints, values };
}
