// The watch scheduler on a fake clock: one look-up per cluster per tick, no timer while
// nothing is active, slower while nothing changes, an hourly budget whatever is watched,
// failures backed off and said once, the quota paused for, and the findings reported.
import * as assert from 'assert/strict';
import { ClusterPlace } from '../../src/ehpc/batch';
import { EhpcError } from '../../src/ehpc/errors';
import { Job, JobStatus, OperationState, OperationStatus } from '../../src/ehpc/types';
import {
  IDLE_CAP_SECONDS, JobEnding, MAX_INTERVAL_SECONDS, TickAllowance, UNKNOWN_ANSWERS_LIMIT, LookupResult, QUOTA_PAUSE_SECONDS, SchedulerDeps, WATCH_BUDGET_PER_HOUR, WatchEvent, WatchScheduler,
} from '../../src/watch/scheduler';
import { MAX_TIMER_MS, timerDelay } from '../../src/timers';
import { FakeClock } from './support/fakeClock';

const HOUR_MS = 3600_000;

function job(cluster: number, n: number, status: JobStatus = 'running', zone = 'jn1a'): Job {
  return { account: 'QingCloud', zone, clusterId: `ehpc-c${cluster}`, hpcjobUuid: `hpcjob-c${cluster}n${n}`, name: `job ${cluster}.${n}`, status };
}

/** The job as another account lists it. */
function under(account: string, listed: Job): Job {
  return { ...listed, account };
}

/** The server's side: jobs by id, look-ups counted per cluster, faults on demand. */
class FakeServer {
  readonly jobs = new Map<string, Job>();
  lookups: { account: string; clusterId: string; ids: readonly string[] }[] = [];
  operationPolls: string[] = [];
  details: string[] = [];
  operations = new Map<string, OperationStatus>();
  operationErrors = new Map<string, string>();
  fail: Error | undefined;
  /** Called as each look-up request is sent. */
  onSent: (() => void) | undefined;

  add(...jobs: Job[]): Job[] {
    jobs.forEach((j) => this.jobs.set(j.hpcjobUuid, { ...j }));
    return jobs;
  }

  set(id: string, status: JobStatus): void {
    this.jobs.get(id)!.status = status;
  }

  /** One request per look-up, through the tick's allowance. */
  lookup = ({ account, clusterId }: ClusterPlace, ids: readonly string[], allowance: TickAllowance): Promise<LookupResult> =>
    allowance.read((onSend) => {
      onSend();
      this.onSent?.();
      this.lookups.push({ account, clusterId, ids });
      if (this.fail) {
        return Promise.reject(this.fail);
      }
      const found = new Map(ids.map((id) => [id, this.jobs.has(id) ? { ...this.jobs.get(id)! } : undefined]));
      return Promise.resolve({ jobs: found });
    });

  operation = (_where: Pick<ClusterPlace, 'account' | 'zone'>, id: string): Promise<OperationState> => {
    this.operationPolls.push(id);
    return Promise.resolve({ status: this.operations.get(id) ?? 'pending', ...(this.operationErrors.has(id) ? { errorCodes: this.operationErrors.get(id) } : {}) });
  };

  ending = (j: Job): Promise<JobEnding> => {
    this.details.push(j.hpcjobUuid);
    return Promise.resolve(j.status === 'exited' ? { reason: 'NonZeroExitCode', runSeconds: 65 } : { runSeconds: 3725 });
  };

  get requests(): number {
    return this.lookups.length + this.operationPolls.length + this.details.length;
  }
}

