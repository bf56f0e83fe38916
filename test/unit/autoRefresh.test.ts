// Auto-refresh, on a fake clock: it never polls faster than the minimum, lengthens its
// interval as a refresh costs more requests so that an hour never spends more than its share
// of the API quota, says so in the log, sleeps while the view is hidden, and stays quiet
// once disposed.
import { EventEmitter, fireConfigurationChange, settings } from './support/fakeVscode';
import * as assert from 'assert/strict';
import { AutoRefresh, BUDGET_PER_HOUR, MIN_SECONDS, refreshInterval } from '../../src/tree/autoRefresh';
import { FakeClock, settle } from './support/fakeClock';

const HOUR_MS = 3600_000;

/** The model's part: each reload "sends" `calls` requests, and can be held open. */
class FakeModel {
  loading = false;
  reloads = 0;
  requestsSent = 0;
  hold: Promise<void> | undefined;
  constructor(public calls = 1) {}
  reloadShown(): Promise<void> {
    this.reloads++;
    this.requestsSent += this.calls;
    return this.hold ?? Promise.resolve();
  }
}

class FakeView {
  private readonly changes = new EventEmitter<{ visible: boolean }>();
  readonly onDidChangeVisibility = this.changes.event;
  constructor(public visible = true) {}
  show(visible: boolean): void {
    this.visible = visible;
    this.changes.fire({ visible });
  }
}

describe('auto-refresh', () => {
  let clock: FakeClock;
  let logged: string[];
  let running: AutoRefresh[];

  function start(seconds: number, model: FakeModel, view = new FakeView()): AutoRefresh {
    settings.set('ehpc.autoRefreshSeconds', seconds);
    const log = { info: (line: string) => void logged.push(line), warn: (line: string) => void logged.push(line) };
    const autoRefresh = new AutoRefresh(model, view, log, model);
    running.push(autoRefresh);
    return autoRefresh;
  }

  beforeEach(() => {
    clock = new FakeClock().install();
    logged = [];
    running = [];
  });
  afterEach(() => {
    running.forEach((autoRefresh) => autoRefresh.dispose());
    clock.uninstall();
    settings.clear();
  });

  it('raises a setting below the minimum to it, and 0 stays off', async () => {
    const model = new FakeModel(1);
    start(0.05, model);
    await clock.advance(MIN_SECONDS * 1000 - 1);
    assert.equal(model.reloads, 0, 'refreshed before the minimum interval');
    await clock.advance(1);
    assert.equal(model.reloads, 1);
    await clock.advance(60_000);
    assert.equal(model.reloads, 7, 'one refresh every 10 s');
    assert.ok(logged.some((line) => line.includes('ehpc.autoRefreshSeconds is 0.05, below the minimum of 10 s')), logged.join('\n'));

    const off = new FakeModel(1);
    start(0, off);
    await clock.advance(HOUR_MS);
    assert.equal(off.reloads, 0);
  });

  it('spends at most the budget in any hour, however many requests a refresh costs', async () => {
    for (const calls of [1, 3, 5, 7, 12, 50, 99, 100, 250, 499, 500]) {
      const model = new FakeModel(calls);
      const autoRefresh = start(10, model);
      await clock.advance(HOUR_MS);
      const first = model.requestsSent;
      assert.ok(first <= BUDGET_PER_HOUR, `${calls} requests a refresh: ${first} in the first hour`);
      await clock.advance(HOUR_MS);
      const second = model.requestsSent - first;
      assert.ok(second <= BUDGET_PER_HOUR, `${calls} requests a refresh: ${second} in the second hour`);
      // ... and not by refreshing much less often than the minimum and the budget allow.
      const allowed = Math.min(3600 / MIN_SECONDS, Math.floor(BUDGET_PER_HOUR / calls));
      assert.ok(second / calls >= Math.ceil(0.95 * allowed), `${calls} requests a refresh: ${second / calls} refreshes in an hour, ${allowed} allowed`);
      autoRefresh.dispose();
    }
  });

  it('lengthens the interval as a refresh costs more, and shortens it again', async () => {
    const model = new FakeModel(1);
    start(10, model);
    await clock.advance(10_000);
    assert.deepEqual(clock.pending(), [10_000], 'one request a refresh fits every 10 s');
    model.calls = 12; // two more clusters expanded, pages loaded
    await clock.advance(10_000);
    // 500 / 12 = 41 refreshes an hour: every 88 s (≥ 12 × 3600 / 500 = 86.4 s).
    assert.deepEqual(clock.pending(), [88_000]);
    model.calls = 2;
    await clock.advance(88_000);
    assert.deepEqual(clock.pending(), [15_000]);
    const changes = logged.filter((line) => line.startsWith('Auto-refresh every'));
    assert.equal(changes.length, 3, changes.join('\n'));
    assert.match(changes[1], /every 88 s instead of 10 s: the last refresh sent 12 requests \(12 × 3600 \/ 88 = 490 calls an hour, within 500 of the API's 2000\)/);
    await clock.advance(15_000 * 10);
    assert.equal(logged.filter((line) => line.startsWith('Auto-refresh every')).length, 3, 'logged again without a change');
  });

  it('never goes below the setting or the minimum', () => {
    for (const calls of [0, 1, 5, 100, 1000]) {
      for (const setting of [0.05, 1, 10, 60, 3600]) {
        const seconds = refreshInterval(setting, calls);
        assert.ok(seconds >= Math.max(setting, MIN_SECONDS), `${setting} s, ${calls} calls: ${seconds} s`);
        assert.ok(seconds >= (calls * 3600) / BUDGET_PER_HOUR, `${setting} s, ${calls} calls: ${seconds} s`);
      }
    }
    assert.equal(refreshInterval(0, 100), 0);
    assert.equal(refreshInterval(-5, 1), 0);
    assert.equal(refreshInterval(Number.NaN, 1), 0);
  });

  it('polls nothing while the view is hidden', async () => {
    const model = new FakeModel(1);
    const view = new FakeView(false);
    start(10, model, view);
    await clock.advance(HOUR_MS);
    assert.equal(model.reloads, 0);
    assert.deepEqual(clock.pending(), []);
    view.show(true);
    await clock.advance(25_000);
    assert.equal(model.reloads, 2);
    view.show(false);
    assert.deepEqual(clock.pending(), [], 'a timer is left armed while hidden');
    await clock.advance(HOUR_MS);
    assert.equal(model.reloads, 2);
  });

  it('follows a change of the setting', async () => {
    const model = new FakeModel(1);
    start(0, model);
    await clock.advance(60_000);
    settings.set('ehpc.autoRefreshSeconds', 30);
    fireConfigurationChange('ehpc.autoRefreshSeconds');
    await clock.advance(29_999);
    assert.equal(model.reloads, 0);
    await clock.advance(1);
    assert.equal(model.reloads, 1);
  });

  it('schedules nothing after dispose, even when a refresh ends afterwards', async () => {
    const model = new FakeModel(1);
    let finish!: () => void;
    model.hold = new Promise((resolve) => (finish = resolve));
    const autoRefresh = start(10, model);
    await clock.advance(10_000);
    assert.equal(model.reloads, 1, 'the refresh is under way');
    autoRefresh.dispose();
    finish();
    await settle();
    assert.deepEqual(clock.pending(), [], 'the refresh that ended after dispose armed a timer');
    await clock.advance(HOUR_MS);
    assert.equal(model.reloads, 1);
  });
});
