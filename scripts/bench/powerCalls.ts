// The API calls of Stop Cluster on C clusters in Z zones, counted at the simulator: as the
// command does it, one fresh list per zone before the question, then one request per zone,
// the operations' polls (a growing pause while a stop takes the simulator's default time) and
// one list per zone afterwards. Its clock is the simulator's, moved by the pauses: no waiting.
import '../../test/unit/support/fakeVscode';
import { planPower, runPower } from '../../src/clusters/power';
import { clusterState } from '../../src/clusters/state';
import { DEFAULT_CLUSTER_POWER_MS, startSimulator } from '../../simulator/server';
import { standIn } from './standIn';

const ZONES = ['jn1a', 'jn1b', 'jn1c'];

export interface StopFigures {
  clusters: number;
  zones: number;
  calls: number;
  requests: number;
  polls: number;
  lists: number;
  stopped: number;
  /** Seconds the stop takes in the simulator. */
  powerSeconds: number;
}

export async function benchStopClusters(): Promise<StopFigures> {
  let nowMs = Date.now();
  const simulator = await startSimulator({ zones: ZONES, clustersPerZone: 4, jobsPerCluster: 5, now: () => new Date(nowMs), clusterPowerMs: DEFAULT_CLUSTER_POWER_MS });
  const shown = standIn(simulator, ZONES);
  try {
    const client = await shown.client();
    const account = shown.account;
    simulator.clearRequests();
    const listed = (await Promise.all(ZONES.map((zone) => client.listAllClusters(zone)))).flat().map((cluster) => ({ ...cluster, account }));
    const picked = listed.filter((cluster) => clusterState(cluster) === 'active');
    // The zones pause side by side: the clock moves to the earliest wake-up once all are asleep.
    const sleepers: { at: number; wake: () => void }[] = [];
    let done = false;
    const running = runPower(planPower('stop', picked), {
      client: () => client,
      now: () => nowMs,
      sleep: (ms) => new Promise<void>((wake) => void sleepers.push({ at: nowMs + ms, wake })),
    }).finally(() => (done = true));
    let asleep = -1;
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 20)); // the requests under way answer
      // Moved only once no zone has fallen asleep for a while: none is still waiting for an answer.
      const settled = sleepers.length === asleep;
      asleep = sleepers.length;
      if (settled && sleepers.length > 0) {
        nowMs = Math.min(...sleepers.map((sleeper) => sleeper.at));
        sleepers.filter((sleeper) => sleeper.at <= nowMs).forEach((sleeper) => (sleepers.splice(sleepers.indexOf(sleeper), 1), sleeper.wake()));
      }
    }
    const results = await running;
    const requests = simulator.requests;
    const count = (path: string) => requests.filter((r) => r.path === path).length;
    return {
      clusters: picked.length,
      zones: ZONES.length,
      calls: requests.length,
      requests: count('/api/cluster/stopCluster'),
      polls: count('/api/operation'),
      lists: count('/api/cluster/list'),
      stopped: results.filter((result) => result.outcome === 'done').length,
      powerSeconds: DEFAULT_CLUSTER_POWER_MS / 1000,
    };
  } finally {
    shown.dispose();
    await simulator.close();
  }
}
