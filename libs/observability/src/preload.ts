// The process entry hook of every service: `node --require ./dist/libs/observability/src/preload.js <main>`.
// It starts tracing before the application loads pg, http or undici, so that the instrumentations can patch
// them, which is why it imports nothing heavy (no Nest) and is not part of the barrel. This is the one place
// in the lib that reads process.env (docs/architecture.md, "Conventions": one config per service; observability is infrastructure).
import { preloadTracingOptions } from './preload-config';
import { startTracing } from './tracing';

/** How long a signal waits for the spans to be exported (the collector may be down). */
const SIGNAL_FLUSH_TIMEOUT_MS = 3000;

const tracing = startTracing(preloadTracingOptions(process.env, process.argv[1]));

/** Settles when `work` does or after `ms`, never rejects: telemetry must not change how the process ends. */
function atMost(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    work
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

// Natural end of the process: flush and stop.
process.once('beforeExit', () => {
  void tracing.shutdown().catch(() => undefined);
});

// On a signal, flush what is finished so far, then leave the signal to its owner: Nest's shutdown hooks
// re-raise it once they are done. If nobody else listens, re-raise it here so that the default action (exit)
// still happens: a listener of our own must not make the process immune to SIGTERM.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    const othersListen = process.listenerCount(signal) > 0;
    void atMost(tracing.forceFlush(), SIGNAL_FLUSH_TIMEOUT_MS).then(() => {
      if (!othersListen) {
        process.kill(process.pid, signal);
      }
    });
  });
}
