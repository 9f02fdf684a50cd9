import { ManagedService } from './platform';

/** One probe answer: HTTP status; 0 when nothing answered; {@link UNKNOWN} when the prober could not tell. */
interface Sample {
  at: number;
  service: string;
  live: number;
  ready: number;
}

/** The probe's timeout, as the manifests' `timeoutSeconds`. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * A probe that says nothing about the service: its timeout fired long after it was due, so the prober's own event
 * loop was blocked (the suite shares the machine's cores with the services and other test files). When the loop
 * runs again, an expired timeout is handled before the answer waiting in the socket, so every probe of that round
 * "fails" at once, for every service. A service that does not answer lets the timeout fire on time.
 */
export const UNKNOWN = -1;

/** How late the timeout may fire and still count as a service that did not answer. */
const PROBER_LATE_MS = 500;

async function status(url: string): Promise<number> {
  const sent = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return performance.now() - sent > PROBE_TIMEOUT_MS + PROBER_LATE_MS ? UNKNOWN : 0;
  }
}

/**
 * Polls every service's liveness and readiness probes twice a second for the whole run, as Kubernetes
 * would, so the run can tell whether readiness said 503 during an outage, whether liveness ever failed
 * while the process was up, and how long each service took to be ready again after a fault ended.
 */
export class ProbeMonitor {
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly services: ManagedService[]) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), 500);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    await Promise.all(
      this.services.map(async (service) => {
        const at = Date.now();
        const [live, ready] = await Promise.all([
          status(`${service.baseUrl}/health/live`),
          status(`${service.baseUrl}/health/ready`),
        ]);
        this.record(service, at, live, ready);
      }),
    );
  }

  /**
   * One probe round's answers for a service, sent at `at` (status 0: no answer within the timeout; {@link UNKNOWN}:
   * the prober was too late to tell).
   */
  record(service: ManagedService, at: number, live: number, ready: number): void {
    this.samples.push({ at, service: service.name, live, ready });
    if (live === 200) {
      service.markLive(at);
    }
  }

  /**
   * Liveness failures as Kubernetes counts them (failureThreshold 3): three probes in a row without a 200
   * while the process was supposed to be running. A single slow answer on a busy machine is not a restart.
   */
  livenessFailures(from: number, to: number): string[] {
    const failures: string[] = [];
    for (const service of this.services) {
      let streak = 0;
      const mine = this.samples.filter((s) => s.service === service.name && s.at >= from && s.at <= to);
      for (const sample of mine.sort((a, b) => a.at - b.at)) {
        if (sample.live === UNKNOWN) {
          continue; // neither a failure nor an answer
        }
        const failed = sample.live !== 200 && !service.wasDown(sample.at);
        streak = failed ? streak + 1 : 0;
        if (streak === 3) {
          failures.push(`${service.name}@${new Date(sample.at).toISOString()}`);
        }
      }
    }
    return failures;
  }

  /** Liveness probes sent inside the window, and how many of them the prober was too late to judge. */
  livenessProbes(from: number, to: number): { sent: number; unknown: number } {
    const mine = this.samples.filter((s) => s.at >= from && s.at <= to);
    return { sent: mine.length, unknown: mine.filter((s) => s.live === UNKNOWN).length };
  }

  /**
   * Services Kubernetes would have taken out of service inside the window: readiness answered 503 at least
   * once (the service reported the outage itself), or failed two probes in a row, 503 or no answer within the
   * probe's timeout (the manifests' readiness failureThreshold). No answer includes a process still booting
   * after an earlier kill: faults may overlap, and a process that cannot serve is not ready either. A service
   * that answers 200 throughout is never in the set.
   */
  notReadyDuring(from: number, to: number): Set<string> {
    const notReady = new Set<string>();
    for (const service of this.services) {
      let streak = 0;
      const mine = this.samples.filter((s) => s.service === service.name && s.at >= from && s.at <= to);
      for (const sample of mine.sort((a, b) => a.at - b.at)) {
        if (sample.ready === UNKNOWN) {
          continue;
        }
        streak = sample.ready !== 200 ? streak + 1 : 0;
        if (sample.ready === 503 || streak >= 2) {
          notReady.add(service.name);
          break;
        }
      }
    }
    return notReady;
  }

  /**
   * What one service's readiness answered inside the window, oldest first, as `HH:MM:SS.mmm=status` (0 when
   * nothing answered within the probe's timeout, `?` when the prober was too late to tell), so a failed check shows
   * what the probes actually saw.
   */
  readinessTrace(service: string, from: number, to: number): string {
    return this.samples
      .filter((s) => s.service === service && s.at >= from && s.at <= to)
      .sort((a, b) => a.at - b.at)
      .map((s) => `${new Date(s.at).toISOString().slice(11, 23)}=${s.ready === UNKNOWN ? '?' : s.ready}`)
      .join(' ');
  }

  /** Milliseconds from `from` until every service answered ready, or undefined if that never happened. */
  recoveryMs(from: number): number | undefined {
    const names = this.services.map((service) => service.name);
    const after = this.samples.filter((s) => s.at >= from);
    const readyAt = names.map((name) => after.find((s) => s.service === name && s.ready === 200)?.at);
    if (readyAt.some((at) => at === undefined)) {
      return undefined;
    }
    return Math.max(...readyAt.map((at) => (at ?? from) - from));
  }
}
