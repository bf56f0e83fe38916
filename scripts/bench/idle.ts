// The calls the idle guard adds: 3 accounts with 10 clusters each (one simulator each, its last
// cluster idle, others running jobs), two simulated hours on a fake clock, the tree handing the
// guard nothing (the view closed), each warning answered Remind Me Later so that it keeps
// coming back: the worst case. Counted at the simulators, per account and per simulated hour.
import { IdleGuard } from '../../src/clusters/idleGuard';
import { LIST_INTERVAL_MS, QUIET_LIST_INTERVAL_MS } from '../../src/clusters/idleClock';
import { EhpcClient } from '../../src/ehpc/client';
import { CallLog, TickAllowance } from '../../src/watch/budget';
import { startSimulator, type Simulator } from '../../simulator/server';
import { FakeClock, settle } from '../../test/unit/support/fakeClock';

const ACCOUNTS = 3;
const CLUSTERS = 10;
const ZONE = 'jn1a';
const HOURS = 2;

export interface IdleGuardFigures {
  accounts: number;
  clusters: number;
  /** The most requests any account's simulator received in one simulated hour. */
  maxPerAccountHour: number;
  /** All accounts' requests in the busiest simulated hour. */
  maxHour: number;
  warnings: number;
  /** Lists that failed (the row fails: the figures would not be the guard's). */
  failures: number;
  /** The documented most: lists per account and zone an hour. */
  documentedPerAccount: number;
}

export async function benchIdleGuard(): Promise<IdleGuardFigures> {
  const simulators: Simulator[] = [];
  const clock = new FakeClock();
  clock.now = Date.now(); // the simulator checks signatures against it
  let inFlight = 0;
  let warnings = 0;
  let failures = 0;
  let guard: IdleGuard | undefined;
  try {
    const clients: EhpcClient[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const simulator = await startSimulator({
        zones: [ZONE], clustersPerZone: CLUSTERS, idleCluster: true, seed: i + 1, accessKeyId: `BENCHIDLEKEY${i}`, secretAccessKey: `bench-idle-secret-${i}`,
        // Each request stamped with the simulated time; the client signs with the real one.
        now: () => new Date(clock.now), clockSkewToleranceSeconds: 10 * 24 * 3600,
      });
      simulators.push(simulator);
      clients.push(new EhpcClient({ endpoint: simulator.endpoint, account: `account-${i}`, credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey } }));
    }
    const values = new Map<string, unknown>();
    const logs = clients.map(() => new CallLog(() => clock.now));
    clock.install();
    guard = new IdleGuard({
      now: () => clock.now,
      state: { get: <T>(key: string) => values.get(key) as T, update: (key, value) => (values.set(key, JSON.parse(JSON.stringify(value))), Promise.resolve()) },
      minutes: () => 60,
      places: () => Promise.resolve(clients.map((_, i) => ({ account: `account-${i}`, zone: ZONE }))),
      // As the extension lists (commands/idleClusters.ts): within the hour's budget, each request counted.
      list: async (place) => {
        const i = Number(place.account.slice('account-'.length));
        inFlight++;
        try {
          return await new TickAllowance(logs[i]).read((onSend) => clients[i].listAllClusters(place.zone, { onSend }), place.account);
        } finally {
          inFlight--;
        }
      },
      ask: () => {
        warnings++;
        return Promise.resolve('later');
      },
      stop: () => Promise.resolve(),
      log: { info: () => undefined, warn: () => void failures++ },
    });
    simulators.forEach((simulator) => simulator.clearRequests());
    await guard.round();
    for (let second = 0; second < HOURS * 3600; second++) {
      await clock.advance(1000);
      while (inFlight > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        await settle();
      }
    }
    const times = simulators.map((simulator) => simulator.requests.map((request) => request.time.getTime()));
    return {
      accounts: ACCOUNTS,
      clusters: CLUSTERS,
      maxPerAccountHour: Math.max(...times.map(busiestHour)),
      maxHour: busiestHour(times.flat()),
      warnings,
      failures,
      documentedPerAccount: QUIET_LIST_INTERVAL_MS / LIST_INTERVAL_MS,
    };
  } finally {
    guard?.dispose();
    clock.uninstall();
    await Promise.all(simulators.map((simulator) => simulator.close()));
  }
}

/** The most of `times` in any 60 minutes. */
function busiestHour(times: readonly number[]): number {
  return Math.max(0, ...times.map((from) => times.filter((at) => at >= from && at < from + 3600_000).length));
}
