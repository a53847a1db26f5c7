/**
 * Every answer an e2e test receives through `TestApp.http()` is checked against openapi.json, as
 * strictly as a strict validator would (`nullable` by the letter of OpenAPI 3.0.3): the status
 * must be declared for the operation and the body must match its schema; a request with a body to
 * an operation that declares none must not succeed. A path the
 * document does not know may only answer an ErrorBody (404, 405) — or be one of the few routes
 * outside the API (the queue dashboard, the documentation). Counts go to a file per test file;
 * the global teardown adds them up and prints the total.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';

type Schema = Record<string, unknown>;
type Operation = {
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Outside the API contract: the bull-board dashboard and Swagger UI. */
// The queue dashboard, the docs, and the web interface (/ leads to /app): pages, not operations.
const UNDOCUMENTED = [/^\/admin\/queues(\/|$)/, /^\/docs(\/|$|-json)/, /^\/$/, /^\/app(\/|$)/];

const document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as Document;

/**
 * OpenAPI 3.0.3's `nullable` as a strict validator (Prism with --errors, openapi-schema-validator)
 * reads it: it adds null to the `type` beside it and to nothing else — not to an `enum` (null must
 * be listed), not through `allOf`/`$ref`, not to a schema without `type`. So `{ nullable, allOf:
 * [{ $ref }] }` refuses null, as those tools do.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'nullable' && k !== 'example') out[k] = toJsonSchema(v);
  if ((node as Schema).nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', components: toJsonSchema(document.components) as Schema });
const compiled = new Map<string, ValidateFunction>();

const templates = Object.keys(document.paths)
  .map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    // Literal segments first: /memoranda/{id}/history/verify before /memoranda/{id}/history/{x}.
    weight: template.split('/').filter((s) => s && !s.startsWith('{')).length,
  }))
  .sort((a, b) => b.weight - a.weight);

const counts = { validated: 0, undocumented: 0 };

function validatorFor(key: string, schema: Schema): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    // $refs point into components: resolve them against the document registered as "openapi".
    const rewritten = JSON.parse(
      JSON.stringify(toJsonSchema(schema)).replace(/"#\/components\//g, '"openapi#/components/'),
    );
    v = ajv.compile(rewritten);
    compiled.set(key, v);
  }
  return v;
}

function checkBody(
  res: Response,
  key: string,
  content: Record<string, { schema?: Schema }> | undefined,
  where: string,
): void {
  if (!content) {
    if (res.text) throw new Error(`${where}: the document declares no body, but one came: ${res.text.slice(0, 200)}`);
    return;
  }
  const type = String(res.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  const media = content[type];
  if (!media)
    throw new Error(
      `${where}: content type ${type || '(none)'} is not declared (declared: ${Object.keys(content).join(', ')})`,
    );
  // Bytes (evidence files, exports): the content type is the check; a binary schema says nothing more.
  if (!media.schema || (media.schema as { format?: string }).format === 'binary') return;
  const body = type === 'application/json' ? res.body : res.text;
  const validate = validatorFor(`${key} ${type}`, media.schema);
  if (!validate(body)) {
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(body)'} ${e.message}`)
      .join('; ');
    throw new Error(`${where}: body does not match the document: ${errors}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}

/** What the strict check finds wrong with a value under a schema of the document ([] when it matches). */
export function schemaErrors(schema: Schema, value: unknown): string[] {
  const validate = validatorFor(JSON.stringify(schema), schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`);
}

/** Throws when the answer does not match openapi.json. */
export function validateResponse(method: string, url: string, res: Response): void {
  const path = new URL(url, 'http://localhost').pathname;
  const where = `${method.toUpperCase()} ${path} → ${res.status}`;
  // CORS preflights are answered by the CORS middleware, outside the operations.
  if (method.toLowerCase() === 'options') {
    counts.undocumented++;
    return;
  }
  const match = templates.find((t) => t.regex.test(path));
  const operation = match ? document.paths[match.template][method.toLowerCase()] : undefined;
  if (!operation) {
    if (res.status >= 400) {
      checkBody(
        res,
        'error',
        { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        `${where} (no operation)`,
      );
      counts.validated++;
      return;
    }
    if (UNDOCUMENTED.some((r) => r.test(path))) {
      counts.undocumented++;
      return;
    }
    throw new Error(
      `${where}: no operation in openapi.json answers ${method.toUpperCase()} ${match?.template ?? path}`,
    );
  }
  const sent = (res as Response & { request?: { _data?: unknown } }).request?._data;
  if (sent !== undefined && !operation.requestBody && res.status < 400) {
    throw new Error(
      `${where}: ${method.toUpperCase()} ${match!.template} declares no request body, yet accepted one: ${JSON.stringify(sent).slice(0, 200)}`,
    );
  }
  const declared = operation.responses[String(res.status)] ?? operation.responses.default;
  if (!declared) {
    throw new Error(
      `${where}: status ${res.status} is not declared for ${method.toUpperCase()} ${match!.template} (declared: ${Object.keys(operation.responses).join(', ')})`,
    );
  }
  checkBody(res, `${method} ${match!.template} ${res.status}`, declared.content, where);
  counts.validated++;
}

/** Called once per test file (afterAll): leaves this file's counts for the global teardown. */
export function recordCounts(): void {
  const run = process.env.KELISIM_TEST_RUN;
  if (!run || counts.validated + counts.undocumented === 0) return;
  const dir = countsDir(run);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`),
    JSON.stringify(counts),
  );
  counts.validated = 0;
  counts.undocumented = 0;
}

export const countsDir = (run: string) => join(tmpdir(), `kelisim-openapi-${run}`);
