// Watching jobs to their end: the real scheduler (src/watch/scheduler.ts) on the real client,
// against the simulator, for hours of simulated time on a fake clock that the simulator's own
// clock follows (jobs start, run and end by it). Counted at the simulator: requests per tick
// and per hour. The look-up is the one the extension's watch makes (jobWatch.ts): the list's
// first page of the cluster, or a detail request for a single job; a job that ends is told
// with one detail request while the budget allows.
//
// Then the worst cases, through the extension's own JobWatch and a real client: 60 clusters
// with 4 watched jobs each deep in 1000-job lists, and 60 watched jobs while the server
// answers 5100 (busy) for an hour, every retry counted where the simulator receives it.
import { settings } from '../../test/unit/support/fakeVscode';
import { lookupJobs } from '../../src/ehpc/lookup';
import { EhpcClient } from '../../src/ehpc/client';
import type { Job } from '../../src/ehpc/types';
import { TickAllowance, WATCH_BUDGET_PER_HOUR, WatchScheduler, type WatchableJob } from '../../src/watch/scheduler';
import { startSimulator, type RecordedRequest, type Simulator } from '../../simulator/server';
import { FakeClock, settle } from '../../test/unit/support/fakeClock';
import { account, makeWatch, worstHour } from '../../test/unit/support/watchHost';
import { standIn } from './standIn';

const ZONE = 'jn1a';
const CLUSTERS = 5;
const JOBS_PER_CLUSTER = 10;
/** Long enough for the last job to end, then an hour with nothing left to follow. */
const SIMULATED_HOURS = 4;
const HOUR_MS = 3600_000;
/** Submitted jobs wait 5 min, then run until their time limit: 10 to 157 min, one after another. */
const START_AFTER_MS = 5 * 60_000;
const timeLimitMinutes = (index: number) => 10 + 3 * index;

export interface WatchFigures {
  clusters: number;
  jobs: number;
  simulatedHours: number;
  ticks: number;
  /** The most look-up requests (job lists and job details for look-ups) one tick sent. */
  maxLookupsPerTick: number;
  /** Detail requests for jobs that ended (reason, run time). */
  endingDetails: number;
  /** Requests in each simulated hour. */
  perHour: number[];
  /** The most requests in any 60 simulated minutes (the scheduler's own window). */
  maxInAnyHour: number;
  budgetPerHour: number;
  /** When the last watched job ended (simulated minutes), and the requests after it. */
  lastEndMinute: number;
  requestsAfterLastEnd: number;
  /** Whether a tick was still planned at the end. */
  tickPlannedAtEnd: boolean;
  /** The worst cases: the most requests the simulator received in any 60 simulated minutes. */
  worstCases: WorstCase[];
}

export interface WorstCase {
  name: string;
  simulatedHours: number;
  requests: number;
  maxInAnyHour: number;
}

