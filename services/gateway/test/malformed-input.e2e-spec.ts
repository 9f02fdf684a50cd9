import { z } from 'zod';
import { ApiRoutes } from '../src/http/api-routes';
import { AnyRoute } from '../src/http/route';
import { ADMIN_KEY, Api, ApiResponse, CallOptions, Platform, startPlatform } from './gateway.e2e-harness';

const SOME_ID = '01a203f9-0000-7000-8000-000000000001';

/** Every body field of the API with a value of the wrong type. */
const WRONG_TYPES = {
  name: 1,
  price: 'x',
  kind: 7,
  url: [],
  policies: 3,
  label: 5,
  graceSeconds: 'soon',
  keyword: {},
  defaults: 'all',
};

/** One malformed request to a route. */
interface Case {
  what: string;
  path: string;
  options: CallOptions;
}

function pathWith(route: AnyRoute, value: (name: string) => string): string {
  return route.path.replace(/:(\w+)/g, (_match, name: string) => value(name));
}

function queryFields(route: AnyRoute): string[] {
  if (!route.query) {
    return [];
  }
  const schema = z.toJSONSchema(route.query, { io: 'input' }) as { properties?: Record<string, unknown> };
  return Object.keys(schema.properties ?? {});
}

/** Malformed variants of every input the route takes; a route without input gets a malformed key. */
function casesOf(route: AnyRoute, key: string): Case[] {
  const path = pathWith(route, () => SOME_ID);
  const auth = { key };
  const cases: Case[] = [];
  for (const name of route.path.match(/:(\w+)/g) ?? []) {
    const bad = pathWith(route, (param) => (`:${param}` === name ? 'not-a-uuid' : SOME_ID));
    cases.push({ what: `path ${name}`, path: bad, options: auth });
  }
  for (const field of queryFields(route)) {
    cases.push({ what: `query ${field}`, path: `${path}?${field}=${'%7B'.repeat(300)}`, options: auth });
  }
  if (route.body) {
    const raw = (payload: string, contentType: string): CallOptions => ({ ...auth, raw: { payload, contentType } });
    cases.push(
      { what: 'invalid JSON', path, options: raw('{"oops":', 'application/json') },
      { what: 'JSON of the wrong type', path, options: raw('"a string"', 'application/json') },
      { what: 'wrong field types', path, options: raw(JSON.stringify(WRONG_TYPES), 'application/json') },
      { what: 'a form', path, options: raw('a=b', 'application/x-www-form-urlencoded') },
      { what: 'a 100 kB body', path, options: raw(`{"x":"${'y'.repeat(100_000)}"}`, 'application/json') },
    );
  }
  if (cases.length === 0) {
    cases.push({ what: 'malformed Authorization', path, options: { headers: { authorization: 'Bearer' } } });
  }
  return cases;
}

describe('malformed input on every route', () => {
  let platform: Platform;
  let api: Api;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    key = (await api.tenant('acme')).apiKey;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers 400, 401, 413 or 415 problem+json, never 5xx, naming the bad field', async () => {
    const routes = api.sut.app.get(ApiRoutes).all;
    const seen: { route: string; what: string; status: number; problem: boolean }[] = [];
    for (const route of routes) {
      for (const bad of casesOf(route, route.access === 'admin' ? ADMIN_KEY : key)) {
        const answer: ApiResponse<{ type?: string; status?: number; errors?: { in: string }[] }> = await api.call(
          route.method,
          bad.path,
          bad.options,
        );
        seen.push({
          route: `${route.method} ${route.path}`,
          what: bad.what,
          status: answer.status,
          problem:
            String(answer.headers['content-type']).startsWith('application/problem+json') &&
            answer.body.status === answer.status &&
            (answer.body.type ?? '').startsWith('https://shelfwatch.dev/problems/'),
        });
        if (bad.what.startsWith('path') || bad.what.startsWith('query')) {
          expect(answer.body.errors?.[0]?.in).toBe(bad.what.startsWith('path') ? 'path' : 'query');
        }
      }
    }
    const wrong = seen.filter((s) => ![400, 401, 413, 415].includes(s.status) || !s.problem);
    expect(wrong).toEqual([]);
    expect(seen.filter((s) => s.what === 'a 100 kB body').every((s) => s.status === 413)).toBe(true);
    expect(seen.filter((s) => s.what === 'a form').every((s) => s.status === 415)).toBe(true);
    expect(seen.length).toBeGreaterThan(routes.length);
  }, 60_000);
});
