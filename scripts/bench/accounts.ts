/**
 * Several accounts side by side, in plain Node (see standIn.ts): one simulator per account,
 * each with its own endpoint, key pair and data, the accounts set as a user sets them
 * (`ehpc.accounts`, a key each in SecretStorage), every answer `latency` ms late.
 * - Opening the tree with three accounts: every account's clusters show after one round
 *   trip, since the accounts load together (one after another would take three).
 * - A batch across 2 accounts × 2 clusters, as the batch runner builds it (a session per
 *   account, src/batch/runner.ts) on the pure runBatch: one delete per cluster, all four in
 *   flight together, each to its own account's endpoint signed with its own key.
 * `node out/scripts/bench/accounts.js [--latency N]` (after `npm run build`) prints these two
 * sections alone; `npm run bench` prints them with the rest.
 */
import { performance } from 'perf_hooks';
import { groupByCluster, isDeleted, runBatch, type ClusterPlace, type JobRef } from '../../src/ehpc/batch';
import { lookupJobs } from '../../src/ehpc/lookup';
import type { Session } from '../../src/accounts/connection';
import type { ClusterNode } from '../../src/tree/nodes';
import { startSimulator, type RecordedRequest } from '../../simulator/server';
import { median } from './batchDelete';
import { parseLatency } from './latency';
import { countPath, PATHS, roundTrips } from './requests';
import { accountsSections } from './rows';
import { formatTable, budgetCounts } from './table';
import { drawAll, standInAccounts, type StandIn, type StandInAccount } from './standIn';

/** Three accounts; the second has two zones, listed together with the others'. */
const TREE_ACCOUNTS = [
  { name: 'QingCloud', zones: ['jn1a'] },
  { name: 'Supercomputing Centre', zones: ['jn1a', 'jn1b'] },
  { name: 'Lab', zones: ['pek3'] },
];
const BATCH_ACCOUNTS = 2;
const BATCH_ZONE = 'jn1a';
const BATCH_CLUSTERS = 2;
/** Jobs selected in each cluster of the batch. */
const BATCH_JOBS = 5;
const CLUSTERS_PER_ZONE = 3;
const JOBS_PER_CLUSTER = 30;
/** Runs measured after one warm-up run (loading and compiling code); the median counts. */
const RUNS = 5;

export interface AccountFigures {
  tree: {
    accounts: number;
    zones: number;
    clusters: number;
    /** Median of `runs`: from asking for the tree's top rows to every account's clusters drawn. */
    ms: number;
    /** The same with the first account alone (one zone). */
    oneAccountMs: number;
    /** The most, over the runs, of requests, cluster lists among them, and round trips. */
    requests: number;
    clusterLists: number;
    roundTrips: number;
    runs: number;
    /** Every request each simulator received was signed with its own account's key, and accepted. */
    ownKeysOnly: boolean;
  };
  batch: {
    accounts: number;
    clusters: number;
    jobs: number;
    done: number;
    /** Delete requests each endpoint received (the last run). */
    deletesPerEndpoint: number[];
    /** The fewest, over the runs, of deletes in flight at one moment. */
    maxInFlight: number;
    /** The most, over the runs, of round trips the deletes took, and of requests in all. */
    deleteRoundTrips: number;
    requests: number;
    /** Median of `runs`: the whole batch, deletes then look-ups. */
    ms: number;
    runs: number;
    ownKeysOnly: boolean;
  };
}

export async function benchAccounts(latencyMs: number): Promise<AccountFigures> {
  return { tree: await benchTree(latencyMs), batch: await benchBatch(latencyMs) };
}

/** Starts one simulator per account: its own port, key pair and data (a seed each). */
async function simulatorsFor(accounts: readonly { name: string; zones: string[] }[], latencyMs: number): Promise<StandInAccount[]> {
  return Promise.all(
    accounts.map(async ({ name, zones }, i) => {
      const simulator = await startSimulator({
        zones,
        clustersPerZone: CLUSTERS_PER_ZONE,
        jobsPerCluster: JOBS_PER_CLUSTER,
        seed: 101 + i,
        accessKeyId: `BENCHACCOUNT${i + 1}KEYID`,
        secretAccessKey: `bench-account-${i + 1}-secret`,
        stopDelayMs: 0,
      });
      simulator.setLatency(latencyMs);
      return { name, simulator, zones };
    }),
  );
}

async function closeAll(accounts: readonly StandInAccount[]): Promise<void> {
  await Promise.allSettled(accounts.map(({ simulator }) => simulator.close()));
}

