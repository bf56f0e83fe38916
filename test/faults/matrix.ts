/**
 * `npm run test:faults`: every fault × operation, with the real client against a fresh
 * simulator. For each row it counts what must stay 0 whatever the network or the server
 * does: jobs deleted or cancelled that were not selected (wrong), selected jobs the outcome
 * calls done while the server still has them, or does not report at all (lost), and
 * exceptions other than EhpcError or unhandled rejections (crashes). Prints a table and one
 * closing line `N passed, N failed`, writes the figures to test-results/faults.json, and
 * exits non-zero when a row fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lookupJobs } from '../../src/ehpc/lookup';
import { waitForOperations } from '../../src/ehpc/operations';
import { groupByCluster, isCancelled, isDeleted, runBatch, type BatchOutcome, type BatchSteps, type ClusterPlace, type JobRef } from '../../src/ehpc/batch';
import { EhpcClient } from '../../src/ehpc/client';
import { EhpcError } from '../../src/ehpc/errors';
import { sendSubmission } from '../../src/submit/send';
import type { FaultRule } from '../../simulator/faults';
import { startSimulator, type SimJob, type Simulator } from '../../simulator/server';

const TIMEOUT_MS = 300;
/** Back-off of retried reads: short, so the matrix stays quick. */
const RETRY = { baseDelayMs: 10 };
const ZONES = ['jn1a', 'jn1b'];
/** The one account the matrix signs with. */
const ACCOUNT = 'QingCloud';
/** Cluster 0 has three pages of jobs; 0, 1 (jn1a) and 2 (jn1b) are acted on; 3 never is. */
// Stops complete at once: the client does not wait for stopJobs' asynchronous operation yet.
// Stops take a moment, as on the real service: a cancel batch waits for them.
const DATA = { zones: ZONES, clustersPerZone: 2, jobsPerCluster: [250, 30, 30, 30], stopDelayMs: 100 };
/** The batch cluster whose request is faulted: the one in the second zone. */
const FAULTED = 2;

type Operation = 'list clusters' | 'list jobs (paged)' | 'job detail' | 'delete batch' | 'cancel batch' | 'submit';
type Target = 'action' | 're-list';
type Shape = 'clusters' | 'jobs' | 'detail' | 'write';

interface Fault {
  name: string;
  /** The rule's effect; where it goes (path, cluster) is the operation's business. */
  effect: (shape: Shape) => FaultRule;
  /** Only for deleteJobs/stopJobs (partial success, outcome unknown). */
  writesOnly?: boolean;
}

const html = (status: number, text: string) =>
  `<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center><hr><center>nginx</center></body></html>`;

/** 200 answers, JSON, with fields left out. */
const MISSING_FIELDS: Record<Shape, object> = {
  clusters: { action: 'HpcClusterListClusterResponse', ret_code: 0, total_count: 2 },
  jobs: { action: 'HpcJobListJobsResponse', ret_code: 0, total_count: 3, hpc_job_set: [{ job_name: 'no id', job_status: 'running' }] },
  detail: { action: 'HpcJobGetJobDetailResponse', ret_code: 0 },
  write: { action: 'HpcJobDeleteJobsResponse' },
};

/** 200 answers, JSON, with fields of the wrong type. */
const WRONG_TYPES: Record<Shape, object> = {
  clusters: { ret_code: 0, total_count: '2', cluster_set: { cluster_id: 'ehpc-x' } },
  jobs: { ret_code: 0, total_count: 250, hpc_job_set: [{ hpcjob_uuid: 12345, job_status: 3 }] },
  detail: { ret_code: 0, hpc_job_set: 'hpcjob-x' },
  write: { ret_code: '0', action: 42 },
};

