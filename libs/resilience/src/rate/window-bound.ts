// The most calls a limiter lets into any window, as the tests and the presets' bound use it.
//
// The GCRA with a burst tolerance τ = burst · T (T = 60,000 / rpm ms; gcra.lua.ts) grants slots such that
// any two of them k reservations apart are at least k·T − τ apart, so a half-open window of W ms holds at
// most ⌈W / T⌉ + burst slots. A call leaves after its slot, never before; a caller that wakes more than the
// late tolerance L = max(T/2, lateToleranceMs) past its slot takes a new one (rate-limiter.ts, wokeLate),
// so calls leave at most L late, which lets at most ⌈L / T⌉ + 1 calls more into a window (the + 1 for the
// network and the stamping). What no limiter holds back — a call already on its way when its process
// stalls — is the caller's to add (no-overshoot.int.spec.ts counts one per stall).
import { DEFAULT_LATE_TOLERANCE_MS } from './rate-limiter.js';

export interface WindowBoundOptions {
  rpm: number;
  burst?: number;
  lateToleranceMs?: number;
}

/** Slots the GCRA grants in any W ms: ⌈W / T⌉ + burst. */
export function slotsInWindow(rpm: number, windowMs: number, burst = 0): number {
  return Math.ceil((rpm * windowMs) / 60_000) + burst;
}

/** Calls that may reach the API in any W ms: the slots plus what the late tolerance lets through. */
export function mostCallsInWindow(o: WindowBoundOptions, windowMs: number): number {
  const T = 60_000 / o.rpm;
  const late = Math.max(T / 2, o.lateToleranceMs ?? DEFAULT_LATE_TOLERANCE_MS);
  return slotsInWindow(o.rpm, windowMs, o.burst ?? 0) + Math.ceil(late / T) + 1;
}