/** Whether each simulator saw only requests signed with its own key, all accepted. */
function ownKeysOnly(accounts: readonly StandInAccount[]): boolean {
  return accounts.every(({ simulator }) => simulator.requests.every((request) => request.query.access_key_id === simulator.accessKeyId && request.retCode === 0));
}

/** The clusters the accounts' simulators hold in the accounts' zones. */
function clusterCount(accounts: readonly StandInAccount[]): number {
  return accounts.reduce((sum, { simulator, zones }) => sum + zones.reduce((n, zone) => n + simulator.clusters(zone).length, 0), 0);
}

function allRequests(accounts: readonly StandInAccount[]): RecordedRequest[] {
  return accounts.flatMap(({ simulator }) => simulator.requests);
}

async function benchTree(latencyMs: number): Promise<AccountFigures['tree']> {
  const accounts = await simulatorsFor(TREE_ACCOUNTS, latencyMs);
  try {
    const runs: { ms: number; requests: RecordedRequest[]; ownKeys: boolean }[] = [];
    const alone: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const all = await openTree(accounts);
      // The first account alone, right after: a busy moment of the machine hits both alike.
      const first = await openTree(accounts.slice(0, 1));
      if (run > 0) {
        runs.push(all);
        alone.push(first.ms);
      }
    }
    return {
      accounts: accounts.length,
      zones: accounts.reduce((sum, { zones }) => sum + zones.length, 0),
      clusters: clusterCount(accounts),
      ms: median(runs.map((run) => run.ms)),
      oneAccountMs: median(alone),
      requests: Math.max(...runs.map((run) => run.requests.length)),
      clusterLists: Math.max(...runs.map((run) => countPath(run.requests, PATHS.clusterList))),
      roundTrips: Math.max(...runs.map((run) => roundTrips(run.requests, latencyMs))),
      runs: runs.length,
      ownKeysOnly: runs.every((run) => run.ownKeys),
    };
  } finally {
    await closeAll(accounts);
  }
}

/** Opens the tree in a fresh window (nothing listed yet, every client new) until every cluster is drawn. */
async function openTree(accounts: readonly StandInAccount[]): Promise<{ ms: number; requests: RecordedRequest[]; ownKeys: boolean }> {
  const expected = clusterCount(accounts);
  accounts.forEach(({ simulator }) => simulator.clearRequests());
  const shown = standInAccounts(accounts);
  try {
    const started = performance.now();
    const rows = await drawAll(shown);
    const ms = performance.now() - started;
    const clusters = rows.filter((row): row is ClusterNode => row.kind === 'cluster');
    if (clusters.length !== expected || new Set(clusters.map((row) => row.cluster.account)).size !== accounts.length) {
      throw new Error(`the tree shows ${clusters.length} clusters, not the ${expected} of ${accounts.length} accounts`);
    }
    return { ms, requests: allRequests(accounts), ownKeys: ownKeysOnly(accounts) };
  } finally {
    shown.dispose();
  }
}

async function benchBatch(latencyMs: number): Promise<AccountFigures['batch']> {
  const runs: { ms: number; maxInFlight: number; deletes: RecordedRequest[]; requests: number; deletesPerEndpoint: number[]; done: number; ownKeys: boolean }[] = [];
  const names = TREE_ACCOUNTS.slice(0, BATCH_ACCOUNTS).map(({ name }) => ({ name, zones: [BATCH_ZONE] }));
  for (let run = 0; run <= RUNS; run++) {
    // The batch deletes: fresh data every run.
    const accounts = await simulatorsFor(names, latencyMs);
    const shown = standInAccounts(accounts);
    try {
      const selection = await selectInTree(shown, accounts);
      accounts.forEach(({ simulator }) => simulator.clearRequests());
      let inFlight = 0;
      let maxInFlight = 0;
      const started = performance.now();
      const outcome = await batchDelete(shown, selection, async (send) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          await send();
        } finally {
          inFlight--;
        }
      });
      const ms = performance.now() - started;
      checkDeleted(accounts, selection);
      if (run > 0) {
        const requests = allRequests(accounts);
        runs.push({
          ms,
          maxInFlight,
          deletes: requests.filter((request) => request.path === PATHS.deleteJobs),
          requests: requests.length,
          deletesPerEndpoint: accounts.map(({ simulator }) => countPath(simulator.requests, PATHS.deleteJobs)),
          done: outcome.done,
          ownKeys: ownKeysOnly(accounts),
        });
      }
    } finally {
      shown.dispose();
      await closeAll(accounts);
    }
  }
  const last = runs[runs.length - 1];
  return {
    accounts: BATCH_ACCOUNTS,
    clusters: BATCH_ACCOUNTS * BATCH_CLUSTERS,
    jobs: BATCH_ACCOUNTS * BATCH_CLUSTERS * BATCH_JOBS,
    done: Math.min(...runs.map((run) => run.done)),
    deletesPerEndpoint: last.deletesPerEndpoint,
    maxInFlight: Math.min(...runs.map((run) => run.maxInFlight)),
    deleteRoundTrips: Math.max(...runs.map((run) => roundTrips(run.deletes, latencyMs))),
    requests: Math.max(...runs.map((run) => run.requests)),
    ms: median(runs.map((run) => run.ms)),
    runs: runs.length,
    ownKeysOnly: runs.every((run) => run.ownKeys),
  };
}

