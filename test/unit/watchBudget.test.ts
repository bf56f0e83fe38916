// The watch's hourly budget holds whatever is watched: many clusters with jobs deep in long
// lists, clusters with a hundred watched jobs each, a server answering errors for an hour
// (every retry counted where the simulator receives it), and a tick cut short by a sign-out.
import './support/watchHost';
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import { EhpcClient, CallOptions } from '../../src/ehpc/client';
import { Job } from '../../src/ehpc/types';
import { TickAllowance, WATCH_BUDGET_PER_HOUR, WatchScheduler } from '../../src/watch/scheduler';
import { FakeClock } from './support/fakeClock';
import { account, makeWatch, Memento, worstHour } from './support/watchHost';
import { SharedCallCount, WATCH_CALLS_PREFIX } from '../../src/watch/sharedCalls';

const HOUR_MS = 3600_000;
const key = { accessKeyId: 'KEYID', secretAccessKey: 'secret' };

/** Clusters whose lists are `length` long, all running; every request stamped by the fake clock. */
function deepLists(clock: FakeClock, length: number) {
  const stamps: number[] = [];
  const asked = new Set<string>();
  const sent = (options?: CallOptions) => {
    options?.onSend?.();
    stamps.push(clock.now);
  };
  const job = (zone: string, clusterId: string, id: string): Job => ({ account: 'A', zone, clusterId, hpcjobUuid: id, name: id, status: 'running' });
  const client = {
    listJobs: (zone: string, clusterId: string, offset = 0, _filter = {}, options?: CallOptions) => {
      sent(options);
      const items = Array.from({ length: Math.max(0, Math.min(100, length - offset)) }, (_, i) => job(zone, clusterId, `hpcjob-${clusterId}-${offset + i}`));
      return Promise.resolve({ items, totalCount: length });
    },
    findJob: (zone: string, clusterId: string, id: string, options?: CallOptions) => {
      sent(options);
      asked.add(id);
      return Promise.resolve(job(zone, clusterId, id));
    },
  };
  return { stamps, asked, client };
}

