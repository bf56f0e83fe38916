// API calls per action, counted at the simulator: the quota (2000 calls an hour per account,
// for everything) is shared by the tree, auto-refresh, batches and chat agents. The real
// model, accounts and batch machinery, driven in plain Node (see standIn.ts); an hour of
// auto-refresh runs on a fake clock.
import { settings } from '../../test/unit/support/fakeVscode';
import { groupByCluster, isDeleted, runBatch, type JobLookup, type JobRef } from '../../src/ehpc/batch';
import { EhpcClient } from '../../src/ehpc/client';
import { lookupJobs } from '../../src/ehpc/lookup';
import { Job } from '../../src/ehpc/types';
import { AutoRefresh } from '../../src/tree/autoRefresh';
import type { ClusterNode } from '../../src/tree/nodes';
import { startSimulator, type Simulator } from '../../simulator/server';
import { FakeClock } from '../../test/unit/support/fakeClock';
import { benchIdleGuard, type IdleGuardFigures } from './idle';
import { drawAll, standIn, visibleView, type StandIn } from './standIn';
import { benchStopClusters, type StopFigures } from './powerCalls';

const ZONE = 'jn1a';
/** Three clusters, the first with 250 jobs (three pages), as a user's might be. */
const JOBS = [250, 30, 30];

export interface CallFigures {
  expand: number;
  loadMore: number;
  refresh: { calls: number; zones: number; expanded: number };
  autoRefresh: { perRefresh: number; perHour: number; refreshes: number };
  batchDelete: { calls: number; clusters: number; deletes: number; lists: number };
  paletteDelete: { calls: number; clusterJobs: number; pages: number };
  idleGuard: IdleGuardFigures;
  stopClusters: StopFigures;
}

export async function benchCalls(): Promise<CallFigures> {
  const simulator = await startSimulator({ zones: [ZONE], clustersPerZone: JOBS.length, jobsPerCluster: JOBS });
  const shown = standIn(simulator, [ZONE]);
  try {
    const { model } = shown;
    const count = async (action: () => Promise<unknown>) => {
      simulator.clearRequests();
      await action();
      return simulator.requests.length;
    };
    await drawAll(shown); // the view opens: the clusters
    const clusters = await model.clusters(shown.account, ZONE);
    const expandAll = async () => {
      for (const cluster of clusters) {
        model.setExpanded(cluster, true);
        await drawAll(shown, cluster);
      }
    };
    const expand = await count(() => expand1(shown, clusters[0]));
    const loadMore = await count(() => model.loadMore(clusters[0]));
    await expandAll();
    const refresh = await count(async () => {
      model.refresh();
      await drawAll(shown);
    });
    // Back to the shape auto-refresh is measured with: three expanded, one with two pages.
    await model.loadMore(clusters[0]);
    const autoRefresh = await hourOfAutoRefresh(shown, simulator);
    const batchDelete = await deleteAcross(shown, simulator, clusters);
    const paletteDelete = await count(() => paletteDelete2(shown, clusters[0]));
    return {
      expand,
      loadMore,
      refresh: { calls: refresh, zones: 1, expanded: clusters.length },
      autoRefresh,
      batchDelete,
      paletteDelete: { calls: paletteDelete, clusterJobs: JOBS[0] - 2, pages: Math.ceil((JOBS[0] - 2) / 100) },
      idleGuard: await benchIdleGuard(),
      stopClusters: await benchStopClusters(),
    };
  } finally {
    shown.dispose();
    await simulator.close();
  }
}

async function expand1(shown: StandIn, cluster: ClusterNode): Promise<void> {
  shown.model.setExpanded(cluster, true);
  await drawAll(shown, cluster);
}

/** An hour of simulated time with auto-refresh set to 5 s, counted from the second refresh on. */
async function hourOfAutoRefresh(shown: StandIn, simulator: Simulator): Promise<CallFigures['autoRefresh']> {
  settings.set('ehpc.autoRefreshSeconds', 5);
  const clock = new FakeClock().install();
  let refreshing = false;
  let refreshes = 0;
  const model = {
    get loading() {
      return shown.model.loading;
    },
    reloadShown: async () => {
      refreshing = true;
      try {
        await shown.model.reloadShown();
        await drawAll(shown);
        refreshes++;
      } finally {
        refreshing = false;
      }
    },
  };
  const autoRefresh = new AutoRefresh(model, visibleView(), shown.log, shown.accounts);
  try {
    simulator.clearRequests();
    for (let second = 0; second < 3600; second++) {
      await clock.advance(1000);
      while (refreshing) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return { perRefresh: simulator.requests.length / Math.max(1, refreshes), perHour: simulator.requests.length, refreshes };
  } finally {
    autoRefresh.dispose();
    clock.uninstall();
    settings.delete('ehpc.autoRefreshSeconds');
  }
}

/** Delete Jobs on two jobs in each of the three clusters: the tree's batch, then the re-lists. */
async function deleteAcross(shown: StandIn, simulator: Simulator, clusters: ClusterNode[]): Promise<CallFigures['batchDelete']> {
  const selection: JobRef[] = [];
  for (const cluster of clusters) {
    const list = await shown.model.jobs(cluster);
    selection.push(...list.nodes.slice(0, 2).map((node) => node.job));
  }
  simulator.clearRequests();
  const client = await shown.client();
  await runBatch(groupByCluster(selection), {
    act: (place, ids) => client.deleteJobs(place.zone, place.clusterId, ids),
    lookup: lookupAndReload(shown, client),
    isDone: isDeleted,
  });
  const requests = simulator.requests;
  return {
    calls: requests.length,
    clusters: clusters.length,
    deletes: requests.filter((r) => r.path === '/api/job/deleteJobs').length,
    lists: requests.filter((r) => r.path === '/api/job/list').length,
  };
}

/** EHPC: Delete Jobs from the palette: pick the cluster (listed already), its jobs (all pages), two of them. */
async function paletteDelete2(shown: StandIn, cluster: ClusterNode): Promise<void> {
  const jobs: Job[] = await shown.model.allJobs(cluster.cluster);
  const client = await shown.client();
  await runBatch(groupByCluster(jobs.slice(0, 2)), {
    act: (place, ids) => client.deleteJobs(place.zone, place.clusterId, ids),
    lookup: lookupAndReload(shown, client),
    isDone: isDeleted,
  });
}

/** As the batch runner checks: exactly the jobs sent, unfiltered, with the tree listed again alongside. */
function lookupAndReload(shown: StandIn, client: EhpcClient): JobLookup {
  return async (place, ids) => {
    const [found] = await Promise.all([lookupJobs(client, place.zone, place.clusterId, ids), shown.model.reloadJobs(place)]);
    return found;
  };
}
