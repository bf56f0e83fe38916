// The duplicate-submit guard. submitJob is a write sent once; when its outcome is unknown (a
// time-out, a dropped connection) the job may exist all the same, and sending it again could
// run it twice. Before offering to resubmit, the caller lists the cluster's jobs searched by
// the name it sent and asks which of them could be the one it sent.
import type { Job, JobStatus } from '../ehpc/types';

export interface SentSubmission {
  name: string;
  cmdLine: string;
  runUser: string;
  /** When the submit request left, by this machine's clock. */
  sentAt: Date;
  /**
   * Jobs that cannot be the new one: those listed by that name just before the submit, and
   * the job being resubmitted.
   */
  known?: ReadonlySet<string>;
  /**
   * The cluster's jobs of that name were listed before the submit (they are in `known`): a
   * job missing from that list is new whatever its listed time says.
   */
  listedBefore?: boolean;
}

export interface SubmittedMatch {
  job: Job;
  /**
   * The job's submitted_time was missing or unreadable, so it may be older than the submit:
   * it matched on everything else and is kept, since a guard that misses the job would
   * let it run twice.
   */
  timeUnverified: boolean;
}

/**
 * How far the cluster's clock may be behind this machine's: the API refuses a request whose
 * timestamp is more than 60 s off its own clock, so a request it took was within that; the
 * rest is margin for the list's whole-second times.
 */
export const SUBMIT_CLOCK_TOLERANCE_MS = 90_000;

/**
 * The list's times carry no zone and the API does not say which they are in: they may be
 * off by a zone's offset either way. When the jobs of that name were listed before the
 * submit, that list (not the time) tells the new job from earlier ones, and the time window
 * is widened by this much so that no reading of the times hides the new job.
 */
export const LIST_ZONE_SLACK_MS = 14 * 3_600_000;

/** A job in one of these states had ended before the look-up. */
const ENDED: ReadonlySet<JobStatus> = new Set(['finished', 'exited', 'cancelled', 'stopped']);

export function hasEnded(job: Pick<Job, 'status'>): boolean {
  return ENDED.has(job.status);
}

/**
 * The listed jobs that may be the submission sent, in the order listed (newest first): not
 * one of `known`, the same name exactly, the same cmd_line and run_user when the item carries
 * them, and submitted no earlier than `sentAt − toleranceMs` (less LIST_ZONE_SLACK_MS when
 * the jobs were listed before). A job may have ended already (a short or failing one, while
 * the answer was lost), so an ended job counts too, but only on a readable time or when it
 * was missing from the list before: else nothing tells it from an older run of the same name.
 */
export function findSubmitted(candidates: readonly Job[], sent: SentSubmission, toleranceMs = SUBMIT_CLOCK_TOLERANCE_MS): SubmittedMatch[] {
  const earliest = sent.sentAt.getTime() - toleranceMs - (sent.listedBefore ? LIST_ZONE_SLACK_MS : 0);
  const matches: SubmittedMatch[] = [];
  for (const job of candidates) {
    if (sent.known?.has(job.hpcjobUuid)) {
      continue;
    }
    if (job.name !== sent.name || !sameIfPresent(job.cmdLine, sent.cmdLine) || !sameIfPresent(job.runUser, sent.runUser)) {
      continue;
    }
    const submitted = parseWireTime(job.submittedTime);
    if (submitted === undefined) {
      if (hasEnded(job) && !sent.listedBefore) {
        continue;
      }
      matches.push({ job, timeUnverified: true });
    } else if (submitted >= earliest) {
      matches.push({ job, timeUnverified: false });
    }
  }
  return matches;
}

// The server may trim what it stores; white space at either end is no reason to miss a job.
function sameIfPresent(listed: string | undefined, sent: string): boolean {
  return listed === undefined || listed.trim() === sent.trim();
}

const WIRE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A wire time in milliseconds since the epoch, or undefined when unreadable. The job list's
 * times carry no zone (`2021-08-19T14:06:41`) and the API does not say which zone they are
 * in; they are read as UTC. Should they be the cluster's local time east of UTC (Beijing),
 * earlier jobs look newer: only a job missing from the list before the submit is taken for
 * the new one (see findSubmitted), and without that list the jobs found are only possibly it.
 */
export function parseWireTime(text: string | undefined): number | undefined {
  const match = text === undefined ? null : WIRE_TIME.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2021-02-30 over to March 2: such a time is unreadable, not another one.
  const back = new Date(local);
  const rolledOver = back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d;
  if (rolledOver || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  const millis = fraction ? Math.floor(Number(fraction) * 1000) : 0;
  return local + millis - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') {
    return 0;
  }
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return (digits.startsWith('-') ? -1 : 1) * minutes * 60_000;
}
