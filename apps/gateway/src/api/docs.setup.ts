// The OpenAPI document (/docs-json) and Swagger UI (/docs). Schemas are not written twice: every request
// schema is the zod schema the route validates with (Standard Schema, read by @nestjs/swagger), and
// responses name theirs with @ApiOkResponse({ standardSchema }).
//
// Why here and not in main.ts: bootstrapService (libs/platform) creates and starts the app in one call,
// and routes added after start land behind Nest's 404 handler. Nest calls onModuleInit after its own
// routes and before that handler, so the documentation routes are added then, with the parts of the
// application SwaggerModule reads (its module container, HTTP adapter and static assets).
import { Injectable, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { documentIdempotency } from '../idempotency/idempotency.openapi.js';

export const BEARER = 'token';

const DESCRIPCION = `Lucy's operator API. Every route under /api/v1 needs \`Authorization: Bearer <token>\`.
Roles: **viewer** reads; **operator** also runs actions, uploads, retries, DLQ and breaker operations;
**admin** also manages tokens and the configuration. Errors are \`application/problem+json\` (RFC 9457)
whose \`detail\` says what to fix; a request that fails validation also lists \`problemas: [{ campo, mensaje }]\`,
one per field. /health/*, /metrics and /docs need no token.`;

@Injectable()
export class DocsSetup implements OnModuleInit {
  private document?: OpenAPIObject;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter || adapter.getType() !== 'express') return; // a test module without HTTP
    const container = (this.moduleRef as unknown as { container: { applicationConfig?: unknown } }).container;
    const app = {
      container,
      config: container.applicationConfig,
      getHttpAdapter: () => adapter,
      useStaticAssets: (path: string, options: { prefix?: string }) =>
        (adapter as unknown as { useStaticAssets(p: string, o: unknown): void }).useStaticAssets(path, options),
    } as unknown as INestApplication;
    const config = new DocumentBuilder()
      .setTitle('Lucy API')
      .setDescription(DESCRIPCION)
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'a token from POST /api/v1/tokens, or ADMIN_TOKEN' },
        BEARER,
      )
      .build();
    SwaggerModule.setup(
      'docs',
      app,
      () => (this.document ??= documentIdempotency(SwaggerModule.createDocument(app, config))),
      {
        jsonDocumentUrl: 'docs-json',
        yamlDocumentUrl: 'docs-yaml',
      },
    );
  }
}
