/**
 * Hostile inputs generated from the routes' own metadata: Nest's route and parameter metadata
 * give each state-changing route and its body DTO, class-validator's metadata storage gives each
 * field's kind (string, integer, date, nested, list). A new route or field is covered without a
 * hand-written case.
 */
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';
import { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { RouteInfo } from './routes';

type Ctor = new (...args: unknown[]) => unknown;
// class-transformer keeps its @Type() metadata here and exports no typed path to it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TransformerMetadata;
};
export type FieldKind = 'string' | 'integer' | 'date' | 'date-time' | 'other';

export interface FieldInfo {
  /** `evidence.reference`, `items[0].kind`: as error answers name it. */
  path: string;
  kind: FieldKind;
}

export interface HostileCase {
  name: string;
  /** The body to send (a raw JSON string, so lone surrogates survive). */
  json: string;
  /** The field an answer 400 must name, when the case targets one. */
  field: string | null;
}

const MATCH_CANDIDATES = ['a'.repeat(64), '123456789012', 'memorandum.submitted', 'Asia/Almaty', 'x'];
const UUID = '00000000-0000-4000-8000-000000000001';

/** The DTO class of the route's @Body() parameter, if it has one. */
export function bodyDto(route: RouteInfo): Ctor | null {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controllerType, route.methodName) ?? {}) as Record<
    string,
    { index: number }
  >;
  const body = Object.entries(args).find(([key]) => key.split(':')[0] === String(RouteParamtypes.BODY));
  if (!body) return null;
  const types = Reflect.getMetadata('design:paramtypes', route.controllerType.prototype, route.methodName) as Ctor[];
  const type = types[body[1].index];
  return type && type !== Object ? type : null;
}

function metadataOf(dto: Ctor): Map<string, ValidationMetadata[]> {
  const byField = new Map<string, ValidationMetadata[]>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    byField.set(m.propertyName, [...(byField.get(m.propertyName) ?? []), m]);
  }
  return byField;
}

const has = (ms: ValidationMetadata[], name: string, each = false) =>
  ms.some((m) => m.name === name && !!m.each === each);

/** A value that passes the field's own rules, so that only the hostile value is wrong. */
function validValue(ms: ValidationMetadata[], each: boolean, nested: Ctor | undefined): unknown {
  const find = (name: string) => ms.find((m) => m.name === name && !!m.each === each);
  if (nested) return validBody(nested);
  if (find('isIn')) return (find('isIn')!.constraints[0] as unknown[])[0];
  if (find('equals')) return find('equals')!.constraints[0];
  if (find('isBoolean')) return true;
  if (find('isInt')) return Math.max(1, Number(find('min')?.constraints[0] ?? 1));
  if (find('isDateField')) return '2022-01-01';
  if (find('isDateTimeField')) return '2022-01-01T10:00:00+06:00';
  if (find('isUuid')) return UUID;
  if (find('isEmail')) return 'hostile@example.kz';
  if (find('isUrl')) return 'https://example.kz/hook';
  const matches = find('matches');
  if (matches) return MATCH_CANDIDATES.find((c) => (matches.constraints[0] as RegExp).test(c)) ?? 'x';
  if (find('minLength')) return 'Келісім-2021-Тараз-hostile'.padEnd(Number(find('minLength')!.constraints[0]), 'x');
  return 'Келісім';
}

export function validBody(dto: Ctor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, ms] of metadataOf(dto)) {
    const nested = ms.some((m) => m.type === 'nestedValidation')
      ? (defaultMetadataStorage.findTypeMetadata(dto, field)?.typeFunction() as Ctor)
      : undefined;
    out[field] = ms.some((m) => m.name === 'isArray') ? [validValue(ms, true, nested)] : validValue(ms, false, nested);
  }
  return out;
}

function kindOf(ms: ValidationMetadata[], each: boolean): FieldKind {
  if (has(ms, 'isDateField', each)) return 'date';
  if (has(ms, 'isDateTimeField', each)) return 'date-time';
  if (has(ms, 'isInt', each)) return 'integer';
  const stringy = ['isString', 'matches', 'isEmail', 'isUuid', 'isUrl', 'isIn', 'maxLength', 'minLength'];
  return stringy.some((n) => has(ms, n, each)) ? 'string' : 'other';
}

/** Every leaf field of the DTO, nested objects and the first item of lists included. */
export function fieldsOf(dto: Ctor, prefix = ''): FieldInfo[] {
  const out: FieldInfo[] = [];
  for (const [field, ms] of metadataOf(dto)) {
    const path = prefix ? `${prefix}.${field}` : field;
    const list = ms.some((m) => m.name === 'isArray');
    const nested = ms.some((m) => m.type === 'nestedValidation')
      ? (defaultMetadataStorage.findTypeMetadata(dto, field)?.typeFunction() as Ctor)
      : undefined;
    const at = list ? `${path}[0]` : path;
    if (nested) out.push(...fieldsOf(nested, at));
    else out.push({ path: at, kind: kindOf(ms, list) });
  }
  return out;
}

function setPath(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return copy;
}

/** JSON with placeholders swapped for raw escapes: JSON.stringify would not write a lone surrogate or NUL as we want to send them. */
const raw = (body: Record<string, unknown>) =>
  JSON.stringify(body)
    .replace(/"@@NUL@@"/g, '"hostile\\u0000value"')
    .replace(/"@@SURROGATE@@"/g, '"hostile \\ud800 value"');

export function hostileCases(dto: Ctor | null): HostileCase[] {
  const deep = '['.repeat(1500) + ']'.repeat(1500);
  if (!dto) return [{ name: 'body nested 1,500 deep', json: `{"body":${deep}}`, field: 'body' }];
  const base = validBody(dto);
  const cases: HostileCase[] = [];
  const fields = fieldsOf(dto);
  const top = fields[0]?.path.split(/[.[]/)[0] ?? 'body';
  cases.push({
    name: 'body nested 1,500 deep',
    json: raw(base).replace(new RegExp(`^\\{"${top}":`), `{"${top}":${deep},"_":`),
    field: top,
  });
  for (const f of fields) {
    if (f.kind === 'string' || f.kind === 'date' || f.kind === 'date-time') {
      cases.push({ name: `${f.path}: NUL`, json: raw(setPath(base, f.path, '@@NUL@@')), field: f.path });
      cases.push({
        name: `${f.path}: lone surrogate`,
        json: raw(setPath(base, f.path, '@@SURROGATE@@')),
        field: f.path,
      });
      cases.push({ name: `${f.path}: 1 MB`, json: raw(setPath(base, f.path, 'x'.repeat(1024 * 1024))), field: null });
    }
    if (f.kind === 'integer') {
      for (const v of ['2147483648', '-1', '1e20']) {
        cases.push({
          name: `${f.path}: ${v}`,
          json: raw(setPath(base, f.path, '@@NUM@@')).replace('"@@NUM@@"', v),
          field: f.path,
        });
      }
    }
    if (f.kind === 'date') {
      for (const v of ['0000-01-01', '9999-12-31'])
        cases.push({ name: `${f.path}: ${v}`, json: raw(setPath(base, f.path, v)), field: f.path });
    }
    if (f.kind === 'date-time') {
      for (const v of ['0000-01-01T10:00:00Z', '9999-12-31T10:00:00Z'])
        cases.push({ name: `${f.path}: ${v}`, json: raw(setPath(base, f.path, v)), field: f.path });
    }
  }
  return cases;
}
