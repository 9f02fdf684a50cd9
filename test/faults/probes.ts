import { Worker } from 'node:worker_threads';
import { ManagedService } from './platform';

/** One probe answer: HTTP status; 0 when nothing answered; {@link UNKNOWN} when the prober could not tell. */
interface Sample {
  at: number;
  service: string;
  live: number;
  ready: number;
}

/**
 * The manifests' `livenessProbe` (k8s/base/*.yaml; probes.spec.ts checks they agree): Kubernetes restarts a container
 * after `failureThreshold` failed probes in a row, `periodSeconds` apart.
 */
export const LIVENESS_PROBE = { periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 } as const;

/** The probe's timeout, as the manifests' `timeoutSeconds`. */
const PROBE_TIMEOUT_MS = LIVENESS_PROBE.timeoutSeconds * 1_000;

/**
 * How long a process must leave liveness unanswered before Kubernetes could restart it: its first and last failed
 * probes are `(failureThreshold - 1) × periodSeconds` apart (20 s), whatever the phase of its probing.
 */
const RESTART_AFTER_MS = (LIVENESS_PROBE.failureThreshold - 1) * LIVENESS_PROBE.periodSeconds * 1_000;

/**
 * A probe that says nothing about the service: its timeout fired long after it was due, so the prober's event loop
 * was held up. The prober runs on a thread of its own (below), so the suite's own work no longer holds it up, but a
 * machine whose cores are all busy still can; and when the loop runs again, an expired timeout is handled before the
 * answer waiting in the socket, so every probe of that round "fails" at once, for every service. A service that does
 * not answer lets the timeout fire on time.
 */
export const UNKNOWN = -1;

/** How late the timeout may fire and still count as a service that did not answer. */
const PROBER_LATE_MS = 500;

/** How often each service is probed, as Kubernetes' `periodSeconds` would (faster, to see short outages). */
const PROBE_INTERVAL_MS = 500;

/**
 * The prober, run in a worker thread: it probes every service's liveness and readiness each interval and posts each
 * round's answers, stamped when they were sent. In the suite's thread, a busy stretch of the suite (replaying
 * streams, comparing shelves) delayed the probes' timers and made them late, and a readiness check during a fault
 * could then not be judged (a NATS restart's "crawler never 503" with two of its three probes unknown).
 * On 'stop' it stops probing, waits for the probes in flight, and answers 'stopped'.
 */
