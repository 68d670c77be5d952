// A test's tear-down: every step runs even when one before it failed (a broker gone mid-run must not leave
// the schema or the queues behind), and a step's error is dropped: at the end of a run there is nothing
// left to do about it, and it must not hide the assertion that failed.
export async function cleanUp(steps: readonly (() => unknown)[]): Promise<void> {
  for (const step of steps)
    await Promise.resolve()
      .then(step)
      .catch(() => undefined);
}
