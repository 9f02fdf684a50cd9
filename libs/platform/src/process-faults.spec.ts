import { capturingLogger } from '@shelfwatch/testing';
import { processFaultHandlers } from './process-faults';

describe('process-level fault handlers', () => {
  it('logs an unhandled rejection with an errorId and keeps the process running', () => {
    const { logger, entries } = capturingLogger('ranking');
    const exits: number[] = [];
    const handlers = processFaultHandlers(logger, (code) => exits.push(code));

    handlers.onUnhandledRejection(new Error('nobody awaited me'));
    handlers.onUnhandledRejection('a bare string');

    expect(exits).toEqual([]);
    const [first, second] = entries();
    expect(first).toMatchObject({ level: 'error', service: 'ranking', errorId: expect.any(String) });
    expect(first?.err).toMatchObject({ message: 'nobody awaited me' });
    expect(second).toMatchObject({ level: 'error', errorId: expect.any(String) });
    expect(second?.errorId).not.toBe(first?.errorId);
  });

  it('logs an uncaught exception as fatal with an errorId, then exits 1 so the supervisor restarts it', () => {
    const { logger, entries } = capturingLogger('reporting');
    const exits: number[] = [];
    const handlers = processFaultHandlers(logger, (code) => {
      // The line must already be written when the process ends.
      expect(entries()).toHaveLength(1);
      exits.push(code);
    });

    handlers.onUncaughtException(
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      'uncaughtException',
    );

    expect(exits).toEqual([1]);
    expect(entries()[0]).toMatchObject({
      level: 'fatal',
      service: 'reporting',
      origin: 'uncaughtException',
      errorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      err: { type: 'TypeError' },
    });
  });
});
