import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('resolves to the first truthy value the probe returns', async () => {
    let n = 0;
    await expect(waitFor(() => ++n >= 3 && n, 'n to reach 3', { everyMs: 1 })).resolves.toBe(3);
  });

  it('fails at the deadline, naming what it waited for', async () => {
    await expect(waitFor(() => false, 'nothing', { timeoutMs: 20, everyMs: 5 })).rejects.toThrow(
      'timed out after 20 ms waiting for nothing',
    );
  });

  it('fails at once when the probe throws, unless told to retry errors', async () => {
    let calls = 0;
    const probe = () => {
      if (++calls < 3) throw new Error(`not yet ${calls}`);
      return 'up';
    };
    await expect(waitFor(probe, 'a service', { everyMs: 1 })).rejects.toThrow('not yet 1');
    calls = 0;
    await expect(waitFor(probe, 'a service', { everyMs: 1, retryErrors: true })).resolves.toBe('up');
    await expect(
      waitFor(() => Promise.reject(new Error('refused')), 'a service', {
        timeoutMs: 10,
        everyMs: 2,
        retryErrors: true,
      }),
    ).rejects.toThrow('(last error: refused)');
  });
});
