/**
 * Text that ends up in a spreadsheet program: CSV cells that cannot run as formulas (OWASP "CSV
 * Injection"), and the trimming of typed text that keeps the character people type to prevent it.
 *
 * A program reads a cell as a formula when it starts with `=`, `+`, `-` or `@` — some after
 * skipping spaces, some after reading a full-width `＝` as `=` — or with a tab or carriage return
 * (the start of DDE payloads such as `=cmd|'/C calc'!A0`). Such a text cell gets a leading
 * apostrophe, which spreadsheet programs take as "this is text". Every field is also quoted, with
 * its quotes doubled (RFC 4180), so that no value can end its cell and start another one.
 *
 * Only text is changed: numbers stay numbers (a count of -2 is data, not a formula).
 */
import { stringify, type Options, type Stringifier } from 'csv-stringify';

/** Control characters that start a formula or a DDE call in some programs, whatever follows them. */
const LEADING_CONTROL = new Set([0x09, 0x0d, 0x00]);
const SIGNS = new Set(['=', '+', '-', '@']);
const BLANK = /^[\s\p{Cf}]$/u;
const Kind = { Other: 0, Sign: 1, Blank: 2 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];
/** Kinds of characters met, by code point: an export asks about the same few thousand again and again. */
const kinds = new Map<number, Kind>();

/**
 * Whether a program may skip the character before it decides (white space, invisible format
 * characters such as U+200B or U+FEFF), or it reads it as a sign: NFKC maps the full-width
 * (U+FF1D ＝), small (U+FE66 ﹦) and other compatibility forms to ASCII.
 */
function kindOf(codePoint: number): Kind {
  let kind = kinds.get(codePoint);
  if (kind === undefined) {
    const ch = String.fromCodePoint(codePoint);
    kind = BLANK.test(ch) ? Kind.Blank : SIGNS.has(ch.normalize('NFKC')[0]) ? Kind.Sign : Kind.Other;
    if (kinds.size < 65_536) kinds.set(codePoint, kind);
  }
  return kind;
}

/** Whether a spreadsheet program could read this text as a formula. */
export function startsFormula(text: string): boolean {
  if (LEADING_CONTROL.has(text.charCodeAt(0))) return true;
  for (const ch of text) {
    const kind = kindOf(ch.codePointAt(0)!);
    if (kind !== Kind.Blank) return kind === Kind.Sign;
  }
  return false;
}

/** A text cell that reads as the text itself: an apostrophe before one that could be a formula. */
export function spreadsheetText(text: string): string {
  return startsFormula(text) ? `'${text}` : text;
}

/**
 * The one CSV writer of the project (csv-stringify): every field quoted, and every value that is
 * not a number neutralised by `spreadsheetText` after the caller's own casts.
 */
export function csvStringifier(options: Omit<Options, 'quoted' | 'quoted_empty' | 'escape_formulas'>): Stringifier {
  const cast = options.cast ?? {};
  const text =
    <T>(given: ((value: T, context: Context) => unknown) | undefined, fallback: (value: T) => string) =>
    (value: T, context: Context): string => {
      const out = given ? given(value, context) : fallback(value);
      if (out === null || out === undefined) return '';
      if (typeof out === 'object' && 'value' in out) return spreadsheetText(String(out.value));
      return spreadsheetText(String(out));
    };
  return stringify({
    ...options,
    quoted: true,
    quoted_empty: true,
    cast: {
      ...cast,
      string: text(cast.string, (s) => s),
      boolean: text(cast.boolean, (b) => (b ? '1' : '')),
      date: text(cast.date, (d) => String(d.getTime())),
      object: text(cast.object, (o) => JSON.stringify(o)),
    },
  });
}

type Context = Parameters<NonNullable<NonNullable<Options['cast']>['string']>>[1];

/**
 * Trims what people type around a text by accident — spaces and line breaks — but not leading
 * tabs: a tab before `=` is what spreadsheet users type to keep a cell as text, and it belongs to
 * the text they meant. Trailing white space goes, tabs included; a text of blanks trims to ''.
 */
export const trimText = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.replace(/^[^\S\t]+|\s+$/gu, '') : value;