const FAULTS: Fault[] = [
  { name: `latency +${TIMEOUT_MS / 2} ms`, effect: () => ({ latencyMs: TIMEOUT_MS / 2 }) },
  { name: 'hang (past timeout)', effect: () => ({ hang: true }) },
  { name: 'reset', effect: () => ({ reset: true }) },
  { name: 'truncated body', effect: () => ({ truncate: true }) },
  { name: 'HTTP 502 HTML', effect: () => ({ httpStatus: 502, rawBody: html(502, 'Bad Gateway') }) },
  { name: 'HTTP 503 HTML', effect: () => ({ httpStatus: 503, rawBody: html(503, 'Service Temporarily Unavailable') }) },
  { name: '200 malformed JSON', effect: () => ({ rawBody: '{"ret_code": 0, "total_count": 3, "hpc_job_set": [{"hpcjob_uuid": "hpcjob-' }) },
  { name: '200 JSON missing fields', effect: (shape) => ({ rawBody: JSON.stringify(MISSING_FIELDS[shape]) }) },
  { name: '200 JSON wrong types', effect: (shape) => ({ rawBody: JSON.stringify(WRONG_TYPES[shape]) }) },
  ...[1100, 1200, 1300, 1400, 2100, 2500, 5000, 5100, 5300].map((retCode): Fault => ({
    name: `ret_code ${retCode}`,
    effect: () => ({ retCode, message: `injected ${retCode}` }),
  })),
  { name: 'partial (1 of 3 ids)', effect: () => ({ partial: 1 }), writesOnly: true },
  { name: 'reset after action', effect: () => ({ reset: true, afterAction: true }), writesOnly: true },
  { name: 'hang after action', effect: () => ({ hang: true, afterAction: true }), writesOnly: true },
  { name: 'HTTP 502 after action', effect: () => ({ httpStatus: 502, rawBody: html(502, 'Bad Gateway'), afterAction: true }), writesOnly: true },
];

interface Row {
  fault: string;
  operation: string;
  outcome: string;
  requests: number;
  wrongDeletions: number;
  lostTrack: number;
  crashes: number;
  /** A call right after, on the same client: does it keep working? */
  then: string;
  /** The outcome is a typed, reported result (a value checked against the server, or an EhpcError). */
  typed: boolean;
  passed: boolean;
  durationMs: number;
}

