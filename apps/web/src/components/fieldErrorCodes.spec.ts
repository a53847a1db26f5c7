/// <reference types="jest" />
import { en } from '../i18n/en';
import { kk } from '../i18n/kk';
import { ru } from '../i18n/ru';
import { fieldName, KNOWN_MESSAGES, knownMessage } from './fieldErrorCodes';

describe('the API’s field messages in the user’s language', () => {
  it('recognises the server’s messages, with their values', () => {
    // As the services and class-validator write them (libs/commitments/src/occurrences.ts, commitment-terms.ts).
    expect(knownMessage("must not be after the memorandum's end date 2031-09-28")).toEqual({
      code: 'afterEnd',
      values: { isoDate: '2031-09-28' },
    });
    expect(knownMessage("must not be before the memorandum's effective date 2021-09-28")?.code).toBe('beforeEffective');
    expect(knownMessage('must be a party of the memorandum')?.code).toBe('notParty');
    expect(knownMessage('5b1c… is not a party of the memorandum')?.code).toBe('strangerNotParty');
    expect(knownMessage('give either dueDate or rrule, not both')?.code).toBe('dueAndRule');
    expect(knownMessage('is not a valid RFC 5545 RRULE: Unknown FREQ')?.code).toBe('ruleInvalid');
    expect(knownMessage('never ends: give COUNT or UNTIL, or an end date to the memorandum')?.code).toBe(
      'ruleNeverEnds',
    );
    expect(knownMessage("gives no occurrence within the memorandum's term")?.code).toBe('ruleNoDates');
    expect(knownMessage("gives more than 500 occurrences within the memorandum's term")?.code).toBe('ruleTooMany');
    expect(knownMessage('must be shorter than or equal to 500 characters')).toEqual({
      code: 'tooLong',
      values: { max: 500 },
    });
    expect(knownMessage('must be a valid ISO 8601 date string')?.code).toBe('invalidDate');
    expect(knownMessage('is not a known field')?.code).toBe('unknownField');
    expect(knownMessage('should not be empty')?.code).toBe('required');
    expect(knownMessage('is not your current password')?.code).toBe('notCurrentPassword');
    expect(knownMessage('must be a valid BIN: its control digit does not match')?.code).toBe('binControl');
    expect(knownMessage('{{place}} is used but not declared')).toEqual({
      code: 'placeholderUndeclared',
      values: { name: 'place' },
    });
    expect(knownMessage("certificate IIN 850101300015 is not the signatory's IIN")).toEqual({
      code: 'certIinMismatch',
      values: { iin: '850101300015' },
    });
    expect(knownMessage("certificate BIN 123456789013 is not the party's BIN (none on record)")).toEqual({
      code: 'certBinMismatch',
      values: { bin: '123456789013', expected: 'none on record' },
    });
  });

  it('leaves an unknown message to be shown as the server wrote it', () => {
    expect(knownMessage('lists 2 hashes for 3 files')).toBeNull();
    expect(knownMessage('')).toBeNull();
  });

  it('names the field by the last part of its path', () => {
    expect(fieldName('report.occurrenceDate')).toBe('occurrenceDate');
    expect(fieldName('parties[0].role')).toBe('role');
    expect(fieldName('links[2]')).toBe('links');
    expect(fieldName('dueDate')).toBe('dueDate');
  });

  it('has every code in the kk, ru and en catalogues', () => {
    for (const [, code] of KNOWN_MESSAGES)
      for (const catalogue of [en, ru, kk]) expect(catalogue.fieldErrors).toHaveProperty(code);
  });
});
