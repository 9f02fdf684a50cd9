import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { JsonSchema } from '../../services/gateway/src/docs/openapi-components';
import { breakingChanges } from '../../services/gateway/src/docs/openapi-diff';
import {
  CLIENT_TYPES_FILE,
  OPENAPI_FILE,
  committedOpenApi,
  openApiText,
} from '../../services/gateway/src/docs/openapi-document';
import { clientTypes, unversionedBreakingChanges } from './openapi';

const ROOT = resolve(__dirname, '..', '..');
const REGENERATE = 'run `npm run openapi` and commit docs/openapi.json and web/dashboard/src/api.gen.ts';

function committedText(): string {
  return readFileSync(resolve(ROOT, OPENAPI_FILE), 'utf8');
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The document as it was before its latest change: at the newest commit whose version differs from the file. */
function previousVersion(current: string): JsonSchema | null {
  const commits = git('log', '--format=%H', '-n', '20', '--', OPENAPI_FILE).split('\n').filter(Boolean);
  for (const commit of commits) {
    const text = git('show', `${commit}:${OPENAPI_FILE}`);
    if (text !== current) {
      return JSON.parse(text) as JsonSchema;
    }
  }
  return null;
}

function operations(document: JsonSchema): [string, JsonSchema][] {
  return Object.entries(document.paths as Record<string, Record<string, JsonSchema>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, JsonSchema] => [`${method} ${path}`, operation]),
  );
}

function jsonMedia(holder: unknown): JsonSchema | undefined {
  const content = (holder as { content?: Record<string, JsonSchema> } | undefined)?.content;
  return content?.['application/json'];
}

describe('docs/openapi.json', () => {
  const built = committedOpenApi();

  it('is the document the route table builds (stale otherwise)', () => {
    const committed = JSON.parse(committedText()) as JsonSchema;
    const stale = !isDeepStrictEqual(committed, built);
    // The breaking changes of the uncommitted edit, named, so that the failure says what a client would lose.
    expect({ stale, hint: stale ? REGENERATE : '', breaking: breakingChanges(committed, built) }).toEqual({
      stale: false,
      hint: '',
      breaking: [],
    });
    expect(committedText()).toBe(openApiText(built));
  });

  it('breaks no client of its previous committed version unless info.version moved to a new major (0.x: minor)', () => {
    const current = committedText();
    const previous = previousVersion(current);
    expect(unversionedBreakingChanges(previous ?? built, JSON.parse(current) as JsonSchema)).toEqual([]);
  });

  it('has an example on every JSON request and success body, each valid against its schema', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema({ $id: 'https://shelfwatch.dev/openapi.json', components: built.components });
    const checked: string[] = [];
    for (const [where, operation] of operations(built)) {
      const success = Object.entries(operation.responses as Record<string, JsonSchema>).filter(([status]) =>
        status.startsWith('2'),
      );
      const bodies = [jsonMedia(operation.requestBody), ...success.map(([, response]) => jsonMedia(response))];
      for (const media of bodies.filter((body) => body !== undefined)) {
        const ref = (media.schema as { $ref?: string }).$ref ?? '';
        const validate = ajv.compile({ $ref: `https://shelfwatch.dev/openapi.json${ref}` });
        expect({ where, ref, hasExample: 'example' in media }).toEqual({ where, ref, hasExample: true });
        expect({ where, ref, valid: validate(media.example), errors: validate.errors ?? null }).toEqual({
          where,
          ref,
          valid: true,
          errors: null,
        });
        checked.push(where);
      }
    }
    expect(checked.length).toBeGreaterThan(40);
  });

  it('names every request and answer body and marks every date field as date-time', () => {
    for (const [where, operation] of operations(built)) {
      for (const media of [jsonMedia(operation.requestBody), jsonMedia(Object.values(operation.responses ?? {})[0])]) {
        if (media) {
          expect({ where, schema: media.schema }).toEqual({
            where,
            schema: { $ref: expect.stringMatching(/^#\/components\/schemas\/\w+$/) },
          });
        }
      }
    }
    const undated: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (typeof node !== 'object' || node === null) {
        return;
      }
      const properties = (node as JsonSchema).properties as Record<string, JsonSchema> | undefined;
      for (const [name, property] of Object.entries(properties ?? {})) {
        const text = JSON.stringify(property);
        if (
          /(At|Start)$|^(from|to|at|timestamp)$/.test(name) &&
          !text.includes('date-time') &&
          !text.includes('$ref')
        ) {
          undated.push(`${where}.${name}`);
        }
      }
      Object.entries(node).forEach(([key, value]) => visit(value, `${where}.${key}`));
    };
    visit(built.components, 'components');
    expect(undated).toEqual([]);
  });

  it('documents the RateLimit headers on every authenticated answer and Retry-After on a 429', () => {
    for (const [where, operation] of operations(built)) {
      const responses = operation.responses as Record<string, JsonSchema>;
      const success = Object.entries(responses).find(([status]) => status.startsWith('2'))?.[1] ?? {};
      const headers = Object.keys(success.headers ?? {});
      const secured = !Array.isArray(operation.security);
      expect({ where, limits: headers.filter((name) => name.startsWith('RateLimit')) }).toEqual({
        where,
        limits: secured ? ['RateLimit-Policy', 'RateLimit'] : [],
      });
      expect({ where, tooMany: '429' in responses }).toEqual({ where, tooMany: secured });
    }
    const tooMany = (built.components as { responses: Record<string, JsonSchema> }).responses.RateLimitedProblem;
    expect(Object.keys((tooMany?.headers ?? {}) as JsonSchema)).toContain('Retry-After');
  });
});

describe('web/dashboard/src/api.gen.ts', () => {
  it('is the client types openapi-typescript generates from docs/openapi.json (stale otherwise)', async () => {
    const committed = readFileSync(resolve(ROOT, CLIENT_TYPES_FILE), 'utf8');
    const generated = await clientTypes(JSON.parse(committedText()) as JsonSchema);
    expect({ stale: committed !== generated, hint: committed !== generated ? REGENERATE : '' }).toEqual({
      stale: false,
      hint: '',
    });
  });
});
