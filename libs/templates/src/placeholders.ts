/**
 * Placeholders of a template: `{{name}}` anywhere in its texts and date defaults, each declared
 * with a kind. Filling checks the values against the declarations and names every unknown or
 * missing one. Pure: no Nest, no database.
 */
export const PLACEHOLDER_KINDS = ['text', 'party', 'place', 'date', 'number'] as const;
export type PlaceholderKind = (typeof PLACEHOLDER_KINDS)[number];

export interface PlaceholderDeclaration {
  name: string;
  kind: PlaceholderKind;
  label?: string;
  /** Default true: a value must be given. */
  required?: boolean;
  /** Used when no value is given. */
  default?: string;
}

export const PLACEHOLDER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const USE = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** Every placeholder name used in the strings, in order of first use. */
export function placeholdersIn(strings: Array<string | null | undefined>): string[] {
  const seen = new Set<string>();
  for (const s of strings) for (const m of (s ?? '').matchAll(USE)) seen.add(m[1]);
  return [...seen];
}

export interface PlaceholderProblem {
  field: string;
  message: string;
}

/** Names used but not declared (and malformed ones) in a template's strings. */
export function undeclaredPlaceholders(
  strings: Array<string | null | undefined>,
  declared: PlaceholderDeclaration[],
): string[] {
  const names = new Set(declared.map((d) => d.name));
  return placeholdersIn(strings).filter((n) => !names.has(n));
}

function valueProblem(kind: PlaceholderKind, value: string): string | null {
  if (kind === 'date') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
    if (!m || !d || d.toISOString().slice(0, 10) !== value || +m[1] < 1900 || +m[1] > 2200)
      return 'must be a date YYYY-MM-DD (1900–2200)';
  }
  if (kind === 'number' && !/^-?\d{1,15}(\.\d{1,6})?$/.test(value)) return 'must be a number';
  if (!value.trim()) return 'must not be empty';
  if (value.length > 1000) return 'must be at most 1000 characters';
  return null;
}

/**
 * The values to substitute, or the problems: a value for a name the template does not declare
 * (`values.<name>: is not a placeholder of this template`), a required one missing, a value of
 * the wrong kind.
 */
export function resolveValues(
  declared: PlaceholderDeclaration[],
  values: Record<string, unknown>,
): { values: Record<string, string>; problems: PlaceholderProblem[] } {
  const problems: PlaceholderProblem[] = [];
  const out: Record<string, string> = {};
  const names = new Set(declared.map((d) => d.name));
  for (const key of Object.keys(values))
    if (!names.has(key)) problems.push({ field: `values.${key}`, message: 'is not a placeholder of this template' });
  for (const d of declared) {
    const raw = values[d.name];
    if (raw === undefined || raw === null) {
      if (d.default !== undefined) out[d.name] = d.default;
      else if (d.required !== false)
        problems.push({ field: `values.${d.name}`, message: `is missing (a ${d.kind} placeholder of this template)` });
      else out[d.name] = '';
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      problems.push({ field: `values.${d.name}`, message: 'must be a string or a number' });
      continue;
    }
    const value = String(raw);
    const problem = valueProblem(d.kind, value);
    if (problem) problems.push({ field: `values.${d.name}`, message: problem });
    else out[d.name] = value;
  }
  return { values: out, problems };
}

/** Substitutes `{{name}}` by its value; names without a value stay as they are (resolveValues reports them). */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(USE, (whole, name: string) => (name in values ? values[name] : whole));
}
