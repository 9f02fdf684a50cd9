import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { ManagedService } from './platform';
import { ProbeMonitor, UNKNOWN } from './probes';

// The monitor's verdicts decide whether the fault suite passes: these are the cases where an earlier version
// raised a false alarm, and the cases where it must still fail.

const T0 = Date.UTC(2026, 10, 22, 12);
const at = (ms: number) => T0 + ms;

function service(name: 'crawler' | 'ranking'): ManagedService {
  return new ManagedService(name, 0, {});
}

/** A kill at `killedAt` whose process was spawned again at `restartedAt` (what kill9() and start() record). */
function killed(target: ManagedService, killedAt: number, restartedAt: number): void {
  target.downWindows.push({ from: at(killedAt), restartedAt: at(restartedAt), to: undefined });
}

/** The prober's rounds, every 0.5 s from `from` until before `to` (ms). */
function probesFrom(from: number, to: number): number[] {
  return Array.from({ length: Math.ceil((to - from) / 500) }, (_, i) => from + i * 500);
}

describe('ProbeMonitor', () => {
  describe('liveness', () => {
    it('does not count the restart after a kill -9, even when a probe sent before the kill answers 200 after it', () => {
      const crawler = service('crawler');
      const monitor = new ProbeMonitor([crawler]);
      monitor.record(crawler, at(0), 200, 200);
      killed(crawler, 100, 1_100);
      // Sent at 50 ms, answered after the kill began: it must not end the kill window.
      monitor.record(crawler, at(50), 200, 200);
      for (const ms of [500, 1_000, 1_500, 2_000, 2_500]) {
        monitor.record(crawler, at(ms), 0, 0);
      }
      monitor.record(crawler, at(3_000), 200, 503);

      expect(monitor.livenessFailures(at(0), at(10_000))).toEqual([]);
    });

    it('counts liveness unanswered while the process was up for as long as Kubernetes needs to restart it (20 s)', () => {
      const crawler = service('crawler');
      const monitor = new ProbeMonitor([crawler]);
      monitor.record(crawler, at(0), 200, 200);
      for (const ms of probesFrom(500, 21_000)) {
        monitor.record(crawler, at(ms), 0, 0);
      }

      const [failure, ...more] = monitor.livenessFailures(at(0), at(30_000));
      expect(more).toEqual([]);
      expect(failure).toBe(
        `crawler@${new Date(at(20_500)).toISOString()} (no answer from 12:00:00.500 to 12:00:20.500, 41 probes; readiness answered 200 to 0)`,
      );
      expect(monitor.longestLivenessSilences(at(0), at(30_000))).toEqual([
        'crawler 20.0 s (12:00:00.500–12:00:20.500, 41 probes)',
      ]);
    });

    it('does not count a stall shorter than that: a CI run failed on three probes unanswered in 1.5 s', () => {
      const ranking = service('ranking');
      const monitor = new ProbeMonitor([ranking]);
      monitor.record(ranking, at(0), 200, 200);
      // 19.5 s unanswered, an answer, then 19.5 s more: Kubernetes probing every 10 s never sees three in a row.
      for (const ms of probesFrom(500, 20_000)) {
        monitor.record(ranking, at(ms), 0, 0);
      }
      monitor.record(ranking, at(20_000), 200, 200);
      for (const ms of probesFrom(20_500, 40_000)) {
        monitor.record(ranking, at(ms), 0, 0);
      }

      expect(monitor.livenessFailures(at(0), at(60_000))).toEqual([]);
      expect(monitor.longestLivenessSilences(at(0), at(60_000))).toEqual([
        'ranking 19.0 s (12:00:00.500–12:00:19.500, 39 probes)',
      ]);
    });

    it('does not count probes the prober was too late to judge, and does not let them break a streak either', () => {
      const crawler = service('crawler');
      const monitor = new ProbeMonitor([crawler]);
      monitor.record(crawler, at(0), 200, 200);
      // The suite's own event loop stalled: three rounds it could not judge.
      for (const ms of [500, 1_000, 1_500]) {
        monitor.record(crawler, at(ms), UNKNOWN, UNKNOWN);
      }
      expect(monitor.livenessFailures(at(0), at(10_000))).toEqual([]);
      expect(monitor.livenessProbes(at(0), at(10_000))).toEqual({ sent: 4, unknown: 3 });
      // Failures for 20 s with an unjudged round among them: still one unanswered stretch.
      for (const ms of probesFrom(2_000, 22_500)) {
        const live = ms === 10_000 ? UNKNOWN : 0;
        monitor.record(crawler, at(ms), live, live);
      }
      expect(monitor.livenessFailures(at(0), at(30_000))).toEqual([
        `crawler@${new Date(at(22_000)).toISOString()} (no answer from 12:00:02.000 to 12:00:22.000, 40 probes; readiness answered 200 to 0)`,
      ]);
    });

    it('counts failures after the restarted process answered once', () => {
      const crawler = service('crawler');
      const monitor = new ProbeMonitor([crawler]);
      killed(crawler, 0, 1_000);
      monitor.record(crawler, at(1_500), 200, 200);
      for (const ms of probesFrom(2_000, 22_500)) {
        monitor.record(crawler, at(ms), 0, 0);
      }

      expect(monitor.livenessFailures(at(0), at(30_000))).toHaveLength(1);
    });
  });

  describe('readiness during an outage', () => {
    it('takes a 503 as not ready', () => {
      const ranking = service('ranking');
      const monitor = new ProbeMonitor([ranking]);
      monitor.record(ranking, at(0), 200, 200);
      monitor.record(ranking, at(500), 200, 503);
      monitor.record(ranking, at(1_000), 200, 200);

      expect([...monitor.notReadyDuring(at(0), at(5_000))]).toEqual(['ranking']);
    });

    it('takes two probes in a row unanswered as not ready, as a process still booting after a kill answers none', () => {
      const crawler = service('crawler');
      const monitor = new ProbeMonitor([crawler]);
      killed(crawler, 0, 1_000);
      for (const ms of [1_500, 2_000, 2_500]) {
        monitor.record(crawler, at(ms), 0, 0);
      }
      monitor.record(crawler, at(3_000), 200, 200);

      expect([...monitor.notReadyDuring(at(1_000), at(5_000))]).toEqual(['crawler']);
    });

    it('does not take one unanswered probe as not ready', () => {
      const crawler = service('crawler');
      const monitor = new ProbeMonitor([crawler]);
      monitor.record(crawler, at(0), 200, 200);
      monitor.record(crawler, at(500), 200, 0);
      monitor.record(crawler, at(1_000), 200, 200);

      expect(monitor.notReadyDuring(at(0), at(5_000)).size).toBe(0);
    });

    it('finds a readiness that says 200 throughout the outage', () => {
      const crawler = service('crawler');
      const monitor = new ProbeMonitor([crawler]);
      for (const ms of [0, 500, 1_000, 1_500, 2_000]) {
        monitor.record(crawler, at(ms), 200, 200);
      }

      expect(monitor.notReadyDuring(at(0), at(5_000)).size).toBe(0);
      expect(monitor.readinessTrace('crawler', at(0), at(600))).toBe('12:00:00.000=200 12:00:00.500=200');
    });
  });

  describe('the prober thread', () => {
    let server: ChildProcess | undefined;

    afterEach(() => {
      server?.kill();
    });

    /** A service in a process of its own: liveness 200, readiness 503; resolves to its port. */
    async function startServer(): Promise<number> {
      server = spawn(process.execPath, [
        '-e',
        `const s = require('node:http').createServer((q, r) => { r.statusCode = q.url.endsWith('/ready') ? 503 : 200; r.end(); });
         s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
      ]);
      const [chunk] = (await once(server.stdout ?? server, 'data')) as [Buffer];
      return Number(chunk.toString().trim());
    }

    it('keeps probing on time while the suite’s own thread is busy', async () => {
      const port = await startServer();
      const target = new ManagedService('crawler', port, {});
      const monitor = new ProbeMonitor([target]);
      monitor.start();
      await new Promise((resolve) => setTimeout(resolve, 600));
      // The suite's thread busy for 3 s (a replay, a comparison): a prober on this thread sent nothing meanwhile,
      // and the rounds it sent just before came back late, as unknown.
      const busyFrom = Date.now();
      while (Date.now() - busyFrom < 3_000) {
        // busy
      }
      const busyTo = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 600));
      await monitor.stop();

      const during = monitor.livenessProbes(busyFrom, busyTo);
      expect(during.sent).toBeGreaterThanOrEqual(4);
      expect(during.unknown).toBe(0);
      expect(monitor.livenessFailures(busyFrom, busyTo)).toEqual([]);
      expect([...monitor.notReadyDuring(busyFrom, busyTo)]).toEqual(['crawler']);
    }, 15_000);
  });
});
