/**
 * The second entry point of the platform, `@kelisim/platform/http-app`: what only an HTTP process
 * needs (the Express set-up, the OpenAPI document, the queue health indicator). Kept out of the
 * index so a worker process never loads Express, Swagger's document builder or Terminus.
 */
export * from './http/configure-http';
export * from './http/openapi/openapi-document';
export * from './health/queue.health';
