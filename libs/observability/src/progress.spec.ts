import { ProgressReporter, describeProgress, formatDuration } from './progress';

describe('describeProgress', () => {
  it('gives done/total, percentage, rate and the time left', () => {
    expect(describeProgress('replay CRAWL', { done: 1_234, total: 5_000, elapsedMs: 3_000 }, 'events')).toBe(
      'replay CRAWL: 1,234/5,000 events (24.7 %), 411 events/s, about 9.2 s left',
    );
  });

  it('leaves out the time left before there is a rate, and when all is done', () => {
    expect(describeProgress('seed', { done: 0, total: 10, elapsedMs: 0 })).toBe('seed: 0/10 (0.0 %), 0.0/s');
    expect(describeProgress('seed', { done: 10, total: 10, elapsedMs: 2_000 })).toBe('seed: 10/10 (100.0 %), 5.0/s');
  });

  it('never shows more done than the total (a stream that grew meanwhile) and copes with an empty job', () => {
    expect(describeProgress('replay', { done: 12, total: 10, elapsedMs: 1_000 })).toBe('replay: 12/12 (100.0 %), 12/s');
    expect(describeProgress('replay', { done: 0, total: 0, elapsedMs: 5 })).toBe('replay: 0/0 (100.0 %), 0.0/s');
  });

  it('says what is done and how fast when the total is unknown', () => {
    expect(describeProgress('ingest', { done: 90_000, total: null, elapsedMs: 65_000 }, 'rows')).toBe(
      'ingest: 90,000 rows, 1,385 rows/s, 1 min 05 s',
    );
  });
});

describe('formatDuration', () => {
  it('reads as seconds under a minute, minutes and seconds above', () => {
    expect([formatDuration(950), formatDuration(59_940), formatDuration(125_000)]).toEqual([
      '0.9 s',
      '59.9 s',
      '2 min 05 s',
    ]);
  });
});

describe('ProgressReporter', () => {
  it('prints at most one line per interval as it advances, and a final line with the whole rate', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = new ProgressReporter('rounds', 4, {
      emit: (line) => lines.push(line),
      everyMs: 5_000,
      now: () => now,
    });

    now = 1_000;
    progress.advance();
    now = 5_000;
    progress.advance();
    now = 6_000;
    progress.advance();
    now = 10_000;
    progress.advance();
    progress.finish();

    expect(lines).toEqual([
      'rounds: 2/4 (50.0 %), 0.4/s, about 5.0 s left',
      'rounds: 4/4 (100.0 %), 0.4/s',
      'rounds: done, 4 in 10.0 s (0.4/s)',
    ]);
  });
});
