/**
 * Kazakhstan's individual (ИИН) and business (БИН) identification numbers: 12 digits, the last a
 * control digit. The control digit is the weighted sum of the first eleven modulo 11, with weights
 * 1…11; when that gives 10 the weights 3…11, 1, 2 are used instead, and a second 10 means the
 * number was never issued.
 */
import { registerDecorator, ValidationOptions } from 'class-validator';

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The control digit of the first eleven digits, or null when none exists (no valid number starts so). */
export function kzIdControlDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) return null;
  const digits = [...first11].map(Number);
  const sum = (weights: number[]) => digits.reduce((acc, d, i) => acc + d * weights[i], 0) % 11;
  const first = sum(FIRST_WEIGHTS);
  if (first !== 10) return first;
  const second = sum(SECOND_WEIGHTS);
  return second === 10 ? null : second;
}

/** True for 12 digits whose last is the control digit of the others. */
export function isKzId(value: unknown): value is string {
  return (
    typeof value === 'string' && /^\d{12}$/.test(value) && kzIdControlDigit(value.slice(0, 11)) === Number(value[11])
  );
}

/** `kind` names the number in the message: `must be a valid IIN (12 digits, control digit …)`. */
export function IsKzId(kind: 'IIN' | 'BIN', options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isKzId',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isKzId(value),
        defaultMessage: (args) =>
          typeof args?.value === 'string' && /^\d{12}$/.test(args.value)
            ? `must be a valid ${kind}: its control digit does not match`
            : `must be a valid ${kind}: 12 digits`,
      },
    });
}
