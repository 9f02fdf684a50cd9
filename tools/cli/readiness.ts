import { httpAnswer } from './probe';

/** One child the launcher waits for. */
export interface ReadinessTarget {
  name: string;
  url: string;
}

/** Which children became ready, and which did not within the time allowed. */
export interface ReadinessResult {
  ready: string[];
  notReady: string[];
  /** What each child not ready answered last (`HTTP 503: {...}`, or why nothing answered). */
  lastAnswers: Record<string, string>;
  elapsedMs: number;
}

/**
 * Polls every target's readiness URL until it answers 200, printing one progress line as each one becomes
 * ready (`ready 3/8: ranking (4.2 s)`). Stops early when `abort` says so (a child exited).
 */
export async function waitForReadiness(
  targets: readonly ReadinessTarget[],
  timeoutMs: number,
  print: (line: string) => void,
  abort: () => boolean,
): Promise<ReadinessResult> {
  const started = Date.now();
  const pending = new Map(targets.map((target) => [target.name, target.url]));
  const ready: string[] = [];
  const lastAnswers: Record<string, string> = {};
  while (pending.size > 0 && Date.now() - started < timeoutMs && !abort()) {
    const answers = await Promise.all(
      [...pending].map(async ([name, url]) => ({ name, ...(await httpAnswer(url, 1_000)) })),
    );
    for (const { name, ok, detail } of answers) {
      if (!ok) {
        lastAnswers[name] = detail;
        continue;
      }
      pending.delete(name);
      delete lastAnswers[name];
      ready.push(name);
      print(`ready ${ready.length}/${targets.length}: ${name} (${seconds(Date.now() - started)})`);
    }
    if (pending.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return { ready, notReady: [...pending.keys()], lastAnswers, elapsedMs: Date.now() - started };
}

/** `reporting (HTTP 503: {...})`: each child not ready with what it answered last. */
export function notReadyWhy(result: ReadinessResult): string {
  return result.notReady.map((name) => `${name} (${result.lastAnswers[name] ?? 'never asked'})`).join(', ');
}

/** `4.2 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
