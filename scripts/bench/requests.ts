// Reading the simulator's request log: which requests, how many, in how many round trips.
import type { RecordedRequest } from '../../simulator/server';

export const PATHS = {
  clusterList: '/api/cluster/list',
  jobList: '/api/job/list',
  deleteJobs: '/api/job/deleteJobs',
  createJobFile: '/api/job/createJobFile',
  submitJob: '/api/job/submitJob',
  queueList: '/api/queue/ehpc/getQueueList',
  userList: '/api/user',
  jobDetail: '/api/job/jobdetail',
} as const;

/** Requests that arrived within [from, to] (milliseconds since the epoch, both included). */
export function arrivedBetween(requests: readonly RecordedRequest[], from: number, to: number): RecordedRequest[] {
  return requests.filter((request) => request.time.getTime() >= from && request.time.getTime() <= to);
}

export function countPath(requests: readonly RecordedRequest[], path: string): number {
  return requests.filter((request) => request.path === path).length;
}

/**
 * Round trips one after another: a request that arrives before the first of the current
 * round could have been answered (arrival + latency) was sent without waiting for it.
 */
export function roundTrips(requests: readonly RecordedRequest[], latencyMs: number): number {
  const times = requests.map((request) => request.time.getTime()).sort((a, b) => a - b);
  // Without added latency "could have been answered" is a matter of milliseconds.
  const answerMs = Math.max(latencyMs, 5);
  let rounds = 0;
  let roundStart = -Infinity;
  for (const time of times) {
    if (time >= roundStart + answerMs) {
      rounds++;
      roundStart = time;
    }
  }
  return rounds;
}
