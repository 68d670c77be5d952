// Tests wait for the state they expect, with a deadline, never for a fixed time (docs/STYLE.md, "Tests").

export interface WaitOptions {
  /** How long before giving up (default 20 s). */
  timeoutMs?: number;
  /** How often to look again (default 50 ms). */
  everyMs?: number;
  /**
   * Count an error thrown by the probe as "not yet" (say, a service still starting) instead of failing
   * at once; the timeout then names the last error. Off by default, so a probe can fail fast.
   */
  retryErrors?: boolean;
}

type Falsy = undefined | null | false | 0 | '';

/** Polls `probe` until it returns something truthy, which it resolves to; fails naming `what` at the deadline. */
export async function waitFor<T>(
  probe: () => T | Falsy | Promise<T | Falsy>,
  what: string,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 20_000, everyMs = 50, retryErrors = false } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      if (!retryErrors) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      const last =
        lastError === undefined
          ? ''
          : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
