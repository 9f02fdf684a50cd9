import { seconds } from './readiness';
import { RestartPolicy, decideRestart, recentExits } from './restart-policy';
import { ChildExit, ChildSpec, Supervisor } from './supervisor';

/** What the restarter tells the launcher. */
export interface RestartHooks {
  print: (line: string) => void;
  /** A child crashed too often: the launcher stops everything, saying `reason`. */
  giveUp: (reason: string) => void;
  /** A restarted child is back: the launcher may wait for its readiness. */
  restarted?: (spec: ChildSpec, attempt: number) => void;
}

/**
 * Starts children under the supervisor and starts again, after a growing delay, each one that exits while the
 * launcher is not stopping ({@link decideRestart}). {@link cancel} drops the restarts still waiting.
 */
export class Restarter {
  private readonly exits = new Map<string, number[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private cancelled = false;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly policy: RestartPolicy,
    private readonly hooks: RestartHooks,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts `spec`, and keeps it running. */
  start(spec: ChildSpec): void {
    this.supervisor.start(spec, (exit) => this.exited(spec, exit));
  }

  /** No restart happens after this (the launcher is stopping). */
  cancel(): void {
    this.cancelled = true;
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }

  private exited(spec: ChildSpec, exit: ChildExit): void {
    if (this.cancelled) {
      return;
    }
    const now = this.now();
    const earlier = this.exits.get(spec.name) ?? [];
    const decision = decideRestart(earlier, now, this.policy);
    this.exits.set(spec.name, recentExits([...earlier, now], now, this.policy));
    const how = exit.signal ?? `code ${String(exit.code)}`;
    switch (decision.kind) {
      case 'give-up':
        this.hooks.giveUp(
          `${spec.name} exited (${how}) ${decision.exits} times within ${seconds(decision.windowMs)}; ` +
            'see its lines above',
        );
        return;
      case 'restart': {
        this.hooks.print(
          `${spec.name} exited (${how}); restarting in ${seconds(decision.delayMs)} (attempt ${decision.attempt})`,
        );
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!this.cancelled) {
            this.start(spec);
            this.hooks.restarted?.(spec, decision.attempt);
          }
        }, decision.delayMs);
        this.timers.add(timer);
        return;
      }
      default: {
        const unknown: never = decision;
        throw new Error(`unknown restart decision ${JSON.stringify(unknown)}`);
      }
    }
  }
}
