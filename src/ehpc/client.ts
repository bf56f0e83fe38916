// The EHPC API client. No `vscode` import: it runs (and is tested) in plain Node.
import fetch from 'node-fetch';
import { parseEndpoint } from './endpoint';
import { EhpcError, errorForHttpStatus, errorForNetworkFailure, errorForRetCode } from './errors';
import { parseBody, parseClusterPage, parseJobDetail, parseJobPage } from './parse';
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
}

export interface JobFilter {
  status?: string;
  searchWord?: string;
}

export class EhpcClient {
  private readonly base: { origin: string; basePath: string; host: string };
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: ClientOptions) {
    this.base = parseEndpoint(options.endpoint);
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.now = options.now ?? (() => new Date());
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

  private async request(
    method: 'GET' | 'POST',
    path: string,
    zone: string,
    params: QueryParams,
    jsonBody?: unknown,
  ): Promise<Record<string, unknown>> {
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
      if (parsed.ret_code === undefined) {
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
