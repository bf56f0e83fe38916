// The EHPC API client. No `vscode` import: it runs (and is tested) in plain Node.
import { setMaxListeners } from 'events';
import type NodeFetch from 'node-fetch';
import { MAX_IDS_PER_REQUEST } from './batch';
import { parseEndpoint } from './endpoint';
import { EhpcError, errorForHttpStatus, errorForNetworkFailure, errorForRetCode } from './errors';
import { CLUSTER_ID, JOB_ID, OPERATION_ID, QUEUE_ID, ZONE_ID } from './ids';
import {
  parseBody, parseClusterPage, parseJob, parseJobDetail, parseJobPage, parseOperationId, parseOperation, parseQueuePage, parseSubmittedJob, parseUserPage,
} from './parse';
import { Credentials, QueryParams, signRequest } from './signing';
import { Cluster, ClusterUser, Job, JobSubmission, OperationState, OperationStatus, Page, Queue, SubmittedJob } from './types';

/** The API returns at most this many items per list call, whatever `limit` says. */
export const PAGE_SIZE = 100;

/**
 * The largest file createJobFile writes, in UTF-8 bytes. The file travels inside one JSON
 * body (escaped, so it grows on the wire) that is signed, sent and held in memory whole,
 * and no retry makes up for a request a proxy cuts off: a job script fits many times over;
 * data belongs on the cluster's storage by other means.
 */
export const MAX_JOB_FILE_BYTES = 512 * 1024;

export interface RequestRecord {
  method: string;
  path: string;
  zone: string;
  retCode?: number;
  httpStatus?: number;
  durationMs: number;
  error?: EhpcError;
}

export interface ClientOptions {
  endpoint: string;
  /** The account's name, stamped on every cluster and job listed (default ''). */
  account?: string;
  credentials: Credentials;
  /** Per request; the default suits a slow link to a far region. */
  timeoutMs?: number;
  now?: () => Date;
  /** Called once per request, for the log. Receives no secrets. */
  onRequest?: (record: RequestRecord) => void;
  /** Retries of reads (GET) on transient failures; writes are never sent twice. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** How long every request waits after the server says the API quota is used up. */
  quotaPauseMs?: number;
  /** The back-off between retries; `signal` aborts when the call is cancelled. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface JobFilter {
  status?: string;
  searchWord?: string;
}

/** Per call: a signal that, once aborted, stops the call (its back-off sleep too) at once. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Called each time a request of the call goes out (a retried read calls it again). */
  onSend?: () => void;
}

/** One request as `request` and `send` take it. */
interface ApiRequest {
  method: 'GET' | 'POST';
  /** Below the endpoint's base path: `/api/...`. */
  path: string;
  /** For the log; GET carries it in `query`, POST in `body`. */
  zone: string;
  query?: QueryParams;
  /** POST only: sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  onSend?: () => void;
}

export class EhpcClient {
  private readonly base: { origin: string; basePath: string; host: string };
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Until when requests wait out a quota error (2500), in Date.now() time. */
  private pausedUntil = 0;
  /** Aborted by dispose(): every call under way, and every later one, stops. */
  private readonly disposed = new AbortController();

  constructor(private readonly options: ClientOptions) {
    this.base = parseEndpoint(options.endpoint);
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? sleepUnlessAborted;
    // Every call listens for dispose(); many at once are no leak.
    setMaxListeners(0, this.disposed.signal);
  }

  /**
   * Stops the client for good (a sign-out, a key replaced): back-off sleeps and reads under
   * way end at once with a 'cancelled' error, and nothing more is sent. A write already on
   * the wire is left to finish: aborting it would not take it back, only hide its outcome.
   */
  dispose(): void {
    this.disposed.abort();
  }

  /** The account whose key this client signs with. */
  get account(): string {
    return this.options.account ?? '';
  }

  async listClusters(zone: string, offset = 0, options: CallOptions = {}): Promise<Page<Cluster>> {
    checkZone(zone);
    const body = await this.request({ method: 'GET', path: '/api/cluster/list', zone, query: { zone, limit: PAGE_SIZE, offset }, signal: options.signal, onSend: options.onSend });
    return parseClusterPage(body, zone, this.account);
  }

  async listJobs(zone: string, clusterId: string, offset = 0, filter: JobFilter = {}, options: CallOptions = {}): Promise<Page<Job>> {
    checkCluster(zone, clusterId);
    const body = await this.request({
      method: 'GET',
      path: '/api/job/list',
      zone,
      query: { zone, cluster_id: clusterId, limit: PAGE_SIZE, offset, job_status: filter.status, search_word: filter.searchWord },
      signal: options.signal,
      onSend: options.onSend,
    });
    return parseJobPage(body, zone, clusterId, this.account);
  }

