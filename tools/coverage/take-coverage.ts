import { afterAll } from '@jest/globals';
import { takeCoverage } from 'node:v8';

/**
 * Jest setup (every project): when the run collects V8 coverage (`NODE_V8_COVERAGE` set), write what this test
 * file ran to disk now. Jest's workers are replaced (`--workerIdleMemoryLimit`) or killed (`--forceExit`) before
 * Node would write it at exit; `takeCoverage()` also resets the counters, so nothing is counted twice.
 */
afterAll(() => {
  if (process.env.NODE_V8_COVERAGE) {
    takeCoverage();
  }
});
