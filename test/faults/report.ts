import { FaultOutcome } from './fault-injectors';
import { Finding, finding } from './finding';
import { ProbeMonitor } from './probes';

/** How long after a fault ended every service must be ready again. */
const RECOVERY_LIMIT_MS = 60_000;

/**
 * Every fault scheduled was injected and confirmed (a fault that missed its window, say a relay kill that
 * found nothing unpublished, proves nothing). Minimum: the faults the schedule holds.
 */
export function faultsConfirmed(outcomes: readonly FaultOutcome[], scheduled: number): Finding {
  const confirmed = outcomes.filter((outcome) => outcome.confirmed);
  const failures = outcomes
    .filter((outcome) => !outcome.confirmed)
    .map((outcome) => `${outcome.fault} not confirmed (${outcome.evidence})`);
  return finding(
    'every fault injected and confirmed',
    scheduled,
    confirmed.length,
    failures,
    `${outcomes.length} injected, ${confirmed.length} confirmed`,
  );
}

/** Liveness held while each process was up, and readiness followed every fault as Kubernetes would see it. */
export function probeFindings(monitor: ProbeMonitor, outcomes: readonly FaultOutcome[], from: number): Finding[] {
  const to = Date.now();
  const liveness = monitor.livenessFailures(from, to);
  // Probes the prober was too late to judge count neither way; at least nine in ten must have been judged.
  const { sent, unknown } = monitor.livenessProbes(from, to);
  const judged = sent - unknown;
  const findings = [
    finding(
      'liveness 200 throughout (while the process was up)',
      Math.ceil(sent * 0.9),
      judged,
      liveness,
      `probed twice a second: ${sent} probes, ${unknown} sent while the prober itself was stalled; longest unanswered: ${
        monitor.longestLivenessSilences(from, to).join(', ') || 'none'
      }`,
    ),
  ];
  for (const outcome of outcomes) {
    const notReady = monitor.notReadyDuring(outcome.at, outcome.endedAt + 5_000);
    const missing = outcome.expectNotReady.filter((name) => !notReady.has(name));
    const recovery = monitor.recoveryMs(outcome.endedAt);
    const window = `${new Date(outcome.at).toISOString().slice(11, 23)}–${new Date(outcome.endedAt).toISOString().slice(11, 23)}`;
    const failures = [
      ...missing.map(
        (name) => `${name} never 503 (${monitor.readinessTrace(name, outcome.at, outcome.endedAt + 5_000)})`,
      ),
      ...(recovery === undefined || recovery > RECOVERY_LIMIT_MS ? [`not ready again within 60 s`] : []),
    ];
    findings.push(
      finding(
        `${outcome.fault}: readiness fails while down (503, or two probes unanswered), ready again within 60 s`,
        outcome.expectNotReady.length,
        outcome.expectNotReady.length - missing.length,
        failures,
        `fault ${window}; recovered in ${recovery ?? '∞'} ms`,
      ),
    );
  }
  return findings;
}

/** The run's report as Markdown tables: the faults with their evidence, then every check. */
export function reportOf(
  title: string,
  outcomes: readonly FaultOutcome[],
  monitor: ProbeMonitor,
  findings: readonly Finding[],
): string {
  const rows = outcomes.map((outcome) => {
    const recovery = monitor.recoveryMs(outcome.endedAt);
    const ready = recovery === undefined ? 'never' : `${(recovery / 1_000).toFixed(1)} s`;
    return `| ${outcome.fault} | ${outcome.note} | ${outcome.confirmed ? 'confirmed' : 'NOT CONFIRMED'}: ${outcome.evidence} | ${ready} |`;
  });
  return [
    title,
    '',
    '| fault | how | evidence | all ready again after |',
    '|---|---|---|---|',
    ...rows,
    '',
    '| check | result | minimum | observed | detail |',
    '|---|---|---|---|---|',
    ...findings.map(
      (f) =>
        `| ${f.check} | ${f.ok ? 'ok' : 'FAILED'} | ${f.minimum} | ${f.observed} | ${f.detail.replaceAll('|', '/')} |`,
    ),
  ].join('\n');
}
