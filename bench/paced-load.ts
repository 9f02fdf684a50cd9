import { Agent, ClientRequest, get } from 'node:http';

/** How long answers are awaited after the last request was due. */
const DRAIN_MS = 10_000;

/** What one paced run measured. */
export interface PacedResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Latencies in ms, each from the moment the request was DUE (so a stalled server is not hidden). */
  latencies: number[];
  /** From the first request due until the last answer (longer than planned when the server falls behind). */
  elapsedSeconds: number;
}

/**
 * Open-loop load at a fixed rate (like wrk2): request i is due at start + i / rate, whatever the answers
 * before it; its latency counts from that due time, so queueing in the client counts too (no coordinated
 * omission); answers still missing 10 s after the last request was due count as errors. autocannon's `overallRate` instead sends each connection's quota in a burst at the start of
 * every second, which measures bursts of `connections` concurrent requests rather than a steady rate.
 */
export async function pacedLoad(
  url: URL,
  headers: Record<string, string>,
  rate: number,
  seconds: number,
  maxSockets: number,
): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const result: PacedResult = { sent: 0, ok: 0, non2xx: 0, errors: 0, latencies: [], elapsedSeconds: 0 };
  const total = Math.round(rate * seconds);
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let abandoned = false;
  const open = new Set<ClientRequest>();
  const one = (due: number): Promise<void> =>
    new Promise((resolveOne) => {
      const done = (): void => {
        open.delete(request);
        resolveOne();
      };
      const request = get(url, { agent, headers }, (response) => {
        response.resume();
        response.on('end', () => {
          result.latencies.push(performance.now() - due);
          if ((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300) {
            result.ok += 1;
          } else {
            result.non2xx += 1;
          }
          done();
        });
      });
      request.on('error', () => {
        if (!abandoned) {
          result.errors += 1;
        }
        done();
      });
      open.add(request);
    });
  await new Promise<void>((finished) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1_000) + 1);
      while (result.sent < due) {
        pending.push(one(start + (result.sent * 1_000) / rate));
        result.sent += 1;
      }
      if (result.sent < total) {
        setTimeout(tick, 1);
      } else {
        finished();
      }
    };
    tick();
  });
  // An overloaded server leaves a backlog: give it DRAIN_MS, then count what is still open as errors.
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    Promise.all(pending).then(() => true),
    new Promise<boolean>((resolveLate) => (timer = setTimeout(() => resolveLate(false), DRAIN_MS))),
  ]);
  clearTimeout(timer);
  result.elapsedSeconds = (performance.now() - start) / 1_000;
  if (!drained) {
    abandoned = true;
    result.errors = result.sent - result.ok - result.non2xx;
    for (const request of open) {
      request.destroy();
    }
  }
  agent.destroy();
  return result;
}
