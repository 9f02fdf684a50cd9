// The order `npm test` runs its files in: Jest's own (files that failed last time first, then the slowest by the
// last run's timings, else the largest), with two changes so that the two files that each run a whole platform
// (seven services, the simulator, Postgres and NATS) do not run at the same time on the two workers.
// Together they put a load average of 15 on two cores, and a clean-clone CI run failed once when the fault suite's
// crawler left liveness unanswered for 20 s while `start.int-spec.ts` booted its own platform beside it.
//   1. The fault suite goes first: it is the longest file, so starting it first also ends the run soonest.
//   2. Each other whole-platform file is queued after enough of the rest that the other worker is still busy with
//      those when the fault suite ends: by the last run's timings when Jest has them for every file, else after
//      two fifths of the files (a clean clone has no timings).
const Sequencer = require('@jest/test-sequencer').default;

/** The fault suite: first. */
const FAULTS = /\/test\/faults\/.*\.fault-spec\.ts$/;
/** The other files that boot a whole platform of their own. */
const WHOLE_PLATFORM = [/\/tools\/cli\/test\/start\.int-spec\.ts$/];
/** A fault suite's run as the CI saw it (s), for when this run has no timing of it. */
const FAULT_SUITE_SECONDS = 270;
/** Margin over the fault suite's time, so that the other worker is past it. */
const MARGIN = 1.2;
/** Without timings, the share of the other files queued before a whole-platform file. */
const SHARE_BEFORE = 0.4;

class ShelfWatchSequencer extends Sequencer {
  sort(tests) {
    return arrange(super.sort(tests));
  }
}

/** Jest's order (`duration`: the last run's time of a file in ms, when Jest has one) with the two changes above. */
function arrange(sorted) {
  const faults = sorted.filter((test) => FAULTS.test(test.path));
  const heavy = sorted.filter((test) => !FAULTS.test(test.path) && WHOLE_PLATFORM.some((p) => p.test(test.path)));
  const rest = sorted.filter((test) => !faults.includes(test) && !heavy.includes(test));
  if (faults.length === 0 || heavy.length === 0) {
    return [...faults, ...heavy, ...rest];
  }
  const at = insertionPoint(faults, rest);
  return [...faults, ...rest.slice(0, at), ...heavy, ...rest.slice(at)];
}

/** How many of `rest` go before the whole-platform files. */
function insertionPoint(faults, rest) {
  if (rest.every((test) => test.duration != null)) {
    const faultMs = faults.reduce((sum, test) => sum + (test.duration ?? FAULT_SUITE_SECONDS * 1_000), 0);
    let queued = 0;
    for (let index = 0; index < rest.length; index += 1) {
      if (queued >= faultMs * MARGIN) {
        return index;
      }
      queued += rest[index].duration;
    }
    return rest.length;
  }
  return Math.ceil(rest.length * SHARE_BEFORE);
}

module.exports = ShelfWatchSequencer;
module.exports.arrange = arrange;