describe('watch scheduler', () => {
  let clock: FakeClock;
  let server: FakeServer;
  let events: WatchEvent[][];
  let failing: unknown[];
  let recovered: number;
  let updated: Job[];
  let scheduler: WatchScheduler;
  let interval: number;

  function make(extra: Partial<SchedulerDeps> = {}): WatchScheduler {
    scheduler = new WatchScheduler({
      lookup: server.lookup,
      operation: server.operation,
      ending: server.ending,
      intervalSeconds: () => interval,
      now: () => clock.now,
      onEvents: (e) => events.push(e),
      onFailing: (error) => failing.push(error),
      onRecovered: () => recovered++,
      onJobsUpdated: (jobs) => updated.push(...jobs),
      ...extra,
    });
    return scheduler;
  }

  beforeEach(() => {
    clock = new FakeClock().install();
    clock.now = Date.UTC(2026, 0, 1);
    server = new FakeServer();
    events = [];
    failing = [];
    recovered = 0;
    updated = [];
    interval = 30;
  });

  afterEach(() => {
    scheduler?.dispose();
    clock.uninstall();
  });

  it('looks up each cluster once per tick: 50 jobs in 5 clusters cost 5 requests', async () => {
    const jobs = server.add(...Array.from({ length: 50 }, (_, i) => job(i % 5, i)));
    make().watch(jobs);
    await clock.advance(75_000);
    assert.equal(server.lookups.length, 5);
    assert.deepEqual(server.lookups.map((l) => l.ids.length), [10, 10, 10, 10, 10]);
    assert.deepEqual(new Set(server.lookups.map((l) => l.clusterId)).size, 5);
  });

  it('runs no timer and sends nothing while no watched job is pending or running', async () => {
    make();
    assert.equal(scheduler.watch([job(1, 1, 'finished')]), 0, 'an ended job is not watched');
    assert.deepEqual(clock.pending(), []);
    const [running] = server.add(job(1, 2));
    scheduler.watch([running]);
    assert.equal(clock.pending().length, 1);
    server.set(running.hpcjobUuid, 'finished');
    await clock.advance(30_000);
    assert.equal(server.lookups.length, 1);
    assert.deepEqual(clock.pending(), [], 'a timer is left although nothing is active');
    await clock.advance(HOUR_MS);
    assert.equal(server.requests, 1 + 1, 'the look-up and the one detail request of the ended job');
  });

  it('slows down while nothing changes and comes back to the setting on a change', async () => {
    const [a] = server.add(job(1, 1, 'pending'));
    make().watch([a]);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      waits.push(clock.pending()[0]);
      await clock.advance(clock.pending()[0]);
    }
    assert.deepEqual(waits.slice(0, 4), [30_000, 45_000, 67_500, 101_250]);
    assert.equal(Math.max(...waits), IDLE_CAP_SECONDS * 1000, 'the slow-down has a cap');
    server.set(a.hpcjobUuid, 'running');
    await clock.advance(clock.pending()[0]);
    assert.equal(clock.pending()[0], 30_000, 'a change brings the interval back to the setting');
    assert.deepEqual(updated.map((j) => j.status), ['running'], 'the change is reported for the tree');
  });

  for (const clusters of [5, 50, 300]) {
    it(`stays within ${WATCH_BUDGET_PER_HOUR} calls in any hour with ${clusters} clusters`, async () => {
      interval = 10;
      server.add(...Array.from({ length: clusters * 2 }, (_, i) => job(i % clusters, i)));
      const stamps: number[] = [];
      server.onSent = () => stamps.push(clock.now);
      const logged: string[] = [];
      make({ log: { info: (m) => logged.push(m), warn: (m) => logged.push(m) } }).watch([...server.jobs.values()]);
      // A change every minute keeps the interval at the setting: only the budget holds it back.
      const flipped = [...server.jobs.keys()][0];
      for (let minute = 0; minute < 180; minute++) {
        server.set(flipped, minute % 2 ? 'running' : 'pending');
        await clock.advance(60_000);
      }
      assert.ok(stamps.length > 0);
      for (const start of stamps) {
        const inHour = stamps.filter((at) => at >= start && at < start + HOUR_MS).length;
        assert.ok(inHour <= WATCH_BUDGET_PER_HOUR, `${inHour} calls in the hour from ${start}`);
      }
      if (clusters === 300) {
        const looked = new Set(server.lookups.map((l) => l.clusterId));
        assert.equal(looked.size, 300, 'every cluster gets its turn');
      }
      if (clusters === 5) {
        assert.ok(clock.pending()[0] >= 75_000, `5 clusters: the next tick in ${clock.pending()[0]} ms, under 75 s`);
        assert.match(logged[0] ?? '', /^Watch: next look-up in 75 s instead of 10 s: a tick costs about 5 calls/);
        assert.equal(logged.length, 1, 'the budget is logged once, not on every tick');
      }
    });
  }

  it('backs off on errors (doubling) and says so once for a run of failures, and once when it recovers', async () => {
    const [a] = server.add(job(1, 1));
    const warnings: string[] = [];
    const infos: string[] = [];
    make({ log: { warn: (m) => warnings.push(m), info: (m) => infos.push(m) } }).watch([a]);
    server.fail = new EhpcError('network', 'The connection to {0} failed.', ['hpc']);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await clock.advance(clock.pending()[0]);
      waits.push(clock.pending()[0]);
    }
    assert.deepEqual(waits, [60_000, 120_000, 240_000, 480_000]);
    assert.equal(failing.length, 1, 'one message for four failed ticks');
    assert.equal(warnings.length, 4, 'each failure is logged');
    server.fail = undefined;
    await clock.advance(clock.pending()[0]);
    assert.equal(recovered, 1);
    assert.match(infos.join('\n'), /works again after 4 failed tries/);
    assert.equal(clock.pending()[0], 30_000, 'back to the setting after recovering');
    server.fail = new EhpcError('busy', 'busy');
    await clock.advance(clock.pending()[0]);
    assert.equal(failing.length, 2, 'a new run of failures is said again');
  });

  it('pauses after a quota error', async () => {
    const [a] = server.add(job(1, 1));
    make().watch([a]);
    server.fail = new EhpcError('quota', 'API quota exceeded', [], { retCode: 2500 });
    await clock.advance(30_000);
    assert.equal(clock.pending()[0], QUOTA_PAUSE_SECONDS * 1000);
    await clock.advance(QUOTA_PAUSE_SECONDS * 1000 - 1);
    assert.equal(server.lookups.length, 1, 'looked up again during the pause');
  });

  it('clamps a huge interval to the maximum, so no timer overflows (which would fire at once)', async () => {
    const [a] = server.add(job(1, 1));
    interval = 3_000_000; // about 35 days
    make().watch([a]);
    assert.equal(clock.pending()[0], MAX_INTERVAL_SECONDS * 1000);
    await clock.advance(HOUR_MS);
    assert.equal(server.lookups.length, 12, 'one look-up per 300 s, not a tight loop');
    for (const wait of clock.pending()) {
      assert.ok(wait <= MAX_TIMER_MS, `a timer of ${wait} ms`);
    }
    interval = Number.NaN;
    scheduler.intervalChanged();
    assert.equal(clock.pending()[0], 30_000, 'a value that is no number counts as the default');
    assert.equal(timerDelay(2 ** 40), MAX_TIMER_MS);
    assert.equal(timerDelay(-5), 0);
  });

  it('stops following a job the server keeps answering in a state this version does not know, and says so', async () => {
    const [a, b] = server.add(job(1, 1), job(1, 2));
    make().watch([a, b]);
    server.set(a.hpcjobUuid, 'unknown');
    server.set(b.hpcjobUuid, 'unknown');
    await clock.advance(clock.pending()[0]);
    server.set(b.hpcjobUuid, 'running'); // a passing state it does not know: followed on as before
    for (let i = 0; i < UNKNOWN_ANSWERS_LIMIT - 1; i++) {
      assert.deepEqual(events, [], 'told too early');
      await clock.advance(clock.pending()[0]);
    }
    assert.deepEqual(events.flat().map((e) => [e.kind, e.job.hpcjobUuid]), [['unknownState', a.hpcjobUuid]]);
    assert.deepEqual(scheduler.jobs().map((j) => [j.hpcjobUuid, j.unknownAnswers]), [[b.hpcjobUuid, undefined]]);
  });

  it('reports a job no longer listed, and stops following it', async () => {
    const [a, b] = server.add(job(1, 1), job(1, 2));
    make().watch([a, b]);
    server.jobs.delete(a.hpcjobUuid);
    await clock.advance(30_000);
    assert.deepEqual(events.flat().map((e) => [e.kind, e.job.hpcjobUuid]), [['gone', a.hpcjobUuid]]);
    assert.deepEqual(scheduler.jobs().map((j) => j.hpcjobUuid), [b.hpcjobUuid]);
  });

  it('reports each ending with its detail, and many endings together without', async () => {
    const jobs = server.add(...Array.from({ length: 6 }, (_, i) => job(1, i)));
    make().watch(jobs);
    server.set(jobs[0].hpcjobUuid, 'finished');
    await clock.advance(clock.pending()[0]);
    server.set(jobs[1].hpcjobUuid, 'exited');
    await clock.advance(clock.pending()[0]);
    assert.deepEqual(events.flat().map((e) => e.kind === 'ended' && [e.status, e.ending]), [
      ['finished', { runSeconds: 3725 }],
      ['exited', { reason: 'NonZeroExitCode', runSeconds: 65 }],
    ]);
    jobs.slice(2, 4).forEach((j) => server.set(j.hpcjobUuid, 'cancelled'));
    server.details = [];
    await clock.advance(clock.pending()[0]);
    assert.equal(events[2].length, 2);
    assert.deepEqual(server.details, [], 'no detail request for a group');
  });

  it('polls a stop operation only while the job runs, and reports a failed cancel', async () => {
    const [a, b] = server.add(job(1, 1), job(2, 1));
    make().watch([a, b], { operationIds: new Map([[a.hpcjobUuid, 'j-stop1'], [b.hpcjobUuid, 'j-stop2']]), cancelRequested: true });
    assert.equal(scheduler.get(a.hpcjobUuid)?.cancelRequested, true);
    server.set(b.hpcjobUuid, 'cancelled');
    server.operations.set('j-stop1', 'failed');
    server.operationErrors.set('j-stop1', '1400');
    await clock.advance(clock.pending()[0]);
    assert.deepEqual(server.operationPolls, ['j-stop1'], 'the ended job\'s operation was polled');
    const kinds = events.flat().map((e) => [e.kind, e.job.hpcjobUuid]).sort();
    assert.deepEqual(kinds, [['cancelFailed', a.hpcjobUuid], ['ended', b.hpcjobUuid]]);
    const failed = events.flat().find((e) => e.kind === 'cancelFailed');
    assert.equal(failed?.kind === 'cancelFailed' && failed.errorCodes, '1400', 'the operation\'s error codes say why');
    const left = scheduler.get(a.hpcjobUuid);
    assert.equal(left?.cancelRequested, undefined, 'still "Cancelling..." after the cancel failed');
    assert.equal(left?.operationId, undefined);
    await clock.advance(clock.pending()[0]);
    assert.deepEqual(server.operationPolls, ['j-stop1'], 'a failed operation is polled again');
  });

  it('keeps the watched set through a snapshot and a restore, and ignores malformed entries', async () => {
    const [a, b] = server.add(job(1, 1), job(2, 1, 'pending'));
    const original = make();
    original.watch([a, b], { operationIds: new Map([[a.hpcjobUuid, 'j-stop1']]), cancelRequested: true });
    const snapshot = JSON.parse(JSON.stringify(scheduler.snapshot())) as { jobs: unknown[] };
    snapshot.jobs.push({ hpcjobUuid: 42 }, null);
    original.dispose();

    const restored = make();
    assert.equal(restored.restore(snapshot), 2);
    assert.deepEqual(restored.jobs(), original.jobs());
    assert.deepEqual(restored.jobs().map((j) => [j.hpcjobUuid, j.status, j.operationId, j.cancelRequested]), [
      [a.hpcjobUuid, 'running', 'j-stop1', true],
      [b.hpcjobUuid, 'pending', undefined, true],
    ]);
    assert.equal(clock.pending().length, 1, 'a restored watch runs on');
    assert.equal(restored.restore({ version: 2, jobs: [] }), 0);
  });

  it('reports nothing from a tick under way when the set is cleared (a sign-out)', async () => {
    const [a] = server.add(job(1, 1));
    make().watch([a]);
    let release: () => void = () => undefined;
    server.lookup = () => new Promise((_, reject) => (release = () => reject(new EhpcError('cancelled', 'The request was cancelled.'))));
    // The scheduler holds the lookup it was made with: go through a wrapper that can be swapped.
    scheduler.dispose();
    make({ lookup: (place, ids, allowance) => server.lookup(place, ids, allowance) }).watch([a]);
    const ticking = scheduler.tick();
    scheduler.clear();
    release();
    await ticking;
    assert.deepEqual(failing, [], 'a failure of the signed-out account\'s look-up was told');
    assert.deepEqual(clock.pending(), []);
  });

  it('forgets everything on clear, with no timer left', () => {
    const [a] = server.add(job(1, 1));
    make().watch([a]);
    assert.equal(scheduler.clear(), 1);
    assert.deepEqual(scheduler.jobs(), []);
    assert.deepEqual(clock.pending(), []);
  });

  describe('with several accounts', () => {
    it("clear('A') forgets A's jobs only; B's are still looked up, with B's account", async () => {
      const [a1, a2, b1] = server.add(under('A', job(1, 1)), under('A', job(2, 1)), under('B', job(1, 2)));
      let changes = 0;
      make({ onChange: () => changes++ }).watch([a1, a2, b1]);
      changes = 0;
      assert.equal(scheduler.clear('A'), 2);
      assert.deepEqual(scheduler.jobs().map((j) => [j.account, j.hpcjobUuid]), [['B', b1.hpcjobUuid]]);
      assert.equal(changes, 1, 'the status bar and the tree are told');
      assert.equal(clock.pending().length, 1, "B's watch runs on");
      await clock.advance(clock.pending()[0]);
      assert.deepEqual(server.lookups.map((l) => [l.account, l.clusterId, l.ids]), [['B', 'ehpc-c1', [b1.hpcjobUuid]]]);
    });

    it("keeps an account's quota pause when another account signs out", async () => {
      const [a1, b1] = server.add(under('A', job(1, 1)), under('B', job(2, 1)));
      make().watch([a1, b1]);
      server.fail = new EhpcError('quota', 'API quota exceeded', [], { retCode: 2500 });
      await scheduler.tick();
      assert.equal(scheduler.nextTickInMs, QUOTA_PAUSE_SECONDS * 1000);
      clock.now += 60_000;
      scheduler.clear('B');
      assert.equal(scheduler.nextTickInMs, (QUOTA_PAUSE_SECONDS - 60) * 1000, "A's pause is A's, whoever signs out");
      server.fail = undefined;
      await clock.advance((QUOTA_PAUSE_SECONDS - 60) * 1000 - 1);
      assert.equal(server.lookups.length, 2, 'looked up again during the pause');
      await clock.advance(1);
      assert.deepEqual(server.lookups.slice(2).map((l) => l.account), ['A'], 'after the pause');
    });

    it("pauses only the account whose quota is used up: another's jobs are still looked up", async () => {
      const [a1, b1] = server.add(under('A', job(1, 1)), under('B', job(2, 1)));
      make().watch([a1, b1]);
      const lookup = server.lookup;
      let triesOfA = 0;
      server.lookup = (place, ids, allowance) => (place.account === 'A' ? allowance.read(() => (triesOfA++, Promise.reject(new EhpcError('quota', 'API quota exceeded', [], { retCode: 2500 })))) : lookup(place, ids, allowance));
      scheduler.dispose();
      make({ lookup: (place, ids, allowance) => server.lookup(place, ids, allowance) }).watch([a1, b1]);
      await scheduler.tick();
      assert.equal(failing.length, 1, 'the pause is said');
      assert.equal(scheduler.nextTickInMs, 30_000, "B's jobs keep their pace");
      server.lookups = [];
      await clock.advance(30_000);
      assert.deepEqual(server.lookups.map((l) => l.account), ['B'], "A's jobs wait out the pause");
      await clock.advance(QUOTA_PAUSE_SECONDS * 1000);
      assert.equal(triesOfA, 2, 'A is looked up again after its pause, not during it');
      assert.equal(failing.length, 1, 'a quota still used up is not told again');
      scheduler.clear('A');
      assert.equal(scheduler.nextTickInMs, IDLE_CAP_SECONDS * 1000, 'B alone, at its idle pace');
    });

    it("clear('A') with no job of A leaves the set alone", () => {
      const [b1] = server.add(under('B', job(1, 1)));
      let changes = 0;
      make({ onChange: () => changes++ }).watch([b1]);
      changes = 0;
      assert.equal(scheduler.clear('A'), 0);
      assert.equal(scheduler.jobs().length, 1);
      assert.equal(changes, 0);
      assert.equal(clock.pending().length, 1);
    });

    it('follows the jobs of a renamed account under its new name', async () => {
      const [a1, b1] = server.add(under('A', job(1, 1)), under('B', job(2, 1)));
      let changes = 0;
      make({ onChange: () => changes++ }).watch([a1, b1]);
      changes = 0;
      scheduler.renameAccount('A', 'Lab');
      assert.deepEqual(scheduler.jobs().map((j) => j.account), ['Lab', 'B']);
      assert.equal(changes, 1, 'persisted under the new name');
      scheduler.renameAccount('Nobody', 'X');
      assert.equal(changes, 1, 'renaming an account with no watched job changes nothing');
      await clock.advance(clock.pending()[0]);
      assert.deepEqual(server.lookups.map((l) => l.account).sort(), ['B', 'Lab']);
      assert.equal(scheduler.clear('A'), 0, 'nothing is left under the old name');
    });

    it('restores only the accounts that are still there', () => {
      const [a1, b1] = server.add(under('A', job(1, 1)), under('B', job(2, 1)));
      const original = make();
      original.watch([a1, b1]);
      const snapshot: unknown = JSON.parse(JSON.stringify(original.snapshot()));
      original.dispose();
      const restored = make();
      assert.equal(restored.restore(snapshot, (account) => account === 'B'), 1);
      assert.deepEqual(restored.jobs().map((j) => [j.account, j.hpcjobUuid]), [['B', b1.hpcjobUuid]]);
    });

    it('gives the jobs of a snapshot saved before accounts to the account named, if it is kept', async () => {
      const [a1, a2] = server.add(job(1, 1), job(2, 1, 'pending'));
      // As saved before accounts: no `account` on the jobs.
      const old = { version: 1, jobs: [a1, a2].map(({ account: _account, ...rest }) => ({ ...rest, since: 0 })) };
      assert.equal(make().restore(old), 0, 'without an account to give them to, none is taken');
      scheduler.dispose();
      assert.equal(make().restore(old, (account) => account !== 'QingCloud', 'QingCloud'), 0, 'nor for an account not kept');
      scheduler.dispose();
      assert.equal(make().restore(old, () => true, 'QingCloud'), 2);
      assert.deepEqual(scheduler.jobs().map((j) => [j.account, j.hpcjobUuid, j.status]), [
        ['QingCloud', a1.hpcjobUuid, 'running'],
        ['QingCloud', a2.hpcjobUuid, 'pending'],
      ]);
      await clock.advance(clock.pending()[0]);
      assert.deepEqual(server.lookups.map((l) => l.account), ['QingCloud', 'QingCloud']);
    });

    it('keeps the account a job was saved with over the one for unnamed jobs', () => {
      const [b1] = server.add(under('B', job(1, 1)));
      const original = make();
      original.watch([b1]);
      const snapshot: unknown = JSON.parse(JSON.stringify(original.snapshot()));
      original.dispose();
      assert.equal(make().restore(snapshot, () => true, 'QingCloud'), 1);
      assert.equal(scheduler.jobs()[0].account, 'B');
    });
  });
});
