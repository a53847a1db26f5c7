/**
 * Dates and instants taken from clients: real calendar values within years the product can mean.
 * A regex alone let `0000-01-01` through to PostgreSQL (which has no year 0: a 500) and let
 * `9999-12-31` become a term that nothing would ever reach.
 */
import { ValidationOptions, registerDecorator } from 'class-validator';
import { isCalendarDate } from '../clock/zoned-time';

export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2199-12-31';

export function isDateInRange(value: unknown): boolean {
  return typeof value === 'string' && isCalendarDate(value) && value >= EARLIEST_DATE && value <= LATEST_DATE;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isDateTimeInRange(value: unknown): boolean {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || !isCalendarDate(value.slice(0, 10))) return false;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return false;
  const day = at.toISOString().slice(0, 10);
  return day >= EARLIEST_DATE && day <= LATEST_DATE;
}

/** `YYYY-MM-DD`, a real date from 1900-01-01 to 2199-12-31. */
export function IsDateField(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDateField',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: isDateInRange,
        defaultMessage: () => `must be a date YYYY-MM-DD from ${EARLIEST_DATE} to ${LATEST_DATE}`,
      },
    });
}

/** An ISO-8601 date-time with its offset, on a real date from 1900 to 2199. */
export function IsDateTimeField(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDateTimeField',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: isDateTimeInRange,
        defaultMessage: () => `must be an ISO-8601 date-time with an offset, from ${EARLIEST_DATE} to ${LATEST_DATE}`,
      },
    });
}
