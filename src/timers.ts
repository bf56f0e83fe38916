// Node runs a timer longer than 2^31-1 ms after 1 ms (with a TimeoutOverflowWarning): every
// delay handed to setTimeout goes through here, so that a huge wait stays a long one.

/** The longest delay setTimeout keeps (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as setTimeout may take it: not negative, not NaN, and at most MAX_TIMER_MS. */
export function timerDelay(ms: number): number {
  return Number.isNaN(ms) ? 0 : Math.min(MAX_TIMER_MS, Math.max(0, ms));
}
