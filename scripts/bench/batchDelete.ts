// Batch delete, side by side: 500 jobs selected across 5 clusters (100 each, a cluster's
// first page), deleted by the extension's batch machinery and by two baselines. Every run
// gets a fresh simulator with the same data, and must end with exactly the selected jobs
// gone, so that no way of deleting wins by doing less.
import { performance } from 'perf_hooks';
import { groupByCluster, isDeleted, runBatch, type JobRef } from '../../src/ehpc/batch';
import { EhpcClient } from '../../src/ehpc/client';
import { lookupJobs } from '../../src/ehpc/lookup';
import { startSimulator, type Simulator } from '../../simulator/server';
import { countPath, PATHS } from './requests';

const ZONE = 'jn1a';
const CLUSTERS = 5;
const SELECTED_PER_CLUSTER = 100;
/** More than are selected: the jobs left over show that nothing else was deleted. */
const JOBS_PER_CLUSTER = 150;
/** Runs of each quick way; the median counts. */
const QUICK_RUNS = 5;

type Deleter = (client: EhpcClient, selection: readonly JobRef[]) => Promise<void>;

/** The extension's way: one request per cluster, clusters concurrently, then each listed again. */
const ours: Deleter = async (client, selection) => {
  const outcome = await runBatch(groupByCluster(selection), {
    act: (place, ids) => client.deleteJobs(place.zone, place.clusterId, ids),
    // After a batch the extension looks up exactly the jobs it sent, unfiltered.
    lookup: (place, ids) => lookupJobs(client, place.zone, place.clusterId, ids),
    isDone: isDeleted,
  });
  if (outcome.done !== selection.length) {
    throw new Error(`the batch reports ${outcome.done} of ${selection.length} jobs deleted`);
  }
};

/** A script that deletes job by job, one request after another, then lists the cluster. */
const jobByJob: Deleter = async (client, selection) => {
  for (const batch of groupByCluster(selection)) {
    for (const job of batch.jobs) {
      await client.deleteJobs(batch.zone, batch.clusterId, [job.hpcjobUuid]);
    }
    await client.listJobs(batch.zone, batch.clusterId, 0);
  }
};

/** The web console: a cluster's jobs deleted in one request, the list shown again, next cluster. */
const clusterByCluster: Deleter = async (client, selection) => {
  for (const batch of groupByCluster(selection)) {
    await client.deleteJobs(batch.zone, batch.clusterId, batch.jobs.map((job) => job.hpcjobUuid));
    await client.listJobs(batch.zone, batch.clusterId, 0);
  }
};

export interface DeleterFigures {
  /** Median wall time over `runs` runs. */
  wallMs: number;
  runs: number;
  deletes: number;
  lists: number;
  requests: number;
}

export interface BatchFigures {
  selected: number;
  clusters: number;
  ours: DeleterFigures;
  jobByJob: DeleterFigures;
  clusterByCluster: DeleterFigures;
  /** How many times faster ours is than each baseline. */
  fasterThan: { jobByJob: number; clusterByCluster: number };
}

export async function benchBatchDelete(latencyMs: number): Promise<BatchFigures> {
  // Warm-up: the first runs pay for loading and compiling code.
  for (const deleter of [ours, clusterByCluster, ours]) {
    await runOnce(deleter, latencyMs);
  }
  // The two quick ways alternate, so that a busy moment of the machine hits both alike.
  const oursRuns: Run[] = [];
  const consoleRuns: Run[] = [];
  for (let i = 0; i < QUICK_RUNS; i++) {
    oursRuns.push(await runOnce(ours, latencyMs));
    consoleRuns.push(await runOnce(clusterByCluster, latencyMs));
  }
  const figures = {
    ours: summary(oursRuns),
    clusterByCluster: summary(consoleRuns),
    // Hundreds of round trips one after another: one run says enough.
    jobByJob: summary([await runOnce(jobByJob, latencyMs)]),
  };
  return {
    selected: CLUSTERS * SELECTED_PER_CLUSTER,
    clusters: CLUSTERS,
    ...figures,
    fasterThan: {
      jobByJob: figures.jobByJob.wallMs / figures.ours.wallMs,
      clusterByCluster: figures.clusterByCluster.wallMs / figures.ours.wallMs,
    },
  };
}

interface Run {
  ms: number;
  requests: Simulator['requests'];
}

async function runOnce(deleter: Deleter, latencyMs: number): Promise<Run> {
  const simulator = await startSimulator({ zones: [ZONE], clustersPerZone: CLUSTERS, jobsPerCluster: JOBS_PER_CLUSTER, stopDelayMs: 0 });
  try {
    simulator.setLatency(latencyMs);
    const client = new EhpcClient({
      endpoint: simulator.endpoint,
      credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey },
    });
    const selection = select(simulator, client.account);
    const started = performance.now();
    await deleter(client, selection);
    const ms = performance.now() - started;
    checkDeleted(simulator, selection);
    return { ms, requests: simulator.requests };
  } finally {
    await simulator.close();
  }
}

function summary(runs: readonly Run[]): DeleterFigures {
  const { requests } = runs[runs.length - 1];
  return {
    wallMs: median(runs.map((run) => run.ms)),
    runs: runs.length,
    deletes: countPath(requests, PATHS.deleteJobs),
    lists: countPath(requests, PATHS.jobList),
    requests: requests.length,
  };
}

/** The first page of every cluster, as a user would select it in the freshly expanded tree. */
function select(simulator: Simulator, account: string): JobRef[] {
  return simulator.clusters(ZONE).flatMap((cluster) =>
    simulator
      .jobs(ZONE, cluster.cluster_id)
      .slice(0, SELECTED_PER_CLUSTER)
      .map((job): JobRef => ({ account, zone: ZONE, clusterId: cluster.cluster_id, hpcjobUuid: job.hpcjob_uuid, name: job.job_name })),
  );
}

function checkDeleted(simulator: Simulator, selection: readonly JobRef[]): void {
  const selected = new Set(selection.map((job) => job.hpcjobUuid));
  for (const cluster of simulator.clusters(ZONE)) {
    const left = simulator.jobs(ZONE, cluster.cluster_id);
    if (left.length !== JOBS_PER_CLUSTER - SELECTED_PER_CLUSTER || left.some((job) => selected.has(job.hpcjob_uuid))) {
      throw new Error(`cluster ${cluster.cluster_id} has ${left.length} jobs left, not the ${JOBS_PER_CLUSTER - SELECTED_PER_CLUSTER} unselected`);
    }
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
