// The idle guard's setting, apart from its clock: activation reads it to know whether the
// guard has anything to do, without loading the clock.

export const DEFAULT_IDLE_MINUTES = 60;
/** A day: past that a warning comes too late to save much. */
export const MAX_IDLE_MINUTES = 24 * 60;

/** The setting in whole minutes: 0 (off) to MAX_IDLE_MINUTES; anything else is the default. */
export function idleMinutesFrom(setting: unknown): number {
  if (typeof setting !== 'number' || !Number.isFinite(setting) || setting < 0) {
    return DEFAULT_IDLE_MINUTES;
  }
  return Math.min(MAX_IDLE_MINUTES, Math.round(setting));
}
