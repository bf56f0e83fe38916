// The truth about exactly these jobs of one cluster, in as few requests as it takes: the
// unfiltered list (never the tree's filter, which would make a job look gone) and, for jobs
// deep in a long list, one detail request each instead of walking every page.
import { EhpcClient, PAGE_SIZE } from './client';
import { Job } from './types';

/** How many detail requests run at once. */
export const LOOKUP_CONCURRENCY = 4;

/**
 * Maps every asked id to its job as the server has it now, or to undefined when the server
 * says it no longer exists in this cluster (not listed in a complete walk of the list, or a
 * detail answer of 2100). Any failed request throws: the caller says "could not be checked"
 * and never guesses.
 *
 * The first page of the list (newest first) comes first: it holds the jobs just listed, and
 * tells how many there are. Then, while ids are missing: walk on when the rest of the list is
 * no more pages than ids missing, or when the last page found some and two or more are still
 * missing (an agent names jobs from the pages it listed, so they come together); otherwise
 * one detail request per missing id, a few at a time.
 *
 * `mayRead`, when given, is asked before each request: once it says no, the look-up stops and
 * answers for the ids it found so far only (the others are left out of the map, neither found
 * nor gone), so that what a walk cut short learned is kept.
 */
export async function lookupJobs(
  client: Pick<EhpcClient, 'listJobs' | 'findJob'>,
  zone: string,
  clusterId: string,
  hpcjobUuids: readonly string[],
  mayRead: () => boolean = () => true,
): Promise<Map<string, Job | undefined>> {
  const wanted = new Set(hpcjobUuids);
  const found = new Map<string, Job | undefined>();
  const missing = () => [...wanted].filter((id) => !found.has(id));
  let offset = 0;
  let firstTotal: number | undefined;
  let shifted = false;
  while (wanted.size > found.size && mayRead()) {
    const page = await client.listJobs(zone, clusterId, offset);
    let hits = 0;
    for (const job of page.items) {
      // A job listed twice (offsets move when jobs come or go between pages) counts once.
      if (wanted.has(job.hpcjobUuid) && !found.has(job.hpcjobUuid)) {
        found.set(job.hpcjobUuid, job);
        hits++;
      }
    }
    offset += page.items.length;
    firstTotal ??= page.totalCount;
    shifted ||= page.totalCount !== firstTotal;
    const left = missing();
    if (left.length === 0) {
      break;
    }
    if (page.items.length === 0 || offset >= page.totalCount) {
      // The whole list was read. If it changed meanwhile, a job may have slid past a page
      // boundary unseen: ask for those one by one rather than call them gone.
      if (shifted) {
        (await findEach(client, zone, clusterId, left, mayRead)).forEach((job, id) => found.set(id, job));
      } else {
        left.forEach((id) => found.set(id, undefined));
      }
      break;
    }
    const pagesLeft = Math.ceil((page.totalCount - offset) / PAGE_SIZE);
    if (pagesLeft > left.length && !(hits > 0 && left.length >= 2)) {
      (await findEach(client, zone, clusterId, left, mayRead)).forEach((job, id) => found.set(id, job));
      break;
    }
  }
  return found;
}

/**
 * One detail request per id, LOOKUP_CONCURRENCY at a time, while `mayRead` allows; the ids not
 * reached are left out. The first failure throws.
 */
export async function findEach(
  client: Pick<EhpcClient, 'findJob'>, zone: string, clusterId: string, ids: readonly string[], mayRead: () => boolean = () => true,
): Promise<Map<string, Job | undefined>> {
  const found = new Map<string, Job | undefined>();
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < ids.length && mayRead()) {
      const id = ids[next++];
      try {
        found.set(id, await client.findJob(zone, clusterId, id));
      } catch (error) {
        failed = true; // the other workers start nothing more
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, ids.length) }, worker));
  return found;
}