  listAllClusters(zone: string, options: CallOptions = {}): Promise<Cluster[]> {
    return collectPages((offset) => this.listClusters(zone, offset, options), (c) => c.clusterId);
  }

  listAllJobs(zone: string, clusterId: string, filter: JobFilter = {}, options: CallOptions = {}): Promise<Job[]> {
    return collectPages((offset) => this.listJobs(zone, clusterId, offset, filter, options), (j) => j.hpcjobUuid);
  }

  /** The Linux users of a cluster (whom a job can run as), every page. */
  listUsers(zone: string, clusterId: string, options: CallOptions = {}): Promise<ClusterUser[]> {
    checkCluster(zone, clusterId);
    return collectPages(async (offset) => {
      const query = { zone, cluster_id: clusterId, limit: PAGE_SIZE, offset };
      return parseUserPage(await this.request({ method: 'GET', path: '/api/user', zone, query, signal: options.signal, onSend: options.onSend }));
    }, (user) => user.username);
  }

  /** The scheduler queues of an EHPC cluster, every page. */
  listQueues(zone: string, clusterId: string, options: CallOptions = {}): Promise<Queue[]> {
    checkCluster(zone, clusterId);
    return collectPages(async (offset) => {
      const query = { zone, cluster_id: clusterId, limit: PAGE_SIZE, offset };
      // GET, as the SDK sends it (the docs' page says POST): a read, retried like the others.
      return parseQueuePage(await this.request({ method: 'GET', path: '/api/queue/ehpc/getQueueList', zone, query, signal: options.signal, onSend: options.onSend }));
    }, (queue) => queue.queueId);
  }

  /**
   * Writes a text file (a job script, say) on the cluster's shared storage, replacing one
   * of the same name. A write: sent once, never again on a failure.
   */
  async createJobFile(zone: string, clusterId: string, targetFile: string, content: string): Promise<void> {
    checkCluster(zone, clusterId);
    checkJobFile(targetFile, content);
    await this.request({
      method: 'POST',
      path: '/api/job/createJobFile',
      zone,
      body: { cluster_id: clusterId, zone, file_type: 'plain', file_value: content, target_file: targetFile },
    });
  }

  /**
   * Submits one job. A write: sent once, never again on a failure, since a second try
   * could run the job twice. Optional fields go only when set, as the SDK sends them.
   */
  async submitJob(zone: string, clusterId: string, job: JobSubmission): Promise<SubmittedJob> {
    checkCluster(zone, clusterId);
    checkSubmission(job);
    const body = {
      cluster_id: clusterId,
      zone,
      name: job.name,
      run_user: job.runUser,
      cmd_line: job.cmdLine,
      ...ifSet('hpcqueue_id', job.queueId),
      ...ifSet('core_limit', job.coreLimit),
      ...ifSet('mem_limit', job.memLimitMb),
      ...ifSet('time_limit', job.timeLimitMinutes),
      ...ifSet('stdout_redirect_path', job.stdoutPath),
      ...ifSet('stderr_redirect_path', job.stderrPath),
    };
    return parseSubmittedJob(await this.request({ method: 'POST', path: '/api/job/submitJob', zone, body }));
  }

  /** One call for up to PAGE_SIZE jobs of one cluster. The answer says nothing per job. */
  async deleteJobs(zone: string, clusterId: string, hpcjobUuids: readonly string[]): Promise<void> {
    checkJobIds(zone, clusterId, hpcjobUuids);
    await this.request({ method: 'POST', path: '/api/job/deleteJobs', zone, body: { cluster_id: clusterId, job_ids: hpcjobUuids, zone } });
  }

  /**
   * Cancels pending and running jobs. The service does it asynchronously: the answer names
   * an operation (`j-…`, for operationStatus; undefined when it names none), not per-job
   * results, and the jobs stay running until the scheduler has stopped them.
   */
  async stopJobs(zone: string, clusterId: string, hpcjobUuids: readonly string[]): Promise<string | undefined> {
    checkJobIds(zone, clusterId, hpcjobUuids);
    const body = await this.request({ method: 'POST', path: '/api/job/stopJobs', zone, body: { cluster_id: clusterId, job_ids: hpcjobUuids, zone } });
    return parseOperationId(body);
  }

  /** Where an asynchronous operation (what stopJobs answered) stands. */
  async operationStatus(zone: string, operationId: string, options: CallOptions = {}): Promise<OperationStatus> {
    return (await this.operation(zone, operationId, options)).status;
  }