/** Set while a row runs; unhandled rejections and uncaught exceptions count against it. */
let current: { crashes: number; notes: string[] } | undefined;
let strayCrashes = 0;
function crash(what: string, error: unknown): void {
  const note = `${what}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  if (current) {
    current.crashes++;
    current.notes.push(note);
  } else {
    strayCrashes++;
    console.error(`crash outside any row: ${note}`);
  }
}
process.on('unhandledRejection', (reason) => crash('unhandled rejection', reason));
process.on('uncaughtException', (error) => crash('uncaught exception', error));

function clientFor(sim: Simulator): EhpcClient {
  // The client's own attempt count: rows count requests instead of expecting a number.
  return new EhpcClient({
    endpoint: sim.endpoint,
    account: ACCOUNT,
    credentials: { accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey },
    timeoutMs: TIMEOUT_MS,
    retry: RETRY,
  });
}

/** Every job on the server, by zone/cluster/uuid, with its status. */
function snapshot(sim: Simulator): Map<string, string> {
  const all = new Map<string, string>();
  for (const zone of sim.zones) {
    for (const cluster of sim.clusters(zone)) {
      for (const job of sim.jobs(zone, cluster.cluster_id)) {
        all.set(`${zone}/${cluster.cluster_id}/${job.hpcjob_uuid}`, job.job_status);
      }
    }
  }
  return all;
}

interface Clusters {
  zone: string;
  clusterId: string;
  jobs: SimJob[];
}

function clustersOf(sim: Simulator): Clusters[] {
  return sim.zones.flatMap((zone) => sim.clusters(zone).map((c) => ({ zone, clusterId: c.cluster_id, jobs: sim.jobs(zone, c.cluster_id) })));
}

/** Three jobs in each of clusters 0–2: for delete any status (one past the first page in cluster 0), for cancel live ones. */
function selection(clusters: Clusters[], operation: Operation): JobRef[] {
  const live = (j: SimJob) => j.job_status === 'pending' || j.job_status === 'running';
  return clusters.slice(0, 3).flatMap(({ zone, clusterId, jobs }, index) => {
    const picked = operation === 'cancel batch'
      ? [...jobs.filter(live).slice(0, 2), jobs.filter(live).at(-1)!]
      : index === 0 ? [jobs[5], jobs[120], jobs[240]] : [jobs[0], jobs[7], jobs[29]];
    return picked.map((j) => ({ account: ACCOUNT, zone, clusterId, hpcjobUuid: j.hpcjob_uuid, name: j.job_name }));
  });
}

function describeError(error: EhpcError): string {
  const code = error.retCode !== undefined ? ` ${error.retCode}` : error.httpStatus !== undefined ? ` HTTP ${error.httpStatus}` : '';
  return `${error.kind}${code}`;
}

/** A read: its result must equal what the server holds, or it must fail with an EhpcError. */
async function runRead(sim: Simulator, client: EhpcClient, operation: Operation, clusters: Clusters[]): Promise<{ outcome: string; typed: boolean }> {
  const [first] = clusters;
  const baseline = operation === 'list jobs (paged)' ? 3 : 1;
  try {
    let right: boolean;
    if (operation === 'list clusters') {
      const items = await client.listAllClusters(ZONES[0]);
      right = JSON.stringify(items.map((c) => c.clusterId)) === JSON.stringify(sim.clusters(ZONES[0]).map((c) => c.cluster_id));
    } else if (operation === 'list jobs (paged)') {
      const jobs = await client.listAllJobs(first.zone, first.clusterId);
      right = JSON.stringify(jobs.map((j) => j.hpcjobUuid)) === JSON.stringify(first.jobs.map((j) => j.hpcjob_uuid));
    } else {
      const job = first.jobs[3];
      const detail = await client.jobDetail(first.zone, first.clusterId, job.hpcjob_uuid);
      right = detail.hpcjob_uuid === job.hpcjob_uuid && detail.job_name === job.job_name;
    }
    const retried = sim.requests.length > baseline ? 'retried, ' : '';
    return right ? { outcome: `${retried}ok`, typed: true } : { outcome: 'WRONG DATA accepted', typed: false };
  } catch (error) {
    if (!(error instanceof EhpcError)) {
      crash('escaped', error);
      return { outcome: `untyped: ${String(error)}`, typed: false };
    }
    const retried = sim.requests.length > baseline ? 'retried, ' : '';
    return { outcome: `${retried}typed error: ${describeError(error)}`, typed: true };
  }
}

/** A batch through runBatch, as the commands run it; the client's exceptions are checked on the way. */
async function runBatchOp(client: EhpcClient, operation: Operation, selected: JobRef[]): Promise<{ outcome?: BatchOutcome; text: string; typed: boolean }> {
  const checked = <A extends unknown[], R>(what: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        if (!(error instanceof EhpcError)) {
          crash(`${what} threw`, error); // runBatch would wrap it and hide it
        }
        throw error;
      }
    };
  const cancel = operation === 'cancel batch';
  const steps: BatchSteps = {
    act: checked('act', ({ zone, clusterId }: ClusterPlace, ids: string[]): Promise<string | undefined | void> =>
      cancel ? client.stopJobs(zone, clusterId, ids) : client.deleteJobs(zone, clusterId, ids)),
    lookup: checked('lookup', ({ zone, clusterId }: ClusterPlace, ids: readonly string[]) => lookupJobs(client, zone, clusterId, ids)),
    settle: cancel ? ({ zone }, operations) => waitForOperations(client, zone, operations, { mayContinue: () => true, intervalMs: 50, timeoutMs: 5000 }) : undefined,
    isDone: cancel ? isCancelled : isDeleted,
  };
  let outcome: BatchOutcome;
  try {
    outcome = await runBatch(groupByCluster(selected), steps);
  } catch (error) {
    crash('runBatch threw', error);
    return { text: `runBatch threw: ${String(error)}`, typed: false };
  }
  const verb = cancel ? 'cancelled' : 'deleted';
  // Clusters that went the same way are summed: "6 unknown, reported (re-list: quota 2500)".
  const parts = new Map<string, number>();
  const add = (what: string, count: number) => parts.set(what, (parts.get(what) ?? 0) + count);
  let typed = true;
  for (const c of outcome.clusters) {
    if ((c.actionError && !(c.actionError instanceof EhpcError)) || (c.listError && !(c.listError instanceof EhpcError))) {
      typed = false;
    }
    if (c.remaining.length > 0) {
      add(`still listed, reported (${c.actionError ? describeError(c.actionError) : 'answer was ok'})`, c.remaining.length);
    }
    if (c.unknown.length > 0) {
      add(`unknown, reported (re-list: ${c.listError ? describeError(c.listError) : '?'})`, c.unknown.length);
    }
    if (c.notSent.length > 0) {
      add('not sent, reported', c.notSent.length);
    }
    if (c.inProgress.length > 0) {
      add('still stopping, reported', c.inProgress.length);
    }
    if (c.remaining.length === 0 && c.unknown.length === 0 && c.actionError) {
      add(`answer failed (${describeError(c.actionError)})`, 1);
    }
  }
  const text = [`${verb} ${outcome.done}/${outcome.requested}`, ...[...parts].map(([what, n]) => (what.startsWith('answer') ? what : `${n} ${what}`))];
  return { outcome, text: text.join('; '), typed };
}

/** Selected jobs the outcome calls done while the server has them as before, or reports nowhere. */
function lostTrack(sim: Simulator, operation: Operation, selected: JobRef[], outcome: BatchOutcome): number {
  const after = snapshot(sim);
  const key = (j: JobRef) => `${j.zone}/${j.clusterId}/${j.hpcjobUuid}`;
  const doneOnServer = (j: JobRef) => {
    const status = after.get(key(j));
    return operation === 'cancel batch' ? status === undefined || (status !== 'pending' && status !== 'running') : status === undefined;
  };
  const bucket = new Map<string, string[]>();
  for (const c of outcome.clusters) {
    const buckets = [['done', c.done], ['remaining', c.remaining], ['inProgress', c.inProgress], ['unknown', c.unknown], ['notSent', c.notSent]] as const;
    for (const [name, jobs] of buckets) {
      for (const j of jobs) {
        bucket.set(key(j), [...(bucket.get(key(j)) ?? []), name]);
      }
    }
  }
  let lost = 0;
  for (const j of selected) {
    const where = bucket.get(key(j)) ?? [];
    if (where.length !== 1 || (where[0] === 'done' && !doneOnServer(j))) {
      lost++;
    }
  }
  return lost;
}

/** Jobs not selected that are gone or changed; for cancel, also selected jobs that were deleted. */
function wrongDeletions(before: Map<string, string>, after: Map<string, string>, operation: Operation, selected: JobRef[]): number {
  const chosen = new Set(selected.map((j) => `${j.zone}/${j.clusterId}/${j.hpcjobUuid}`));
  let wrong = 0;
  for (const [key, status] of before) {
    if (chosen.has(key)) {
      wrong += operation === 'cancel batch' && !after.has(key) ? 1 : 0;
    } else if (after.get(key) !== status) {
      wrong++;
    }
  }
  return wrong;
}

const SUBMITTED_NAME = 'matrix-submit';

/**
 * A submit (upload, then submitJob) to the faulted cluster, as the command sends it. Lost
 * track: the outcome says submitted (or found) when the server has no such job, or says it
 * was not submitted when the server has it; a second copy of the job counts as wrong.
 */
async function runSubmitOp(sim: Simulator, client: EhpcClient, clusters: Clusters[]): Promise<{ text: string; typed: boolean; lost: number; duplicates: number }> {
  const { zone, clusterId } = clusters[FAULTED];
  const [user] = sim.users(zone, clusterId);
  const target = `${user.nas_mount_point}/.vscode-ehpc/matrix.sh`;
  const outcome = await sendSubmission(
    client,
    { account: ACCOUNT, zone, clusterId, submission: { name: SUBMITTED_NAME, runUser: user.username, cmdLine: `bash '${target}'`, coreLimit: 1 }, script: { text: '#!/bin/bash\nhostname\n', target } },
    () => true,
  );
  const made = sim.jobs(zone, clusterId).filter((job) => job.job_name === SUBMITTED_NAME).map((job) => job.hpcjob_uuid);
  const errorOf = (error: unknown) => (error instanceof EhpcError ? describeError(error) : `untyped: ${String(error)}`);
  switch (outcome.kind) {
    case 'submitted':
      return { text: 'submitted', typed: true, lost: made.length === 1 && made[0] === outcome.job.hpcjobUuid ? 0 : 1, duplicates: Math.max(0, made.length - 1) };
    case 'unknown': {
      const found = outcome.found?.map((job) => job.hpcjobUuid);
      const text = `answer lost (${errorOf(outcome.error)}); ${found === undefined ? `look-up failed (${errorOf(outcome.lookupError)})` : `found ${found.length}`}`;
      // Unchecked is reported as such; a look-up that answered must match the server.
      const right = found === undefined || (found.length === made.length && found.every((id) => made.includes(id)));
      return { text, typed: outcome.error instanceof EhpcError, lost: right ? 0 : 1, duplicates: Math.max(0, made.length - 1) };
    }
    case 'uploadFailed':
    case 'refused':
      return { text: `${outcome.kind} (${errorOf(outcome.error)})`, typed: outcome.error instanceof EhpcError, lost: made.length, duplicates: 0 };
    case 'signedOut':
      return { text: 'signed out', typed: true, lost: made.length, duplicates: 0 };
  }
}

function ruleFor(operation: Operation, target: Target, clusters: Clusters[], effect: FaultRule): FaultRule {
  const where: Record<Operation, FaultRule> = {
    'list clusters': { path: '/api/cluster/list' },
    'list jobs (paged)': { path: '/api/job/list', clusterId: clusters[0].clusterId },
    'job detail': { path: '/api/job/jobdetail' },
    'delete batch': { path: target === 'action' ? '/api/job/deleteJobs' : '/api/job/list', clusterId: clusters[FAULTED].clusterId },
    'cancel batch': { path: target === 'action' ? '/api/job/stopJobs' : '/api/job/list', clusterId: clusters[FAULTED].clusterId },
    submit: { path: target === 'action' ? '/api/job/submitJob' : '/api/job/list', clusterId: clusters[FAULTED].clusterId },
  };
  return { ...effect, ...where[operation], times: 1 };
}

async function runRow(fault: Fault | undefined, operation: Operation, target: Target): Promise<Row> {
  const started = Date.now();
  const sim = await startSimulator(DATA);
  const state = { crashes: 0, notes: [] as string[] };
  current = state;
  const batch = operation === 'delete batch' || operation === 'cancel batch';
  const label = batch || operation === 'submit' ? `${operation} (${target === 'action' ? `${ZONES[1]} action` : `${ZONES[1]} re-list`})` : operation;
  try {
    const clusters = clustersOf(sim);
    const before = snapshot(sim);
    const selected = batch ? selection(clusters, operation) : [];
    const shape: Shape = batch || operation === 'submit' ? (target === 'action' ? 'write' : 'jobs') : operation === 'list clusters' ? 'clusters' : operation === 'job detail' ? 'detail' : 'jobs';
    if (fault && operation === 'submit' && target === 're-list') {
      // The look-up runs only after a submit whose answer was lost; the server made the job.
      sim.failNext({ path: '/api/job/submitJob', clusterId: clusters[FAULTED].clusterId, reset: true, afterAction: true, times: 1 });
      // The list by name just before the submit passes (1 ms late), so the fault strikes the look-up.
      sim.failNext({ path: '/api/job/list', clusterId: clusters[FAULTED].clusterId, latencyMs: 1, times: 1 });
    }
    if (fault) {
      sim.failNext(ruleFor(operation, target, clusters, fault.effect(shape)));
    }
    const client = clientFor(sim);
    let outcome: string;
    let typed: boolean;
    let lost = 0;
    let duplicates = 0;
    if (operation === 'submit') {
      const result = await runSubmitOp(sim, client, clusters);
      ({ text: outcome, typed, lost, duplicates } = result);
    } else if (batch) {
      const result = await runBatchOp(client, operation, selected);
      outcome = result.text;
      typed = result.typed;
      lost = result.outcome ? lostTrack(sim, operation, selected, result.outcome) : selected.length;
    } else {
      ({ outcome, typed } = await runRead(sim, client, operation, clusters));
    }
    const requests = sim.requests.length;
    const wrong = wrongDeletions(before, snapshot(sim), operation, selected) + duplicates;
    const then = await client.listClusters(ZONES[0]).then(
      () => 'ok',
      (error: unknown) => (error instanceof EhpcError ? `error: ${error.kind}` : (crash('next call', error), 'crash')),
    );
    // Let late rejections of this row surface while it is still the current one.
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (state.notes.length > 0) {
      outcome += ` [${state.notes.join('; ')}]`;
    }
    const passed = wrong === 0 && lost === 0 && state.crashes === 0 && typed;
    return { fault: fault?.name ?? 'none', operation: label, outcome, requests, wrongDeletions: wrong, lostTrack: lost, crashes: state.crashes, then, typed, passed, durationMs: Date.now() - started };
  } catch (error) {
    crash('matrix row', error);
    return { fault: fault?.name ?? 'none', operation: label, outcome: `row failed: ${String(error)}`, requests: sim.requests.length, wrongDeletions: 0, lostTrack: 0, crashes: state.crashes, then: '?', typed: false, passed: false, durationMs: Date.now() - started };
  } finally {
    await sim.close();
    await new Promise((resolve) => setTimeout(resolve, 5));
    current = undefined;
  }
}

function table(rows: Row[]): string {
  const head = ['fault', 'operation', 'outcome', 'requests', 'wrong', 'lost', 'crashes', 'then', 'result'];
  const cells = rows.map((r) => [r.fault, r.operation, r.outcome, String(r.requests), String(r.wrongDeletions), String(r.lostTrack), String(r.crashes), r.then, r.passed ? 'pass' : 'FAIL']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const numeric = new Set([3, 4, 5, 6]);
  const line = (c: string[]) => c.map((text, i) => (numeric.has(i) ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join(' | ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const operations: Operation[] = ['list clusters', 'list jobs (paged)', 'job detail', 'delete batch', 'cancel batch', 'submit'];
  const plan: [Fault | undefined, Operation, Target][] = [];
  for (const operation of operations) {
    const batch = operation === 'delete batch' || operation === 'cancel batch' || operation === 'submit';
    plan.push([undefined, operation, 'action']);
    for (const fault of FAULTS) {
      if (!fault.writesOnly || batch) {
        plan.push([fault, operation, 'action']);
      }
    }
    if (batch) {
      for (const fault of FAULTS.filter((f) => !f.writesOnly)) {
        plan.push([fault, operation, 're-list']);
      }
    }
  }

  const rows: Row[] = [];
  for (const [fault, operation, target] of plan) {
    rows.push(await runRow(fault, operation, target));
  }
  const durationMs = Date.now() - started;
  const failed = rows.filter((r) => !r.passed).length + (strayCrashes > 0 ? 1 : 0);
  const passed = rows.filter((r) => r.passed).length;
  const totals = {
    wrongDeletions: rows.reduce((n, r) => n + r.wrongDeletions, 0),
    lostTrack: rows.reduce((n, r) => n + r.lostTrack, 0),
    crashes: rows.reduce((n, r) => n + r.crashes, 0) + strayCrashes,
  };

  console.log(table(rows));
  console.log(`\n${rows.length} rows in ${(durationMs / 1000).toFixed(1)} s; client timeout ${TIMEOUT_MS} ms; `
    + `wrong deletions ${totals.wrongDeletions}, lost track ${totals.lostTrack}, crashes ${totals.crashes}`);

  const out = path.resolve(__dirname, '..', '..', '..', 'test-results');
  fs.mkdirSync(out, { recursive: true });
  const report = { generatedAt: new Date().toISOString(), timeoutMs: TIMEOUT_MS, retry: RETRY, durationMs, passed, failed, totals, rows };
  fs.writeFileSync(path.join(out, 'faults.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || totals.wrongDeletions + totals.lostTrack + totals.crashes > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
