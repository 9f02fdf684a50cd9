import { NaverErrorBody, NaverSearchResponse } from '../src/naver-format';
import { RunningSimulator } from '../src/simulator';

/** Credentials the simulator accepts (any non-empty pair). */
export const AUTH = { 'X-Naver-Client-Id': 'test-client', 'X-Naver-Client-Secret': 'test-secret' };

/** What `shop.json` may answer: a result page, or an error envelope (possibly with status 200). */
export type SearchBody = Partial<NaverSearchResponse> & Partial<NaverErrorBody>;

/** A search request against a running simulator; returns status and parsed JSON body. */
export async function search(
  sim: RunningSimulator,
  params: Record<string, string>,
  headers: Record<string, string> = AUTH,
  path = '/v1/search/shop.json',
): Promise<{ status: number; body: SearchBody }> {
  const response = await fetch(`${sim.url}${path}?${new URLSearchParams(params).toString()}`, { headers });
  return { status: response.status, body: (await response.json()) as SearchBody };
}

/** One result page; fails the test unless the simulator answered 200 with items. */
export async function searchPage(sim: RunningSimulator, params: Record<string, string>): Promise<NaverSearchResponse> {
  const { status, body } = await search(sim, params);
  if (status !== 200 || body.items === undefined) {
    throw new Error(`expected a result page, got ${status} ${JSON.stringify(body)}`);
  }
  return body as NaverSearchResponse;
}

/** A control call (`/_sim/...`); POST with a JSON body when `body` is given. */
export async function control<T = Record<string, unknown>>(
  sim: RunningSimulator,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sim.url}/_sim/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}