const PROBER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { services, intervalMs, timeoutMs, lateMs, unknown } = workerData;
async function status(url) {
  const sent = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return performance.now() - sent > timeoutMs + lateMs ? unknown : 0;
  }
}
const inFlight = new Set();
function round() {
  for (const service of services) {
    const at = Date.now();
    const probe = Promise.all([status(service.baseUrl + '/health/live'), status(service.baseUrl + '/health/ready')])
      .then(([live, ready]) => parentPort.postMessage({ service: service.name, at, live, ready }));
    inFlight.add(probe);
    void probe.finally(() => inFlight.delete(probe));
  }
}
const timer = setInterval(round, intervalMs);
parentPort.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    void Promise.allSettled([...inFlight]).then(() => parentPort.postMessage('stopped'));
  }
});
`;

/** Liveness probes of one service in a row without a 200, sent from `firstAt` to `lastAt`. */
export interface LivenessSilence {
  service: string;
  firstAt: number;
  lastAt: number;
  probes: number;
  /** Of those probes, how many readiness probes sent beside them answered 200: a process that answers one is not stalled. */
  readyAnswered: number;
}

/** A time of day to the millisecond, as the report prints fault windows. */
function clockOf(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** What the prober thread posts for each probe round of a service. */
interface ProbeRound {
  service: string;
  at: number;
  live: number;
  ready: number;
}

/**
 * Polls every service's liveness and readiness probes twice a second for the whole run, as Kubernetes
 * would, so the run can tell whether readiness said 503 during an outage, whether liveness ever failed
 * while the process was up, and how long each service took to be ready again after a fault ended.
 */
export class ProbeMonitor {
  private readonly samples: Sample[] = [];
  private prober: Worker | undefined;

  constructor(private readonly services: ManagedService[]) {}

  start(): void {
    const services = this.services.map(({ name, baseUrl }) => ({ name, baseUrl }));
    const workerData = {
      services,
      intervalMs: PROBE_INTERVAL_MS,
      timeoutMs: PROBE_TIMEOUT_MS,
      lateMs: PROBER_LATE_MS,
      unknown: UNKNOWN,
    };
    this.prober = new Worker(PROBER_SOURCE, { eval: true, workerData });
    this.prober.on('message', (message: ProbeRound | 'stopped') => {
      const service = typeof message === 'string' ? undefined : this.services.find((s) => s.name === message.service);
      if (service !== undefined && typeof message !== 'string') {
        this.record(service, message.at, message.live, message.ready);
      }
    });
  }

  /** Stops probing once the probes in flight have answered (their rounds are recorded); safe to call twice. */
  async stop(): Promise<void> {
    const prober = this.prober;
    this.prober = undefined;
    if (prober === undefined) {
      return;
    }
    const stopped = new Promise<void>((resolve) => {
      prober.on('message', (message) => message === 'stopped' && resolve());
      prober.once('exit', () => resolve());
    });
    prober.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, PROBE_TIMEOUT_MS * 2)))]);
    clearTimeout(timer);
    await prober.terminate();
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
   * Liveness failures as Kubernetes would count them with the manifests' probe ({@link LIVENESS_PROBE}): liveness
   * unanswered (no 200) while the process was supposed to be running, for long enough that some phase of Kubernetes'
   * probing every 10 s would have seen three failures in a row and restarted it ({@link RESTART_AFTER_MS}). Probed
   * every 0.5 s, a stall of a few seconds on a busy machine is seen, and is not a restart: a clean-clone CI run
   * failed on three unanswered probes (about 3 s) of a service that had just rebooted from a kill.
   */
  livenessFailures(from: number, to: number): string[] {
    return this.restartingSilences(from, to).map(
      ({ service, firstAt, lastAt, probes, readyAnswered }) =>
        `${service}@${new Date(firstAt + RESTART_AFTER_MS).toISOString()} (no answer from ${clockOf(firstAt)} to ${clockOf(lastAt)}, ${probes} probes; readiness answered 200 to ${readyAnswered})`,
    );
  }

  /** The stretches {@link livenessFailures} counts: long enough for Kubernetes to restart the process. */
  restartingSilences(from: number, to: number): LivenessSilence[] {
    return this.livenessSilences(from, to).filter((silence) => silence.lastAt - silence.firstAt >= RESTART_AFTER_MS);
  }

  /**
   * Each service's longest stretch of liveness probes left unanswered while its process was up, as
   * "service first–last (n probes)"; services that answered every probe are left out. Printed on every run, so a
   * slow stretch shows before it is long enough to fail.
   */
  longestLivenessSilences(from: number, to: number): string[] {
    const longest = new Map<string, LivenessSilence>();
    for (const silence of this.livenessSilences(from, to)) {
      const known = longest.get(silence.service);
      if (known === undefined || silence.lastAt - silence.firstAt > known.lastAt - known.firstAt) {
        longest.set(silence.service, silence);
      }
    }
    return [...longest.values()].map(
      ({ service, firstAt, lastAt, probes }) =>
        `${service} ${((lastAt - firstAt) / 1_000).toFixed(1)} s (${clockOf(firstAt)}–${clockOf(lastAt)}, ${probes} probes)`,
    );
  }

  /** Stretches of liveness probes in a row without a 200 while the process was up (unjudged probes neither end nor count). */
  livenessSilences(from: number, to: number): LivenessSilence[] {
    const silences: LivenessSilence[] = [];
    for (const service of this.services) {
      let open: LivenessSilence | undefined;
      const mine = this.samples.filter((s) => s.service === service.name && s.at >= from && s.at <= to);
      for (const sample of mine.sort((a, b) => a.at - b.at)) {
        if (sample.live === UNKNOWN) {
          continue; // neither a failure nor an answer
        }
        if (sample.live === 200 || service.wasDown(sample.at)) {
          open = undefined;
          continue;
        }
        if (open === undefined) {
          open = { service: service.name, firstAt: sample.at, lastAt: sample.at, probes: 0, readyAnswered: 0 };
          silences.push(open);
        }
        open.lastAt = sample.at;
        open.probes += 1;
        open.readyAnswered += sample.ready === 200 ? 1 : 0;
      }
    }
    return silences;
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
