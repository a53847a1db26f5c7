import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
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
      'Multiparty memoranda: drafting, approval of a frozen revision, signing, follow-up and reminders. '
      + 'Every error answers with the ErrorBody schema.',
    )
    .setVersion('0.1.0')
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

/** Public operations say so (`security: []`); paths and components in a stable order for diffs. */
function finalise(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
  document.paths = Object.fromEntries(Object.entries(document.paths).sort(([a], [b]) => a.localeCompare(b)));
  if (document.components?.schemas) {
    document.components.schemas = Object.fromEntries(
      Object.entries(document.components.schemas).sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return document;
}