export async function benchWatch(): Promise<WatchFigures> {
  const clock = new FakeClock();
  /** The simulator's clock starts now and follows the fake one (which counts from 0). */
  const t0 = Date.now();
  const simulator = await startSimulator({
    zones: [ZONE],
    clustersPerZone: 2 * CLUSTERS, // some are stopped: the first five active ones are used
    jobsPerCluster: 20,
    now: () => new Date(t0 + clock.now),
    // The client signs with the real time; the simulator's runs hours ahead of it.
    clockSkewToleranceSeconds: 10 * 24 * 3600,
    lifecycle: { startAfterMs: START_AFTER_MS, runMs: Infinity },
  });
  const shown = standIn(simulator, [ZONE]);
  let scheduler: WatchScheduler | undefined;
  try {
    const client = await shown.client();
    const clusters = simulator.clusters(ZONE).filter((cluster) => cluster.cluster_status === 'active').slice(0, CLUSTERS).map((cluster) => cluster.cluster_id);
    if (clusters.length < CLUSTERS) {
      throw new Error(`the simulator has ${clusters.length} active clusters, not ${CLUSTERS}`);
    }
    const submitted: WatchableJob[] = [];
    let index = 0;
    for (const clusterId of clusters) {
      for (let i = 0; i < JOBS_PER_CLUSTER; i++) {
        const name = `watched-${index}`;
        const job = await client.submitJob(ZONE, clusterId, { name, runUser: 'admin', cmdLine: 'sleep 100000', timeLimitMinutes: timeLimitMinutes(index++) });
        submitted.push({ account: shown.account, zone: ZONE, clusterId, hpcjobUuid: job.hpcjobUuid, name, status: job.status });
      }
    }
    const ended: number[] = [];
    /** Per simulated moment, the detail requests sent for jobs that ended then. */
    const endings = new Map<number, number>();
    let inFlight = 0;
    const busy = <T>(work: () => Promise<T>) => {
      inFlight++;
      return work().finally(() => inFlight--);
    };
    clock.install();
    simulator.clearRequests();
    scheduler = new WatchScheduler({
      lookup: (place, ids, allowance) => busy(() => lookup(client, place.zone, place.clusterId, ids, allowance)),
      operation: (where, operationId, onSend) => busy(() => client.operation(where.zone, operationId, { onSend })),
      ending: (job, onSend) => busy(async () => {
        endings.set(t0 + clock.now, (endings.get(t0 + clock.now) ?? 0) + 1);
        await client.jobDetail(job.zone, job.clusterId, job.hpcjobUuid, { onSend });
        return {};
      }),
      intervalSeconds: () => 30,
      now: () => t0 + clock.now,
      onEvents: (events) => events.forEach((event) => event.kind === 'ended' && ended.push(clock.now)),
    });
    if (scheduler.watch(submitted) !== submitted.length) {
      throw new Error('the watch did not take every submitted job');
    }
    for (let second = 0; second < SIMULATED_HOURS * 3600; second++) {
      await clock.advance(1000);
      // The simulator answers in real time: the clock waits for the tick.
      while (inFlight > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        await settle();
      }
    }
    if (ended.length !== submitted.length) {
      throw new Error(`${ended.length} of ${submitted.length} watched jobs ended in ${SIMULATED_HOURS} simulated hours`);
    }
    const result = figures(t0, simulator.requests, endings, ended, scheduler.nextTickInMs !== undefined, submitted.length);
    clock.uninstall();
    return { ...result, worstCases: await watchWorstCases() };
  } finally {
    scheduler?.dispose();
    clock.uninstall();
    shown.dispose();
    settings.clear();
    await simulator.close();
  }
}

/** As the extension's watch looks up one cluster's watched jobs (jobWatch.ts), each read through the tick's allowance. */
async function lookup(client: EhpcClient, zone: string, clusterId: string, ids: readonly string[], allowance: TickAllowance) {
  const reads = {
    listJobs: (z: string, c: string, offset?: number) => allowance.read((onSend) => client.listJobs(z, c, offset, {}, { onSend })),
    findJob: (z: string, c: string, id: string) => allowance.read((onSend) => client.findJob(z, c, id, { onSend })),
  };
  const jobs: Map<string, Job | undefined> = ids.length === 1
    ? new Map([[ids[0], await reads.findJob(zone, clusterId, ids[0])]])
    : await lookupJobs(reads, zone, clusterId, ids);
  return { jobs };
}

const WORST_CLUSTERS = 60;

/** The review's worst cases for the hourly budget, each counted at the simulator. */
export async function watchWorstCases(): Promise<WorstCase[]> {
  return [await deepLists(), await busyServer()];
}

/** 60 clusters with 1000 jobs each, 4 watched deep in each list (past the first page): 3 simulated hours. */
async function deepLists(): Promise<WorstCase> {
  const simulator = await startSimulator({ zones: [ZONE], clustersPerZone: WORST_CLUSTERS, jobsPerCluster: 1000 });
  try {
    const watched = simulator.clusters(ZONE).flatMap((cluster) =>
      simulator.jobs(ZONE, cluster.cluster_id).slice(200).filter((job) => job.job_status === 'running' || job.job_status === 'pending').slice(0, 4)
        .map((job): WatchableJob => ({ account: 'A', zone: ZONE, clusterId: cluster.cluster_id, hpcjobUuid: job.hpcjob_uuid, name: job.job_name, status: job.job_status as 'running' | 'pending' })));
    return await watchFor('60 clusters x 4 jobs past page 1 of 1000', simulator, watched, 3);
  } finally {
    await simulator.close();
  }
}