/** As a user selects them: the first jobs of the first clusters of each account, from the tree. */
async function selectInTree(shown: StandIn, accounts: readonly StandInAccount[]): Promise<JobRef[]> {
  const selection: JobRef[] = [];
  for (const { name } of accounts) {
    const clusters = (await shown.model.clusters(name, BATCH_ZONE)).slice(0, BATCH_CLUSTERS);
    for (const cluster of clusters) {
      selection.push(...(await shown.model.jobs(cluster)).nodes.slice(0, BATCH_JOBS).map((node) => node.job));
    }
  }
  if (selection.length !== BATCH_ACCOUNTS * BATCH_CLUSTERS * BATCH_JOBS) {
    throw new Error(`the tree offers ${selection.length} jobs to select, not ${BATCH_ACCOUNTS * BATCH_CLUSTERS * BATCH_JOBS}`);
  }
  return selection;
}

/**
 * The batch runner's steps (src/batch/runner.ts) without its progress, marks and summary: a
 * session per account taken first, each cluster's delete with its account's client, then the
 * jobs sent looked up with it. `around` wraps each delete (the bench counts those in flight).
 */
async function batchDelete(shown: StandIn, selection: readonly JobRef[], around: (send: () => Promise<unknown>) => Promise<void>) {
  const names = [...new Set(selection.map((job) => job.account))];
  const sessions = new Map<string, Session>(await Promise.all(names.map(async (name) => [name, await shown.accounts.connection(name).session()] as const)));
  const session = (place: ClusterPlace) => sessions.get(place.account)!;
  const outcome = await runBatch(groupByCluster(selection), {
    act: (place, ids) => around(() => session(place).client.deleteJobs(place.zone, place.clusterId, ids)),
    lookup: (place, ids) => lookupJobs(session(place).client, place.zone, place.clusterId, ids),
    mayContinue: (account) => sessions.get(account)?.isCurrent() ?? false,
    isDone: isDeleted,
  });
  if (outcome.done !== selection.length) {
    throw new Error(`the batch reports ${outcome.done} of ${selection.length} jobs deleted`);
  }
  return outcome;
}

/** Each account's simulator lost exactly its selected jobs: nothing went to another account's endpoint. */
function checkDeleted(accounts: readonly StandInAccount[], selection: readonly JobRef[]): void {
  for (const { name, simulator } of accounts) {
    const mine = selection.filter((job) => job.account === name);
    for (const cluster of simulator.clusters(BATCH_ZONE)) {
      const selected = new Set(mine.filter((job) => job.clusterId === cluster.cluster_id).map((job) => job.hpcjobUuid));
      const left = simulator.jobs(BATCH_ZONE, cluster.cluster_id);
      if (left.length !== JOBS_PER_CLUSTER - selected.size || left.some((job) => selected.has(job.hpcjob_uuid))) {
        throw new Error(`account ${name}, cluster ${cluster.cluster_id}: ${left.length} jobs left, not ${JOBS_PER_CLUSTER - selected.size}`);
      }
    }
  }
}

async function main(): Promise<void> {
  const latencyMs = parseLatency(process.argv.slice(2), 'node out/scripts/bench/accounts.js');
  console.log(`Several accounts: ${latencyMs} ms added to every simulator answer`);
  const sections = accountsSections(await benchAccounts(latencyMs), latencyMs);
  const { met, missed } = budgetCounts(sections);
  console.log(`\n${formatTable(sections)}\n\n${met} budgets met, ${missed} missed`);
  process.exit(missed > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench accounts: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
