/**
 * A refused field of a 400/422 answer (`errors[]`: `{ field, message }`) in the user's language:
 * the field's name from the catalogue (`fieldErrors.field_<name>`, else the path as sent) and,
 * when the server's message is one we know, its translation (`fieldErrors.<code>`); else the
 * server's own text (English).
 */
import { useFormat, useTranslateDynamic } from '../i18n';
import { fieldName, knownMessage } from './fieldErrorCodes';

export { fieldName } from './fieldErrorCodes';

export function useFieldErrorText() {
  const td = useTranslateDynamic();
  const f = useFormat();
  return (e: { field: string; message: string }) => {
    const label = td(`fieldErrors.field_${fieldName(e.field)}`, e.field);
    const known = knownMessage(e.message);
    if (!known) return { label, message: e.message, known: false };
    const values = { ...known.values };
    if (typeof values.isoDate === 'string') values.date = f.date(values.isoDate);
    return { label, message: td(`fieldErrors.${known.code}`, e.message, values), known: true };
  };
}