/** 60 watched jobs, one per cluster, while every job request is answered 5100 (busy) for an hour. */
async function busyServer(): Promise<WorstCase> {
  const simulator = await startSimulator({ zones: [ZONE], clustersPerZone: WORST_CLUSTERS, jobsPerCluster: 5 });
  try {
    const watched = simulator.clusters(ZONE).map((cluster): WatchableJob => {
      const [job] = simulator.jobs(ZONE, cluster.cluster_id);
      return { account: 'A', zone: ZONE, clusterId: cluster.cluster_id, hpcjobUuid: job.hpcjob_uuid, name: job.job_name, status: 'running' };
    });
    simulator.failNext({ path: '/api/job', retCode: 5100, times: Infinity });
    return await watchFor('60 jobs, 5100 for an hour, retries counted', simulator, watched, 1);
  } finally {
    await simulator.close();
  }
}

/**
 * The extension's JobWatch on a real client (short retry back-offs), ticking by the fake
 * clock for `hours`: each request the simulator receives is stamped with the simulated time.
 */
async function watchFor(name: string, simulator: Simulator, jobs: readonly WatchableJob[], hours: number): Promise<WorstCase> {
  const clock = new FakeClock();
  clock.now = Date.UTC(2026, 0, 1);
  const realNow = Date.now;
  Date.now = () => clock.now;
  const client = new EhpcClient({ endpoint: simulator.endpoint, account: 'A', credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey }, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
  const { watch } = makeWatch({ accounts: [account('A', simulator.endpoint)], keys: new Map([['A', { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey }]]), client: () => client });
  const stamps: number[] = [];
  try {
    await watch.ready;
    watch.watch(jobs);
    simulator.clearRequests();
    const end = clock.now + hours * HOUR_MS;
    for (;;) {
      const wait = watch.nextTickInMs;
      if (wait === undefined || clock.now + wait >= end) {
        break;
      }
      clock.now += wait;
      const before = simulator.requests.length;
      await watch.tick();
      stamps.push(...Array.from({ length: simulator.requests.length - before }, () => clock.now));
    }
  } finally {
    watch.dispose();
    client.dispose();
    Date.now = realNow;
  }
  return { name, simulatedHours: hours, requests: stamps.length, maxInAnyHour: worstHour(stamps) };
}

function figures(t0: number, requests: readonly RecordedRequest[], endings: ReadonlyMap<number, number>, ended: number[], tickPlannedAtEnd: boolean, jobs: number): Omit<WatchFigures, 'worstCases'> {
  // One tick's requests all arrive at the same simulated moment: the clock waits for them.
  const ticks = new Map<number, number>();
  for (const request of requests) {
    ticks.set(request.time.getTime(), (ticks.get(request.time.getTime()) ?? 0) + 1);
  }
  const lookupsPerTick = [...ticks.entries()].map(([at, count]) => count - (endings.get(at) ?? 0));
  const lastEnd = Math.max(...ended);
  const perHour = Array.from({ length: SIMULATED_HOURS }, (_, hour) =>
    requests.filter((r) => r.time.getTime() - t0 >= hour * HOUR_MS && r.time.getTime() - t0 < (hour + 1) * HOUR_MS).length);
  const times = requests.map((r) => r.time.getTime());
  const maxInAnyHour = Math.max(0, ...times.map((from) => times.filter((at) => at >= from && at < from + HOUR_MS).length));
  return {
    clusters: CLUSTERS,
    jobs,
    simulatedHours: SIMULATED_HOURS,
    ticks: ticks.size,
    maxLookupsPerTick: Math.max(...lookupsPerTick),
    endingDetails: [...endings.values()].reduce((sum, n) => sum + n, 0),
    perHour,
    maxInAnyHour,
    budgetPerHour: WATCH_BUDGET_PER_HOUR,
    lastEndMinute: Math.round(lastEnd / 60_000),
    requestsAfterLastEnd: requests.filter((r) => r.time.getTime() - t0 > lastEnd).length,
    tickPlannedAtEnd,
  };
}