  /** Where an asynchronous operation stands, and the error codes it failed with. */
  async operation(zone: string, operationId: string, options: CallOptions = {}): Promise<OperationState> {
    checkZone(zone);
    checkOperationId(operationId);
    const body = await this.request({ method: 'GET', path: '/api/operation', zone, query: { zone, job_ids: operationId }, signal: options.signal, onSend: options.onSend });
    return parseOperation(body, operationId);
  }

  /** Every field the server tells about one job, as sent (the detail view shows them all). */
  async jobDetail(zone: string, clusterId: string, hpcjobUuid: string, options: CallOptions = {}): Promise<Record<string, unknown>> {
    checkCluster(zone, clusterId);
    checkJobId(hpcjobUuid);
    const body = await this.request({ method: 'GET', path: `/api/job/jobdetail/${encodeURIComponent(hpcjobUuid)}`, zone, query: { zone, cluster_id: clusterId }, signal: options.signal, onSend: options.onSend });
    return parseJobDetail(body, hpcjobUuid);
  }

  /**
   * The job as the server knows it now, or undefined when it no longer exists (2100) or the
   * answer places it in another cluster.
   */
  async findJob(zone: string, clusterId: string, hpcjobUuid: string, options: CallOptions = {}): Promise<Job | undefined> {
    try {
      const detail = await this.jobDetail(zone, clusterId, hpcjobUuid, options);
      if (typeof detail.cluster_id === 'string' && detail.cluster_id !== clusterId) {
        return undefined;
      }
      return parseJob(detail, zone, clusterId, this.account);
    } catch (error) {
      if (error instanceof EhpcError && error.kind === 'notFound') {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Sends a request. A read that fails in a way that may pass (busy, 5xx, reset, time-out)
   * is sent again after an exponential, jittered back-off, a bounded number of times. A
   * write is sent once: if its outcome is unknown, the caller lists again instead.
   */
  private async request(request: ApiRequest): Promise<Record<string, unknown>> {
    const { attempts = 3, baseDelayMs = 500, maxDelayMs = 8000 } = this.options.retry ?? {};
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(request);
      } catch (error) {
        if (request.method !== 'GET' || attempt >= attempts || !isRetryable(error)) {
          throw error;
        }
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        await this.backOff(delay / 2 + Math.random() * (delay / 2), request.signal);
      }
    }
  }

  /** Sleeps, unless the call or the client is cancelled first: then it throws at once. */
  private async backOff(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const cancel = new AbortController();
    const stop = onAbort([this.disposed.signal, signal], () => cancel.abort());
    try {
      // Raced, so that even a sleep that ignores the signal cannot hold the call.
      await Promise.race([this.sleep(ms, cancel.signal), aborted(cancel.signal)]);
    } finally {
      stop();
    }
  }

  private async send({ method, path, zone, query = {}, body: jsonBody, signal, onSend }: ApiRequest): Promise<Record<string, unknown>> {
    if (this.disposed.signal.aborted || signal?.aborted) {
      throw cancelledError();
    }
    const waitSeconds = Math.ceil((this.pausedUntil - Date.now()) / 1000);
    if (waitSeconds > 0) {
      // The server said the hourly quota is used up: asking again now only makes it worse.
      throw new EhpcError('quota', 'API quota exceeded (2000 calls per hour). Requests are paused; try again in {0} seconds.', [waitSeconds], { retCode: 2500 });
    }
    const body = jsonBody === undefined ? '' : JSON.stringify(jsonBody);
    const fullPath = this.base.basePath + path;
    const sentAt = this.now();
    const { query: signedQuery } = signRequest(method, fullPath, query, body, this.options.credentials, sentAt);
    const url = `${this.base.origin}${fullPath}?${signedQuery}`;
    const record: RequestRecord = { method, path, zone, durationMs: 0 };
    const started = Date.now();
    const controller = new AbortController();
    let timedOut = false;
    let cancelled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    // A write on the wire is not aborted (see dispose); a read is, by the client or the call.
    const stopListening = onAbort(method === 'GET' ? [this.disposed.signal, signal] : [], () => {
      cancelled = true;
      controller.abort();
    });
    try {
      const fetch = await loadFetch();
      onSend?.();
      const response = await fetch(url, {
        method,
        body: method === 'POST' ? body : undefined,
        headers: method === 'POST' ? { 'Content-Type': 'application/json' } : {},
        signal: controller.signal,
        redirect: 'error',
      });
      record.httpStatus = response.status;
      const text = await response.text();
      const parsed = tryParse(text);
      if (parsed && typeof parsed.ret_code === 'number') {
        record.retCode = parsed.ret_code;
        if (parsed.ret_code === 2500) {
          this.pausedUntil = Date.now() + (this.options.quotaPauseMs ?? 60_000);
        }
        if (parsed.ret_code !== 0) {
          const message = typeof parsed.message === 'string' ? parsed.message : undefined;
          throw errorForRetCode(parsed.ret_code, message, response.status, clockSkew(response.headers.get('date'), sentAt));
        }
      }
      if (!response.ok) {
        throw errorForHttpStatus(response.status);
      }
      if (!parsed) {
        return parseBody(text); // throws the right badResponse error
      }
      if (typeof parsed.ret_code !== 'number') {
        throw new EhpcError('badResponse', 'The EHPC service sent an answer without ret_code. Check the "ehpc.endpoint" setting.');
      }
      return parsed;
    } catch (error) {
      record.error = cancelled && !(error instanceof EhpcError) ? cancelledError() : errorForNetworkFailure(error, this.base.host, timedOut, this.timeoutMs);
      throw record.error;
    } finally {
      clearTimeout(timer);
      stopListening();
      record.durationMs = Date.now() - started;
      this.options.onRequest?.(record);
    }
  }
}

// Checked before anything is sent; the API's own limits are the client's to keep too.
function matches(value: string, pattern: RegExp): boolean {
  return typeof value === 'string' && pattern.test(value);
}

/** A value for a message: quoted, and short (it may come from anywhere). */
function shown(value: unknown): string {
  const text = JSON.stringify(String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkZone(zone: string): void {
  if (!matches(zone, ZONE_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not a zone id (lower-case letters, digits and "-").', [shown(zone)]);
  }
}

function checkCluster(zone: string, clusterId: string): void {
  checkZone(zone);
  if (!matches(clusterId, CLUSTER_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not a cluster id (ehpc-… or hpc-…).', [shown(clusterId)]);
  }
}

function checkJobId(hpcjobUuid: string): void {
  if (!matches(hpcjobUuid, JOB_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not a job id (hpcjob-…).', [shown(hpcjobUuid)]);
  }
}

function checkOperationId(operationId: string): void {
  if (!matches(operationId, OPERATION_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not an operation id (j-…).', [shown(operationId)]);
  }
}

/** The `job_ids` of deleteJobs and stopJobs: 1 to MAX_IDS_PER_REQUEST distinct job ids. */
function checkJobIds(zone: string, clusterId: string, hpcjobUuids: readonly string[]): void {
  checkCluster(zone, clusterId);
  if (hpcjobUuids.length === 0) {
    throw new EhpcError('badRequest', 'Not sent: no job ids were given.');
  }
  if (hpcjobUuids.length > MAX_IDS_PER_REQUEST) {
    throw new EhpcError('badRequest', 'Not sent: {0} job ids, but one request takes at most {1}.', [hpcjobUuids.length, MAX_IDS_PER_REQUEST]);
  }
  hpcjobUuids.forEach(checkJobId);
  const repeated = hpcjobUuids.find((id, i) => hpcjobUuids.indexOf(id) !== i);
  if (repeated !== undefined) {
    throw new EhpcError('badRequest', 'Not sent: job id {0} is given more than once.', [shown(repeated)]);
  }
}

/** A job file's target and content, as createJobFile may send them. */
function checkJobFile(targetFile: string, content: string): void {
  if (typeof targetFile !== 'string' || targetFile.trim() === '') {
    throw new EhpcError('badRequest', 'Not sent: no target file was given.');
  }
  // ".." would climb out of the folder the caller meant; NUL cuts the path short on the cluster.
  if (targetFile.includes('\0') || targetFile.split(/[/\\]/).includes('..')) {
    throw new EhpcError('badRequest', 'Not sent: the target file {0} has a ".." segment or a NUL character.', [shown(targetFile)]);
  }
  if (typeof content !== 'string') {
    throw new EhpcError('badRequest', 'Not sent: the content of {0} is not text.', [shown(targetFile)]);
  }
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_JOB_FILE_BYTES) {
    throw new EhpcError('badRequest', 'Not sent: {0} would be {1} KiB; one request writes at most {2} KiB.', [
      shown(targetFile), Math.ceil(bytes / 1024), MAX_JOB_FILE_BYTES / 1024,
    ]);
  }
}

/** What submitJob requires, and the form of what it may take. */
function checkSubmission(job: JobSubmission): void {
  if (!isText(job.name)) {
    throw new EhpcError('badRequest', 'Not sent: the job has no name.');
  }
  if (!isText(job.runUser)) {
    throw new EhpcError('badRequest', 'Not sent: the job has no user to run as.');
  }
  if (!isText(job.cmdLine)) {
    throw new EhpcError('badRequest', 'Not sent: the job has no command line.');
  }
  if (job.queueId !== undefined && job.queueId !== '' && !matches(job.queueId, QUEUE_ID)) {
    throw new EhpcError('badRequest', 'Not sent: {0} is not a queue id (ehpcq-…).', [shown(job.queueId)]);
  }
  checkLimit('cores', job.coreLimit);
  checkLimit('memory', job.memLimitMb);
  checkLimit('time', job.timeLimitMinutes);
  for (const path of [job.stdoutPath, job.stderrPath]) {
    if (path !== undefined && typeof path !== 'string') {
      throw new EhpcError('badRequest', 'Not sent: the output path {0} is not text.', [shown(path)]);
    }
  }
}

/** A limit of submitJob: unset, or a whole number above 0 (0 is not "no limit" on the wire). */
function checkLimit(limit: 'cores' | 'memory' | 'time', value: number | undefined): void {
  if (value === undefined || (typeof value === 'number' && Number.isSafeInteger(value) && value > 0)) {
    return;
  }
  const template = limit === 'cores'
    ? 'Not sent: the number of cores must be a whole number above 0, not {0}.'
    : limit === 'memory'
      ? 'Not sent: the memory limit (MB) must be a whole number above 0, not {0}.'
      : 'Not sent: the time limit (minutes) must be a whole number above 0, not {0}.';
  throw new EhpcError('badRequest', template, [shown(value)]);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** `{ [key]: value }` when value is set, else nothing: the SDK leaves out unset fields, "" included. */
function ifSet(key: string, value: string | number | undefined): Record<string, string | number> {
  return value === undefined || value === '' ? {} : { [key]: value };
}

function cancelledError(): EhpcError {
  return new EhpcError('cancelled', 'The EHPC request was cancelled.');
}

/** Calls `listener` once when any of `signals` aborts (at once if one has); returns the unsubscribe. */
function onAbort(signals: readonly (AbortSignal | undefined)[], listener: () => void): () => void {
  const live = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (live.some((signal) => signal.aborted)) {
    listener();
    return () => undefined;
  }
  const once = () => {
    stop();
    listener();
  };
  const stop = () => live.forEach((signal) => signal.removeEventListener('abort', once));
  live.forEach((signal) => signal.addEventListener('abort', once));
  return stop;
}

/** Rejects with the cancelled error when `signal` aborts; never resolves. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => onAbort([signal], () => reject(cancelledError())));
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    onAbort([signal], () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Failures worth another try without changing anything. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof EhpcError)) {
    return false;
  }
  switch (error.kind) {
    case 'busy':
    case 'timeout':
    case 'network':
      return true;
    case 'server':
      return error.retCode === 5000 || (error.httpStatus ?? 0) >= 500;
    default:
      return false;
  }
}

function tryParse(text: string): Record<string, unknown> | undefined {
  try {
    return parseBody(text);
  } catch {
    return undefined;
  }
}

/** Local clock minus the server's, in seconds, from the answer's Date header. */
function clockSkew(dateHeader: string | null, sentAt: Date): number | undefined {
  const serverTime = dateHeader ? Date.parse(dateHeader) : NaN;
  return Number.isNaN(serverTime) ? undefined : (sentAt.getTime() - serverTime) / 1000;
}

/**
 * Reads every page, one after another. Offsets shift when items vanish between calls,
 * so items are de-duplicated by id, and an empty page ends the walk.
 */
let fetchModule: Promise<typeof NodeFetch> | undefined;

/** node-fetch, and with it Node's http, https and zlib, loads on the first request: not during activation. */
function loadFetch(): Promise<typeof NodeFetch> {
  fetchModule ??= import('node-fetch').then((module) => module.default);
  return fetchModule;
}

async function collectPages<T>(fetchPage: (offset: number) => Promise<Page<T> & { received?: number }>, idOf: (item: T) => string): Promise<T[]> {
  const byId = new Map<string, T>();
  let offset = 0;
  for (;;) {
    const page = await fetchPage(offset);
    for (const item of page.items) {
      byId.set(idOf(item), item);
    }
    // Items a parser left out still took their place on the server's page.
    const received = page.received ?? page.items.length;
    offset += received;
    if (received === 0 || offset >= page.totalCount) {
      return [...byId.values()];
    }
  }
}