describe('watch budget', () => {
  let clock: FakeClock;
  const realNow = Date.now;

  beforeEach(() => {
    clock = new FakeClock().install();
    clock.now = Date.UTC(2026, 0, 1);
    Date.now = () => clock.now;
  });

  afterEach(() => {
    Date.now = realNow;
    clock.uninstall();
  });

  for (const [clusters, perCluster, length] of [[60, 4, 1000], [3, 100, 20_000]]) {
    it(`stays within ${WATCH_BUDGET_PER_HOUR} requests in any hour: ${clusters} clusters x ${perCluster} jobs deep in ${length}-job lists`, async () => {
      const { stamps, asked, client } = deepLists(clock, length);
      const { watch } = makeWatch({ accounts: [account('A')], keys: new Map([['A', key]]), client: () => client });
      await watch.ready;
      const jobs = Array.from({ length: clusters * perCluster }, (_, i) => {
        const clusterId = `ehpc-c${String(i % clusters).padStart(6, '0')}`;
        return { account: 'A', zone: 'jn1a', clusterId, hpcjobUuid: `hpcjob-${clusterId}-${500 + Math.floor(i / clusters) * 97}`, name: 'w', status: 'running' as const };
      });
      assert.equal(watch.watch(jobs), clusters * perCluster);
      await clock.advance(3 * HOUR_MS);
      watch.dispose();
      const worst = worstHour(stamps);
      assert.ok(worst <= WATCH_BUDGET_PER_HOUR, `${worst} requests in one hour`);
      assert.equal(asked.size, clusters * perCluster, 'every watched job is looked up in turn');
    });
  }

  it(`keeps two windows watching with one account within ${WATCH_BUDGET_PER_HOUR} of its requests in any hour together`, async () => {
    const { stamps, client } = deepLists(clock, 1000);
    const shared = new Memento(); // the global state both windows see
    const windows = [0, 1].map((w) => {
      const { watch } = makeWatch({ accounts: [account('A')], keys: new Map([['A', key]]), client: () => client, shared });
      const jobs = Array.from({ length: 240 }, (_, i) => {
        const clusterId = `ehpc-w${w}c${String(i % 60).padStart(4, '0')}`;
        return { account: 'A', zone: 'jn1a', clusterId, hpcjobUuid: `hpcjob-${clusterId}-${500 + Math.floor(i / 60) * 97}`, name: 'w', status: 'running' as const };
      });
      return { watch, jobs };
    });
    for (const { watch, jobs } of windows) {
      await watch.ready;
      watch.watch(jobs);
    }
    await clock.advance(3 * HOUR_MS);
    windows.forEach(({ watch }) => watch.dispose());
    const worst = worstHour(stamps);
    assert.ok(worst <= WATCH_BUDGET_PER_HOUR, `${worst} requests in one hour`);
    assert.ok(worst >= WATCH_BUDGET_PER_HOUR / 2, `the budget is used: ${worst} requests in the busiest hour`);
    // Each window writes a key of its own, in minute counts: small, and an hour's at most.
    const keys = shared.keys().filter((k) => k.startsWith(WATCH_CALLS_PREFIX));
    assert.equal(keys.length, 2);
    for (const k of keys) {
      assert.ok(Object.keys(shared.get<Record<string, number>>(k) ?? {}).length <= 61, k);
    }
  });

  it('counts another window of the same account, but not one of another key', () => {
    const shared = new Memento();
    let now = Date.UTC(2026, 0, 1);
    const a = new SharedCallCount(shared, 'wa', () => now);
    const b = new SharedCallCount(shared, 'wb', () => now);
    for (let i = 0; i < 5; i++) {
      a.record('acct-1');
    }
    a.record('acct-2');
    assert.equal(b.others(['acct-1']).length, 5);
    assert.equal(b.others(['acct-2', 'acct-1']).length, 5, 'the account the others spent most on');
    assert.equal(b.others(['acct-3']).length, 0);
    assert.equal(a.others(['acct-1']).length, 0, "a window's own calls are not the others'");
    now += HOUR_MS + 60_000;
    assert.equal(b.others(['acct-1']).length, 0, 'an hour later they no longer count');
    assert.equal(shared.keys().filter((k) => k.startsWith(WATCH_CALLS_PREFIX)).length, 1, "an expired key is removed by its reader (acct-2's was not read)");
  });

  // An agent watching a sweep: each watched job on a page of its own of a long list, all
  // finishing a minute in. A walk of the list does not fit one tick's allowance.
  for (const [clusters, perCluster] of [[1, 300], [3, 100]]) {
    it(`tells every ending within a few hours when the walk outgrows the budget: ${clusters} cluster(s) x ${perCluster} jobs, one per page`, async () => {
      const start = clock.now;
      const stamps: number[] = [];
      const length = perCluster * 100;
      const status = () => (clock.now - start > 60_000 ? 'finished' as const : 'running' as const);
      const job = (zone: string, clusterId: string, i: number): Job => ({ account: 'A', zone, clusterId, hpcjobUuid: `hpcjob-${clusterId}-${i}`, name: `j${i}`, status: i % 100 === 50 ? status() : 'running' });
      const client = {
        listJobs: (zone: string, clusterId: string, offset = 0, _filter = {}, options?: CallOptions) => {
          options?.onSend?.();
          stamps.push(clock.now);
          const items = Array.from({ length: Math.max(0, Math.min(100, length - offset)) }, (_, i) => job(zone, clusterId, offset + i));
          return Promise.resolve({ items, totalCount: length });
        },
        findJob: (zone: string, clusterId: string, id: string, options?: CallOptions) => {
          options?.onSend?.();
          stamps.push(clock.now);
          return Promise.resolve({ ...job(zone, clusterId, 0), hpcjobUuid: id, status: status() });
        },
      };
      const { watch } = makeWatch({ accounts: [account('A')], keys: new Map([['A', key]]), client: () => client });
      await watch.ready;
      const jobs = Array.from({ length: clusters * perCluster }, (_, i) => {
        const clusterId = `ehpc-c${String(i % clusters).padStart(6, '0')}`;
        return { account: 'A', zone: 'jn1a', clusterId, hpcjobUuid: `hpcjob-${clusterId}-${Math.floor(i / clusters) * 100 + 50}`, name: 'w', status: 'running' as const };
      });
      watch.watch(jobs);
      await clock.advance(4 * HOUR_MS);
      watch.dispose();
      assert.deepEqual(watch.jobs(), [], 'every watched job was seen to end');
      const told = new Set(watch.shown.flatMap((notification) => notification.jobs.map((ref) => ref.hpcjobUuid)));
      assert.equal(told.size, clusters * perCluster, 'every ending was told');
      const worst = worstHour(stamps);
      assert.ok(worst <= WATCH_BUDGET_PER_HOUR, `${worst} requests in one hour`);
    });
  }

  it('counts every retry where it is sent: a server answering 5100 for an hour receives at most the budget', async function () {
    this.timeout(20_000);
    clock.uninstall(); // the client's back-off and the simulator run on real timers; the watch's clock is moved by hand
    const sim = await startSimulator({ zones: ['jn1a'], clustersPerZone: 60, jobsPerCluster: 2 });
    try {
      const client = new EhpcClient({ endpoint: sim.endpoint, account: 'A', credentials: { accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey }, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
      const { watch } = makeWatch({ accounts: [account('A')], keys: new Map([['A', key]]), client: () => client });
      await watch.ready;
      const watched = sim.clusters('jn1a').map((cluster) => {
        const [first] = sim.jobs('jn1a', cluster.cluster_id);
        return { account: 'A', zone: 'jn1a', clusterId: cluster.cluster_id, hpcjobUuid: first.hpcjob_uuid, name: first.job_name, status: 'running' as const };
      });
      watch.watch(watched);
      sim.failNext({ path: '/api/job', retCode: 5100, times: Infinity });
      sim.clearRequests();
      const start = clock.now;
      for (;;) {
        const wait = watch.nextTickInMs ?? 0;
        if (clock.now + wait - start >= HOUR_MS) {
          break;
        }
        clock.now += wait;
        await watch.tick();
      }
      watch.dispose();
      client.dispose();
      assert.ok(sim.requests.length > 0);
      assert.ok(sim.requests.length <= WATCH_BUDGET_PER_HOUR, `the simulator received ${sim.requests.length} requests in the hour`);
    } finally {
      await sim.close();
    }
  });

  it('records the requests of a tick cut short by a sign-out', async () => {
    let sent = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const scheduler = new WatchScheduler({
      lookup: (cluster, ids, allowance: TickAllowance) => allowance.read(async (onSend) => {
        onSend();
        sent++;
        await held;
        return { jobs: new Map(ids.map((id) => [id, { ...cluster, hpcjobUuid: id, name: id, status: 'running' as const }])) };
      }),
      operation: () => Promise.resolve({ status: 'pending' }),
      intervalSeconds: () => 30,
      now: () => clock.now,
    });
    const jobs = Array.from({ length: 59 }, (_, c) => ({ account: 'A', zone: 'jn1a', clusterId: `ehpc-c${c}`, hpcjobUuid: `hpcjob-${c}`, name: 'x', status: 'running' as const }));
    scheduler.watch([...jobs, { account: 'B', zone: 'jn1a', clusterId: 'ehpc-b', hpcjobUuid: 'hpcjob-b', name: 'b', status: 'running' }]);
    const tick = scheduler.tick();
    await new Promise((resolve) => setImmediate(resolve));
    scheduler.clear('B'); // B signs out while A's look-ups are on the wire
    release();
    await tick;
    assert.equal(sent, 60);
    assert.equal(scheduler.callsLastHour, 60, 'the requests sent count, although the tick reports nothing');
    scheduler.dispose();
  });
});
