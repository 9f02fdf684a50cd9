// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sequencer is CommonJS, as Jest loads it
const { arrange } = require('./test-sequencer') as { arrange: (tests: FakeTest[]) => FakeTest[] };

interface FakeTest {
  path: string;
  duration?: number;
}

const FAULTS = '/repo/test/faults/faults.fault-spec.ts';
const START = '/repo/tools/cli/test/start.int-spec.ts';

function others(count: number, duration?: number): FakeTest[] {
  return Array.from({ length: count }, (_, i) => ({ path: `/repo/libs/x/test/file${i}.int-spec.ts`, duration }));
}

describe('the test sequencer', () => {
  it('runs the fault suite first and start.int-spec after two fifths of the rest when there are no timings', () => {
    const order = arrange([
      ...others(3),
      { path: START },
      ...others(7).map((t, i) => ({ path: `${t.path}.${i}` })),
      { path: FAULTS },
    ]).map((test) => test.path);

    expect(order[0]).toBe(FAULTS);
    expect(order.indexOf(START)).toBe(1 + 4); // 10 others: 4 before it
    expect(order).toHaveLength(12);
  });

  it('queues start.int-spec after more than the fault suite’s time of other files when it has their timings', () => {
    const rest = others(100, 5_000).map((t, i) => ({ ...t, path: `${t.path}.${i}` }));
    const order = arrange([{ path: START, duration: 150_000 }, { path: FAULTS, duration: 250_000 }, ...rest]);

    // 250 s × 1.2 = 300 s of the others, 5 s each: 60 of them before it.
    expect(order.map((test) => test.path).indexOf(START)).toBe(1 + 60);
  });

  it('keeps Jest’s order when the run has no fault suite or no whole-platform file', () => {
    const tests = [{ path: START }, ...others(3)];
    expect(arrange([...tests])).toEqual(tests);
  });
});
