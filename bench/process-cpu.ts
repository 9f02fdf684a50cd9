/**
 * CPU time of processes from /proc (Linux): what a phase of a benchmark cost each process, a figure that
 * other load on the machine changes far less than a rate does.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) the process has used so far; 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds of every running process whose command name is `comm` (Postgres's backends, nats-server), by pid. */
export function cpuSecondsByName(comm: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) {
        byPid.set(Number(entry), cpuSecondsOf(Number(entry)));
      }
    } catch {
      // the process ended while we looked
    }
  }
  return byPid;
}

/** Named CPU counters read together: services by pid, shared servers by command name (one counter per process). */
export function cpuSnapshot(
  pids: Record<string, number | undefined>,
  comms: Record<string, string>,
): Record<string, number> {
  const snapshot: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    snapshot[name] = pid === undefined ? 0 : cpuSecondsOf(pid);
  }
  for (const [name, comm] of Object.entries(comms)) {
    snapshot[name] = 0;
    for (const [pid, seconds] of cpuSecondsByName(comm)) {
      snapshot[`${name}${PID_SEPARATOR}${pid}`] = seconds;
    }
  }
  return snapshot;
}

/** Separates a shared server's name from the pid of one of its processes in a snapshot. */
const PID_SEPARATOR = '#';

/**
 * CPU milliseconds per unit of work between two snapshots, by name, plus their `total`. Each process of a shared
 * server counts what it used between the two (all of it when it started in between). One that ended in between
 * takes its time in the phase with it: that figure is a lower bound.
 */
export function cpuMsPer(
  before: Record<string, number>,
  after: Record<string, number>,
  units: number,
): Record<string, number> {
  const per: Record<string, number> = {};
  let total = 0;
  for (const [key, seconds] of Object.entries(after)) {
    const name = key.split(PID_SEPARATOR)[0] ?? key;
    const used = Math.max(0, seconds - (before[key] ?? 0));
    per[name] = (per[name] ?? 0) + (used * 1_000) / units;
    total += used;
  }
  per.total = (total * 1_000) / units;
  return per;
}
