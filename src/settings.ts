// Every `ehpc.*` setting the extension reads, read in one place with its bounds.
//
// A folder's `.vscode/settings.json` comes with whatever repository the user opens. What
// steers requests, keys, the API quota or a safety question is therefore read from the user's
// own settings only (package.json gives those settings "scope": "machine" or "application", so
// the Settings editor says so, and VS Code ignores them in a workspace; reading the user's
// value here keeps it so whatever VS Code does). So is which notifications show: a folder
// set to "none" would hide the endings of the user's jobs.
import * as vscode from 'vscode';

export interface NumberBounds {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** Whole numbers only: a fraction is rounded. */
  readonly integer: boolean;
}

/** The numeric settings, all user-only, with the bounds package.json declares too. */
export const NUMBER_SETTINGS = {
  /** Seconds between looks at watched jobs; the watch's idle slow-down stops at 300 too. */
  watchIntervalSeconds: { default: 30, min: 10, max: 300, integer: true },
  /** 0 is off; 1 to 9 count as 10 (tree/autoRefresh.ts says so in the log). A day at most. */
  autoRefreshSeconds: { default: 0, min: 0, max: 24 * 3600, integer: false },
  /** 0 turns the typed question off: the user's own choice, never a folder's. */
  typedConfirmationThreshold: { default: 20, min: 0, max: 1000, integer: true },
  /** How many jobs one chat tool call may delete or cancel. */
  agentMaxJobsPerCall: { default: 50, min: 1, max: 100, integer: true },
  /** 0 is off, a day at most (later, a warning saves little); read through readIdleMinutes, which takes a negative value as the default, not as off. */
  idleClusterMinutes: { default: 60, min: 0, max: 24 * 60, integer: true },
} as const satisfies Record<string, NumberBounds>;

export type NumberSetting = keyof typeof NUMBER_SETTINGS;

/** `value` within `bounds`: the default when it is not a finite number, else rounded and clamped. */
export function bounded(value: unknown, bounds: NumberBounds): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return bounds.default;
  }
  const whole = bounds.integer ? Math.round(value) : value;
  return Math.min(bounds.max, Math.max(bounds.min, whole));
}

/** The value in the user's settings (local or remote), never a workspace's or a folder's. */
export function userValue(name: string): unknown {
  return vscode.workspace.getConfiguration('ehpc').inspect<unknown>(name)?.globalValue;
}

/** A numeric setting from the user's settings, within its bounds. */
export function readNumber(name: NumberSetting): number {
  return bounded(userValue(name), NUMBER_SETTINGS[name]);
}

/** What `readAccounts` needs: the accounts, and the single account's endpoint and zones. */
export function readAccountSettings(): { accounts: unknown; endpoint: unknown; zones: unknown } {
  return { accounts: userValue('accounts'), endpoint: userValue('endpoint'), zones: userValue('zones') };
}

/** `ehpc.notifyOn`: all endings, only failures (exited, a cancel that failed), or none. */
export type NotifyOn = 'all' | 'failures' | 'none';

/** From the user's settings only (the log keeps every ending whatever it says). */
export function readNotifyOn(): NotifyOn {
  const value = userValue('notifyOn');
  return value === 'failures' || value === 'none' ? value : 'all';
}

/**
 * `ehpc.ssh.loginNodes`: per cluster id, another way in to its login node (`[user@][host][:port]`
 * or a Host of ~/.ssh/config). From the user's settings only: it says where a password goes.
 * Entries that are not a string of a sane length are left out.
 */
export function readLoginNodes(): Readonly<Record<string, string>> {
  const value = userValue('ssh.loginNodes');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {};
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter((entry): entry is [string, string] => /^[\w.-]{1,64}$/.test(entry[0]) && typeof entry[1] === 'string' && entry[1].length <= 300)
    .slice(0, 1000);
  return Object.fromEntries(entries);
}

/**
 * `ehpc.idleClusterMinutes`: after how many minutes without a job an active pay-as-you-go
 * cluster is warned about (0: never). From the user's settings only: it steers requests.
 */
export function readIdleMinutes(): number {
  const value = userValue('idleClusterMinutes');
  return typeof value === 'number' && value < 0 ? NUMBER_SETTINGS.idleClusterMinutes.default : bounded(value, NUMBER_SETTINGS.idleClusterMinutes);
}
