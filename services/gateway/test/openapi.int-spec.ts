import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { GatewayAppModule } from '../src/app.module';
import { GatewayConfig, loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';
import { ApiRoutes } from '../src/http/api-routes';
import { GatewayHttp } from '../src/http/gateway-http';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function asRecord(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

/** Every JSON Schema embedded in the document (parameters, bodies, responses, components). */
function embeddedSchemas(document: Json): { where: string; schema: Json }[] {
  const found: { where: string; schema: Json }[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${where}[${index}]`));
      return;
    }
    const record = asRecord(node);
    for (const [key, value] of Object.entries(record)) {
      if (key === 'schema' && !('$ref' in asRecord(value))) {
        found.push({ where: `${where}.schema`, schema: asRecord(value) });
      } else {
        walk(value, `${where}.${key}`);
      }
    }
  };
  walk(document.paths, 'paths');
  for (const [name, schema] of Object.entries(asRecord(asRecord(document.components).schemas))) {
    found.push({ where: `components.schemas.${name}`, schema: asRecord(schema) });
  }
  return found;
}

/** A response, or the shared one of `components.responses` it refers to. */
function resolveResponse(document: Json, response: unknown): Json {
  const ref = asRecord(response).$ref;
  const name = typeof ref === 'string' ? ref.replace('#/components/responses/', '') : null;
  return name === null ? asRecord(response) : asRecord(asRecord(asRecord(document.components).responses)[name]);
}

describe('OpenAPI document', () => {
  let booted: BootedService<GatewayConfig>;
  let document: Json;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(gatewayPersistence, loadGatewayConfig, (config, logger) =>
      GatewayAppModule.forConfig(config, logger),
    );
    const answer = await booted.sut.get('/docs-json');
    expect(answer.status).toBe(200);
    document = JSON.parse(answer.body) as Json;
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('lists exactly the API routes the app serves', () => {
    const served = booted.sut.app
      .get(GatewayHttp)
      .servedRoutes()
      .filter((route) => (route.url.startsWith('/v1/') || route.url === '/health') && route.method !== 'HEAD')
      .filter((route) => route.method !== 'OPTIONS')
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(asRecord(document.paths)).flatMap(([path, item]) =>
      Object.keys(asRecord(item)).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // The route table plus the platform's GET /health, which takes no key and no input.
    expect(served).toHaveLength(booted.sut.app.get(ApiRoutes).all.length + 1);
    expect([...documented].sort()).toEqual([...served].sort());
    const fastify = booted.sut.app.getHttpAdapter().getInstance();
    for (const entry of documented) {
      const [method = '', path = ''] = entry.split(' ');
      expect({ entry, served: fastify.hasRoute({ method, url: path.replace(/\{(\w+)\}/g, ':$1') }) }).toEqual({
        entry,
        served: true,
      });
    }
  });

  it('is a well-formed OpenAPI 3.1 document whose every schema compiles as JSON Schema 2020-12', () => {
    expect(document).toMatchObject({
      openapi: '3.1.0',
      info: { title: expect.any(String), version: expect.any(String) },
    });
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(asRecord(document.paths))) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      for (const [method, value] of Object.entries(asRecord(item))) {
        expect(METHODS).toContain(method);
        const operation = asRecord(value);
        const id = String(operation.operationId);
        expect(operationIds.has(id)).toBe(false);
        operationIds.add(id);
        const parameters = (operation.parameters ?? []) as Json[];
        const inPath = parameters.filter((p) => p.in === 'path');
        expect({ path, params: inPath.map((p) => p.name).sort() }).toEqual({ path, params: templated });
        expect(inPath.every((p) => p.required === true)).toBe(true);
        const responses = Object.entries(asRecord(operation.responses));
        expect(responses.some(([status]) => status.startsWith('2'))).toBe(true);
        // Every API route takes input and documents its 400; GET /health takes none.
        expect(responses.some(([status]) => status === '400')).toBe(path.startsWith('/v1/'));
        for (const [, response] of responses) {
          expect(typeof resolveResponse(document, response).description).toBe('string');
        }
      }
    }
    const refs = JSON.stringify(document).match(/"\$ref":"#\/components\/schemas\/(\w+)"/g) ?? [];
    const components = asRecord(asRecord(document.components).schemas);
    for (const ref of refs) {
      expect(Object.keys(components)).toContain(ref.split('/').pop()?.replace('"', ''));
    }
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const schemas = embeddedSchemas(document);
    expect(schemas.length).toBeGreaterThan(50);
    for (const { where, schema } of schemas) {
      expect({ where, valid: ajv.validateSchema(schema) }).toEqual({ where, valid: true });
      // Components refer to each other: each compiles beside them, as in the document.
      expect(() => ajv.compile({ ...schema, components: { schemas: components } })).not.toThrow();
    }
  });

  it('is the committed docs/openapi.json', () => {
    expect(document).toEqual(JSON.parse(readFileSync(resolve(__dirname, '../../../docs/openapi.json'), 'utf8')));
  });

  it('serves Swagger UI from swagger-ui-dist at /docs', async () => {
    const page = await booted.sut.get('/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('/docs/assets/swagger-ui-bundle.js');
    expect((await booted.sut.get('/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
    expect((await booted.sut.get('/docs/init.js')).body).toContain("url: '/docs-json'");
  });
});
