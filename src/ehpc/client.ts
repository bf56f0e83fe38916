// The EHPC API client. No `vscode` import: it runs (and is tested) in plain Node.
import fetch from 'node-fetch';
import { parseEndpoint } from './endpoint';
import { EhpcError, errorForHttpStatus, errorForNetworkFailure, errorForRetCode } from './errors';
import { parseBody, parseClusterPage, parseJob, parseJobDetail, parseJobPage } from './parse';
import { Credentials, QueryParams, signRequest } from './signing';
import { Cluster, Job, Page } from './types';

/** The API returns at most this many items per list call, whatever `limit` says. */
export const PAGE_SIZE = 100;

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
  sleep?: (ms: number) => Promise<void>;
}

export interface JobFilter {
  status?: string;
  searchWord?: string;
}

export class EhpcClient {
  private readonly base: { origin: string; basePath: string; host: string };
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Until when requests wait out a quota error (2500), in Date.now() time. */
  private pausedUntil = 0;

  constructor(private readonly options: ClientOptions) {
    this.base = parseEndpoint(options.endpoint);
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async listClusters(zone: string, offset = 0): Promise<Page<Cluster>> {
    const body = await this.request('GET', '/api/cluster/list', zone, { zone, limit: PAGE_SIZE, offset });
    return parseClusterPage(body, zone);
  }

  async listJobs(zone: string, clusterId: string, offset = 0, filter: JobFilter = {}): Promise<Page<Job>> {
    const body = await this.request('GET', '/api/job/list', zone, {
      zone,
      cluster_id: clusterId,
      limit: PAGE_SIZE,
      offset,
      job_status: filter.status,
      search_word: filter.searchWord,
    });
    return parseJobPage(body, zone, clusterId);
  }

  listAllClusters(zone: string): Promise<Cluster[]> {
    return collectPages((offset) => this.listClusters(zone, offset), (c) => c.clusterId);
  }

  listAllJobs(zone: string, clusterId: string, filter: JobFilter = {}): Promise<Job[]> {
    return collectPages((offset) => this.listJobs(zone, clusterId, offset, filter), (j) => j.hpcjobUuid);
  }

  /** One call for up to PAGE_SIZE jobs of one cluster. The answer says nothing per job. */
  async deleteJobs(zone: string, clusterId: string, hpcjobUuids: readonly string[]): Promise<void> {
    await this.request('POST', '/api/job/deleteJobs', zone, {}, { cluster_id: clusterId, job_ids: hpcjobUuids, zone });
  }

  /** Cancels pending and running jobs. The answer names an asynchronous operation, not per-job results. */
  async stopJobs(zone: string, clusterId: string, hpcjobUuids: readonly string[]): Promise<void> {
    await this.request('POST', '/api/job/stopJobs', zone, {}, { cluster_id: clusterId, job_ids: hpcjobUuids, zone });
  }

  /** Every field the server tells about one job, as sent (the detail view shows them all). */
  async jobDetail(zone: string, clusterId: string, hpcjobUuid: string): Promise<Record<string, unknown>> {
    const body = await this.request('GET', `/api/job/jobdetail/${encodeURIComponent(hpcjobUuid)}`, zone, { zone, cluster_id: clusterId });
    return parseJobDetail(body, hpcjobUuid);
  }

  /**
   * Sends a request. A read that fails in a way that may pass (busy, 5xx, reset, time-out)
   * is sent again after an exponential, jittered back-off, a bounded number of times. A
   * write is sent once: if its outcome is unknown, the caller lists again instead.
   */
  /** The job as the server knows it now, or undefined when it no longer exists (2100). */
  async findJob(zone: string, clusterId: string, hpcjobUuid: string): Promise<Job | undefined> {
    try {
      return parseJob(await this.jobDetail(zone, clusterId, hpcjobUuid), zone, clusterId);
    } catch (error) {
      if (error instanceof EhpcError && error.kind === 'notFound') {
        return undefined;
      }
      throw error;
    }
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    zone: string,
    params: QueryParams,
    jsonBody?: unknown,
  ): Promise<Record<string, unknown>> {
    const { attempts = 3, baseDelayMs = 500, maxDelayMs = 8000 } = this.options.retry ?? {};
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(method, path, zone, params, jsonBody);
      } catch (error) {
        if (method !== 'GET' || attempt >= attempts || !isRetryable(error)) {
          throw error;
        }
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        await this.sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    zone: string,
    params: QueryParams,
    jsonBody?: unknown,
  ): Promise<Record<string, unknown>> {
    const waitSeconds = Math.ceil((this.pausedUntil - Date.now()) / 1000);
    if (waitSeconds > 0) {
      // The server said the hourly quota is used up: asking again now only makes it worse.
      throw new EhpcError('quota', 'API quota exceeded (2000 calls per hour). Requests are paused; try again in {0} seconds.', [waitSeconds], { retCode: 2500 });
    }
    const body = jsonBody === undefined ? '' : JSON.stringify(jsonBody);
    const fullPath = this.base.basePath + path;
    const sentAt = this.now();
    const { query } = signRequest(method, fullPath, params, body, this.options.credentials, sentAt);
    const url = `${this.base.origin}${fullPath}?${query}`;
    const record: RequestRecord = { method, path, zone, durationMs: 0 };
    const started = Date.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
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
      record.error = errorForNetworkFailure(error, this.base.host, timedOut, this.timeoutMs);
      throw record.error;
    } finally {
      clearTimeout(timer);
      record.durationMs = Date.now() - started;
      this.options.onRequest?.(record);
    }
  }
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
async function collectPages<T>(fetchPage: (offset: number) => Promise<Page<T>>, idOf: (item: T) => string): Promise<T[]> {
  const byId = new Map<string, T>();
  let offset = 0;
  for (;;) {
    const page = await fetchPage(offset);
    for (const item of page.items) {
      byId.set(idOf(item), item);
    }
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.totalCount) {
      return [...byId.values()];
    }
  }
}
