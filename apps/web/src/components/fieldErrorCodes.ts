/**
 * The API's field messages carry no code: the common ones are recognised here and named by a
 * catalogue code (`fieldErrors.<code>`); pure, unit-tested (fieldErrorCodes.spec.ts).
 */

export type Values = Record<string, string | number>;
export type Rule = [RegExp, string, ((m: RegExpExecArray) => Values)?];

const DATE = (m: RegExpExecArray) => ({ isoDate: m[1] });

/** Server messages (class-validator's and the services') → catalogue codes. */
export const KNOWN_MESSAGES: Rule[] = [
  [/^(should not be empty|must not be empty|is required\b)/, 'required'],
  [/^is not a known field$/, 'unknownField'],
  [/must be a valid ISO 8601 date/, 'invalidDate'],
  [/must be (a|an) URL/, 'invalidUrl'],
  [/must be shorter than or equal to (\d+) characters/, 'tooLong', (m) => ({ max: Number(m[1]) })],
  [/^must be a party of the memorandum$/, 'notParty'],
  [/ is not a party of the memorandum$/, 'strangerNotParty'],
  [/^must not be before the memorandum's effective date (\d{4}-\d{2}-\d{2})/, 'beforeEffective', DATE],
  [/^must not be after the memorandum's end date (\d{4}-\d{2}-\d{2})/, 'afterEnd', DATE],
  [/^give either dueDate or rrule/, 'dueAndRule'],
  [/^(is not a valid RFC 5545 RRULE|must be an RFC 5545 RRULE|cannot be expanded|needs a DTSTART)/, 'ruleInvalid'],
  [/^never ends/, 'ruleNeverEnds'],
  [/^gives no occurrence/, 'ruleNoDates'],
  [/^gives more than \d+ occurrences/, 'ruleTooMany'],
  [/is not a date of this commitment/, 'notOccurrence'],
  [/must be (a number|an integer number)/, 'mustBeNumber'],
  [/must not be less than 0$/, 'notNegative'],
  // Digital signatures (libs/memoranda/src/transitions/signing.stage.ts, pkijs-signature-verifier.ts).
  [/^certificate IIN (\d+) is not the signatory's IIN$/, 'certIinMismatch', (m) => ({ iin: m[1] })],
  [/^certificate IIN (\d+) cannot be matched/, 'certIinUnknown', (m) => ({ iin: m[1] })],
  [/^certificate carries no IIN/, 'certNoIin'],
  [
    /^certificate BIN (\d+) is not the party's BIN \((.*)\)$/,
    'certBinMismatch',
    (m) => ({ bin: m[1], expected: m[2] }),
  ],
  [/^certificate chain does not reach a trust anchor/, 'certUntrusted'],
  [/^certificate expired at /, 'certExpired'],
  // People and passwords (libs/identity).
  [/^is not your current password$/, 'notCurrentPassword'],
  [/^must differ from the current password$/, 'samePassword'],
  [/^must be at least 10 characters long$/, 'passwordTooShort'],
  [/^must be a valid BIN: its control digit does not match$/, 'binControl'],
  [/^must be a valid BIN: 12 digits$/, 'binDigits'],
  [/^no such organisation$/, 'noSuchOrganisation'],
  [/^must be a valid e-mail address$/, 'invalidEmail'],
  // Templates (libs/templates/src/template-rules.ts).
  [/^\{\{([A-Za-z][A-Za-z0-9_]*)\}\} is used but not declared$/, 'placeholderUndeclared', (m) => ({ name: m[1] })],
];

/** The code and values of a known server message, or null. */
export function knownMessage(message: string): { code: string; values: Values } | null {
  for (const [pattern, code, values] of KNOWN_MESSAGES) {
    const m = pattern.exec(message);
    if (m) return { code, values: values ? values(m) : {} };
  }
  return null;
}

/** `report.occurrenceDate` → `occurrenceDate`; `parties[0].role` → `role`. */
export function fieldName(path: string): string {
  return path
    .split('.')
    .pop()!
    .replace(/\[\d+\]$/, '');
}
