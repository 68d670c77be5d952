import { jest } from '@jest/globals';
import { PeriodicTask } from './periodic-task.js';

/** A run that ends when the test says so. */
function gate() {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs once per tick', async () => {
    let runs = 0;
    const task = new PeriodicTask({ name: 't', everyMs: 100, run: async () => void runs++ }).start();
    await jest.advanceTimersByTimeAsync(350);
    expect(runs).toBe(3);
    await task.stop();
  });

  it('skips a tick while the previous run is still going', async () => {
    const g = gate();
    let runs = 0;
    const task = new PeriodicTask({
      name: 't',
      everyMs: 100,
      run: () => {
        runs++;
        return g.done;
      },
    }).start();
    await jest.advanceTimersByTimeAsync(500);
    expect(runs).toBe(1);
    g.open();
    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    await task.stop();
  });

  it('reports a failed run and keeps ticking', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const task = new PeriodicTask({
      name: 't',
      everyMs: 100,
      run: async () => {
        runs++;
        throw new Error(`boom ${runs}`);
      },
      onError: (err) => errors.push((err as Error).message),
    }).start();
    await jest.advanceTimersByTimeAsync(200);
    expect(errors).toEqual(['boom 1', 'boom 2']);
    await task.stop();
  });

  it('catches a run that throws before returning a promise', async () => {
    const errors: unknown[] = [];
    const task = new PeriodicTask({
      name: 't',
      everyMs: 0,
      run: () => {
        throw new Error('sync');
      },
      onError: (err) => errors.push((err as Error).message),
    });
    await expect(task.runNow()).resolves.toBeUndefined();
    expect(errors).toEqual(['sync']);
  });

  it('stop() waits for the run in flight, and no run starts after it', async () => {
    const g = gate();
    let runs = 0;
    const task = new PeriodicTask({
      name: 't',
      everyMs: 100,
      run: () => {
        runs++;
        return g.done;
      },
    }).start();
    await jest.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    g.open();
    await stopping;
    expect(stopped).toBe(true);
    await task.runNow();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
  });

  it('runNow() joins the run in flight instead of starting a second', async () => {
    const g = gate();
    let runs = 0;
    const task = new PeriodicTask({
      name: 't',
      everyMs: 0,
      run: () => {
        runs++;
        return g.done;
      },
    });
    const a = task.runNow();
    const b = task.runNow();
    expect(a).toBe(b);
    g.open();
    await a;
    await task.runNow();
    expect(runs).toBe(2);
  });

  it('schedules nothing when everyMs is 0', async () => {
    let runs = 0;
    const task = new PeriodicTask({ name: 't', everyMs: 0, run: async () => void runs++ }).start();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(0);
    await task.stop();
  });

  it('unrefs its timer unless told not to', async () => {
    const spy = jest.spyOn(global, 'setInterval');
    const a = new PeriodicTask({ name: 'a', everyMs: 100, run: async () => {} }).start();
    const b = new PeriodicTask({ name: 'b', everyMs: 100, run: async () => {}, unref: false }).start();
    const [ta, tb] = spy.mock.results.map((r) => r.value as NodeJS.Timeout);
    expect(ta.hasRef()).toBe(false);
    expect(tb.hasRef()).toBe(true);
    spy.mockRestore();
    await a.stop();
    await b.stop();
  });
});
