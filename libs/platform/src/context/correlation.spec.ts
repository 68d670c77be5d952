import { setTimeout as sleep } from 'node:timers/promises';
import { acceptCorrelationId, currentCorrelation, runWithCorrelation } from './correlation.js';

describe('correlation context', () => {
  it('is undefined outside any run', () => {
    expect(currentCorrelation()).toBeUndefined();
  });

  it('follows the code across awaits and timers', async () => {
    const seen = await runWithCorrelation({ correlationId: 'c-1', causationId: 'm-0', messageId: 'm-1' }, async () => {
      await sleep(1);
      return new Promise((resolve) => setImmediate(() => resolve(currentCorrelation())));
    });
    expect(seen).toEqual({ correlationId: 'c-1', causationId: 'm-0', messageId: 'm-1' });
    expect(currentCorrelation()).toBeUndefined();
  });

  it('keeps concurrent runs apart', async () => {
    const read = (id: string) =>
      runWithCorrelation({ correlationId: id }, async () => {
        await sleep(Math.random() * 5);
        return currentCorrelation()?.correlationId;
      });
    expect(await Promise.all(['a', 'b', 'c'].map(read))).toEqual(['a', 'b', 'c']);
  });

  it('accepts plain caller ids and refuses anything that could pollute a log line', () => {
    expect(acceptCorrelationId('3f2a-11:x.y_z')).toBe('3f2a-11:x.y_z');
    expect(acceptCorrelationId(['first', 'second'])).toBe('first');
    expect(acceptCorrelationId('with space')).toBeUndefined();
    expect(acceptCorrelationId('x'.repeat(129))).toBeUndefined();
    expect(acceptCorrelationId(undefined)).toBeUndefined();
  });
});
