// Optional periodic refresh (`ehpc.autoRefreshSeconds`): only while the view is visible,
// one at a time, the next one timed from the end of the last, and within a share of the API
// quota: the more a refresh has to list, the longer the wait before the next one.
import * as vscode from 'vscode';
import { readNumber } from '../settings';
import { timerDelay } from '../timers';

/** The API allows this many calls per hour per account, for everything. */
export const QUOTA_PER_HOUR = 2000;
/** Auto-refresh may spend a quarter of it; the rest is the user's. */
export const BUDGET_PER_HOUR = QUOTA_PER_HOUR / 4;
/** A shorter setting (other than 0, off) is raised to this. */
export const MIN_SECONDS = 10;
/** Longer waits overflow Node's timers (which then fire at once): a day is plenty. */
const MAX_SECONDS = 24 * 3600;

/**
 * Seconds between refreshes for the setting when a refresh costs `callsPerRefresh` requests:
 * at least the minimum, and long enough that no hour holds more refreshes than the budget
 * pays for (so at least callsPerRefresh × 3600 / budget). 0 when off.
 */
export function refreshInterval(setting: number, callsPerRefresh: number): number {
  if (!(setting > 0)) {
    return 0;
  }
  const perHour = Math.floor(BUDGET_PER_HOUR / callsPerRefresh); // Infinity before the first refresh
  const forBudget = perHour >= 1 ? 3600 / perHour : (callsPerRefresh * 3600) / BUDGET_PER_HOUR;
  return Math.min(MAX_SECONDS, Math.max(setting, MIN_SECONDS, Math.ceil(forBudget)));
}

/** What auto-refresh reloads: the tree model. */
export interface Reloadable {
  readonly loading: boolean;
  reloadShown(): Promise<void>;
}

/** Counts the API requests sent (the Connection's request log). */
export interface RequestCounter {
  readonly requestsSent: number;
}

export class AutoRefresh implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private disposed = false;
  /** Requests the last refresh sent; until one has run, the setting alone counts. */
  private callsPerRefresh = 0;
  /** The interval last reported in the log, so that each change is logged once. */
  private reported = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: Reloadable,
    private readonly treeView: Pick<vscode.TreeView<unknown>, 'visible' | 'onDidChangeVisibility'>,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
    private readonly requests: RequestCounter,
  ) {
    this.subscriptions = [
      treeView.onDidChangeVisibility(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('ehpc.autoRefreshSeconds') && this.schedule()),
    ];
    this.schedule();
  }

  private get setting(): number {
    return readNumber('autoRefreshSeconds');
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed || this.running) {
      return;
    }
    const seconds = this.interval();
    if (seconds > 0 && this.treeView.visible) {
      this.timer = setTimeout(() => void this.tick(), timerDelay(seconds * 1000));
    }
  }

  /** The interval now, logged when it changes. */
  private interval(): number {
    const setting = this.setting;
    const seconds = refreshInterval(setting, this.callsPerRefresh);
    if (seconds !== this.reported && seconds > 0) {
      this.log.info(this.explain(setting, seconds));
    }
    this.reported = seconds;
    return seconds;
  }

  private explain(setting: number, seconds: number): string {
    const calls = this.callsPerRefresh;
    const perHour = `${calls} × 3600 / ${seconds} = ${Math.floor((calls * 3600) / seconds)} calls an hour, within ${BUDGET_PER_HOUR} of the API's ${QUOTA_PER_HOUR}`;
    if (seconds > Math.max(setting, MIN_SECONDS)) {
      return `Auto-refresh every ${seconds} s instead of ${Math.max(setting, MIN_SECONDS)} s: the last refresh sent ${calls} requests (${perHour}).`;
    }
    if (setting < MIN_SECONDS) {
      return `Auto-refresh every ${seconds} s: ehpc.autoRefreshSeconds is ${setting}, below the minimum of ${MIN_SECONDS} s (${perHour}).`;
    }
    return `Auto-refresh every ${seconds} s, as set (${perHour}).`;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.disposed || !this.treeView.visible) {
      return;
    }
    if (this.model.loading) {
      this.schedule(); // a refresh is already under way: skip this turn
      return;
    }
    this.running = true;
    const sentBefore = this.requests.requestsSent;
    try {
      await this.model.reloadShown();
    } catch (error) {
      this.log.warn(`Auto-refresh failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      // Requests sent meanwhile for something else count too: the budget errs on the safe side.
      this.callsPerRefresh = this.requests.requestsSent - sentBefore;
      this.running = false;
      this.schedule();
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
