import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { NO_IDEMPOTENCY_EXTENSION } from '../../idempotency/idempotency.interceptor';
import { kelisimVersion } from '../../version';
import { ERROR_DESCRIPTIONS } from './api-errors.decorator';
import { ErrorBodySchema } from './error-body.schema';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * The OpenAPI document of an HTTP app: the one served at /docs/json and committed as openapi.json
 * (scripts/openapi.ts). Tokens are opaque (not JWT); routes without a bearer requirement are public.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Kelisim API')
    .setDescription(
      'Multiparty memoranda: drafting, approval of a frozen revision, signing, follow-up and reminders. ' +
        'Every error answers with the ErrorBody schema.',
    )
    .setVersion(kelisimVersion())
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('http://localhost:3000', 'A local instance (`npm start`)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A login or personal API token (opaque)' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorBodySchema],
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return finalise(document);
}

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description: 'Repeats with the same key and body answer the first answer again (24 h) and change nothing',
  schema: { type: 'string' as const, pattern: '^[A-Za-z0-9_.:-]{1,200}$' },
};

const IDEMPOTENCY_NOTES: Record<number, string> = {
  409: 'also while a request with the same Idempotency-Key is still running',
  422: 'also an Idempotency-Key reused with another body',
};

const errorAnswer = (status: number) => ({
  description: IDEMPOTENCY_NOTES[status]
    ? `${ERROR_DESCRIPTIONS[status]}; ${IDEMPOTENCY_NOTES[status]}`
    : ERROR_DESCRIPTIONS[status],
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
});

/**
 * The body of a POST, PUT or PATCH that takes none: nothing, or an empty JSON object (what many
 * clients send by default); any field is refused with 400 (RequestShapeInterceptor).
 */
const NO_BODY = {
  required: false,
  description: 'This operation takes no input: send no body, or an empty JSON object',
  content: {
    'application/json': { schema: { type: 'object' as const, additionalProperties: false, maxProperties: 0 } },
  },
};

/**
 * What holds for every operation, said once here: public operations say so (`security: []`), POSTs
 * take Idempotency-Key, a write that takes no input says so (NO_BODY), a JSON body may be refused
 * as too large or not JSON. Nullable references as strict OpenAPI 3.0 validators read them
 * (strictNullability). Paths and components in a stable order for diffs.
 */
function finalise(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!operation) continue;
      if (!operation.security) operation.security = [];
      if ((method === 'post' || method === 'put' || method === 'patch') && !operation.requestBody)
        operation.requestBody = NO_BODY;
      if (method === 'post' && !operation[NO_IDEMPOTENCY_EXTENSION]) {
        operation.parameters = [...(operation.parameters ?? []), IDEMPOTENCY_KEY];
        operation.responses['409'] ??= errorAnswer(409);
        operation.responses['422'] ??= errorAnswer(422);
      }
      delete operation[NO_IDEMPOTENCY_EXTENSION];
      if (operation.requestBody) {
        operation.responses['413'] ??= errorAnswer(413);
        operation.responses['415'] ??= errorAnswer(415);
      }
      operation.responses = Object.fromEntries(
        Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
  document.paths = Object.fromEntries(Object.entries(document.paths).sort(([a], [b]) => a.localeCompare(b)));
  strictNullability(document);
  if (document.components?.schemas) {
    document.components.schemas = Object.fromEntries(
      Object.entries(document.components.schemas).sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return document;
}

/** The only value of a nullable reference's second branch: `null` (a type, since 3.0 has no null type). */
const NULL_ONLY = { type: 'object', nullable: true, enum: [null] };

/**
 * `nullable` as OpenAPI 3.0.3 defines it: it adds null to the `type` beside it, and does not
 * reach into `allOf`. @nestjs/swagger writes a nullable reference as `{ nullable, type: object,
 * allOf: [{ $ref }] }`, which a strict validator reads as "an object matching the reference" —
 * null refused. Rewritten as `oneOf: [{ $ref }, null]`. A nullable enum lists null among its
 * values (a strict validator does not add it). In place, wherever schemas appear.
 */
export function strictNullability(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(strictNullability);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  for (const value of Object.values(schema)) strictNullability(value);
  if (schema.nullable !== true) return;
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && (allOf[0] as Record<string, unknown>).$ref) {
    delete schema.allOf;
    delete schema.type;
    delete schema.nullable;
    schema.oneOf = [allOf[0], NULL_ONLY];
  } else if (Array.isArray(schema.enum) && !schema.enum.includes(null)) {
    schema.enum = [...schema.enum, null];
  }
}
