import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { FastifyInstance } from 'fastify';

/** Where `npm run build` of the dashboard (another issue) puts it; served at `/` when present. */
export const DASHBOARD_DIR = resolve('dist/dashboard');

const UI_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>ShelfWatch API</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

// A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
const UI_INIT = "window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui' });\n";

function swaggerUiDir(): string {
  return join(require.resolve('swagger-ui-dist/package.json'), '..');
}

/** `/docs-json` (the OpenAPI document), `/docs` (Swagger UI from swagger-ui-dist, no CDN). */
export async function registerDocs(instance: FastifyInstance, document: Record<string, unknown>): Promise<void> {
  const json = JSON.stringify(document);
  instance.get('/docs-json', (_request, reply) => reply.type('application/json; charset=utf-8').send(json));
  instance.get('/docs', (_request, reply) => reply.type('text/html; charset=utf-8').send(UI_PAGE));
  instance.get('/docs/init.js', (_request, reply) => reply.type('application/javascript').send(UI_INIT));
  await instance.register(fastifyStatic, { root: swaggerUiDir(), prefix: '/docs/assets/', decorateReply: false });
}

/** Serves the built dashboard at `/` when it exists; nothing otherwise (the dashboard is a later issue). */
export async function registerDashboard(instance: FastifyInstance, dir = DASHBOARD_DIR): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) {
    return false;
  }
  await instance.register(fastifyStatic, { root: dir, prefix: '/', decorateReply: false, wildcard: false });
  return true;
}
