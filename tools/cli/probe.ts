import { connect } from 'node:net';

/** Resolves true when something accepts a TCP connection on `host:port` within `timeoutMs`. */
export function answers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Host and port of a URL, with `defaultPort` when it names none. */
export function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { host, port: parsed.port === '' ? defaultPort : Number(parsed.port) };
}

/** Resolves true once `check` does, polling every `intervalMs`; false after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** What `GET url` answered within `timeoutMs`: 200 or not, and otherwise what it said (status and body, or error). */
export async function httpAnswer(url: string, timeoutMs = 1_000): Promise<{ ok: boolean; detail: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.status === 200) {
      await response.body?.cancel();
      return { ok: true, detail: 'HTTP 200' };
    }
    const body = (await response.text()).replace(/\s+/g, ' ').slice(0, 300);
    return { ok: false, detail: `HTTP ${response.status}${body === '' ? '' : `: ${body}`}` };
  } catch (error) {
    // fetch's own error says only "fetch failed"; its cause says why (ECONNREFUSED, a timeout).
    const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown } };
    return { ok: false, detail: String(cause?.message ?? message ?? error) };
  }
}

/** Resolves true when `GET url` answers 200 within `timeoutMs`. */
export async function httpOk(url: string, timeoutMs = 1_000): Promise<boolean> {
  return (await httpAnswer(url, timeoutMs)).ok;
}
