// The EHPC API calls: what each sends and what its answer means. No `vscode` import: it runs
// (and is tested) in plain Node.
import { checkCluster, checkClusterIds, checkJobFile, checkJobIds, checkJobId, checkOperationId, checkQueueId, checkSubmission, checkZone } from './checks';
import { EhpcError } from './errors';
import {
  parseClusterOperationId, parseClusterPage, parseJob, parseJobDetail, parseJobPage, parseMachinePage, parseOperationId, parseOperation, parseQueueLoad, parseQueuePage,
  parseSubmittedJob, parseUserPage,
} from './parse';
import { Transport, TransportOptions } from './transport';
import { Cluster, ClusterMachine, ClusterUser, Job, JobSubmission, OperationState, OperationStatus, Page, Queue, QueueLoad, SubmittedJob } from './types';

/** The API returns at most this many items per list call, whatever `limit` says. */
export const PAGE_SIZE = 100;

export interface ClientOptions extends TransportOptions {
  /** The account's name, stamped on every cluster and job listed (default ''). */
  account?: string;
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

export class EhpcClient {
  private readonly transport: Transport;

  constructor(private readonly options: ClientOptions) {
    this.transport = new Transport(options);
  }

  /**
   * Stops the client for good (a sign-out, a key replaced): back-off sleeps and reads under
   * way end at once with a 'cancelled' error, and nothing more is sent. A write already on
   * the wire is left to finish: aborting it would not take it back, only hide its outcome.
   */
  dispose(): void {
    this.transport.dispose();
  }

  /** The account whose key this client signs with. */
  get account(): string {
    return this.options.account ?? '';
  }

  async listClusters(zone: string, offset = 0, options: CallOptions = {}): Promise<Page<Cluster>> {
    checkZone(zone);
    const body = await this.transport.request({ method: 'GET', path: '/api/cluster/list', zone, query: { zone, limit: PAGE_SIZE, offset }, signal: options.signal, onSend: options.onSend });
    return parseClusterPage(body, zone, this.account);
  }

  async listJobs(zone: string, clusterId: string, offset = 0, filter: JobFilter = {}, options: CallOptions = {}): Promise<Page<Job>> {
    checkCluster(zone, clusterId);
    const body = await this.transport.request({
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
      return parseUserPage(await this.transport.request({ method: 'GET', path: '/api/user', zone, query, signal: options.signal, onSend: options.onSend }));
    }, (user) => user.username);
  }

  /** The scheduler queues of an EHPC cluster, every page. */
  listQueues(zone: string, clusterId: string, options: CallOptions = {}): Promise<Queue[]> {
    checkCluster(zone, clusterId);
    return collectPages(async (offset) => {
      const query = { zone, cluster_id: clusterId, limit: PAGE_SIZE, offset };
      // GET, as the SDK sends it (the docs' page says POST): a read, retried like the others.
      return parseQueuePage(await this.transport.request({ method: 'GET', path: '/api/queue/ehpc/getQueueList', zone, query, signal: options.signal, onSend: options.onSend }));
    }, (queue) => queue.queueId);
  }

  /**
   * How busy one queue is (running and pending jobs, free slots), as far as describeQueue
   * tells it.
   */
  async describeQueue(zone: string, clusterId: string, queueId: string, options: CallOptions = {}): Promise<QueueLoad> {
    checkCluster(zone, clusterId);
    checkQueueId(queueId);
    const query = { zone, cluster_id: clusterId, id: queueId };
    return parseQueueLoad(await this.transport.request({ method: 'GET', path: '/api/queue/describeQueue', zone, query, signal: options.signal, onSend: options.onSend }), queueId);
  }

  /** Every node of a cluster (login, controller, compute), every page. */
  listNodes(zone: string, clusterId: string, options: CallOptions = {}): Promise<ClusterMachine[]> {
    checkCluster(zone, clusterId);
    return collectPages(async (offset) => {
      const query = { zone, cluster_id: clusterId, limit: PAGE_SIZE, offset };
      return parseMachinePage(await this.transport.request({ method: 'GET', path: '/api/cluster/listNodes', zone, query, signal: options.signal, onSend: options.onSend }));
    }, (node) => node.nodeId);
  }

  /**
   * The cluster's login node: the nodes are listed page by page until one has the role
   * `login` (a cluster is created with one, so it is usually on the first page).
   */
  async loginNode(zone: string, clusterId: string, options: CallOptions = {}): Promise<ClusterMachine | undefined> {
    checkCluster(zone, clusterId);
    for (let offset = 0; ; ) {
      const query = { zone, cluster_id: clusterId, limit: PAGE_SIZE, offset };
      const page = parseMachinePage(await this.transport.request({ method: 'GET', path: '/api/cluster/listNodes', zone, query, signal: options.signal, onSend: options.onSend }));
      const login = page.items.find((node) => node.role === 'login');
      offset += page.items.length;
      if (login || page.items.length === 0 || offset >= page.totalCount) {
        return login;
      }
    }
  }

  /**
   * Writes a text file (a job script, say) on the cluster's shared storage, replacing one
   * of the same name. A write: sent once, never again on a failure.
   */
  async createJobFile(zone: string, clusterId: string, targetFile: string, content: string): Promise<void> {
    checkCluster(zone, clusterId);
    checkJobFile(targetFile, content);
    await this.transport.request({
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
    return parseSubmittedJob(await this.transport.request({ method: 'POST', path: '/api/job/submitJob', zone, body }));
  }

  /** One call for up to PAGE_SIZE jobs of one cluster. The answer says nothing per job. */
  async deleteJobs(zone: string, clusterId: string, hpcjobUuids: readonly string[]): Promise<void> {
    checkJobIds(zone, clusterId, hpcjobUuids);
    await this.transport.request({ method: 'POST', path: '/api/job/deleteJobs', zone, body: { cluster_id: clusterId, job_ids: hpcjobUuids, zone } });
  }

  /**
   * Cancels pending and running jobs. The service does it asynchronously: the answer names
   * an operation (`j-…`, for operationStatus; undefined when it names none), not per-job
   * results, and the jobs stay running until the scheduler has stopped them.
   */
  async stopJobs(zone: string, clusterId: string, hpcjobUuids: readonly string[]): Promise<string | undefined> {
    checkJobIds(zone, clusterId, hpcjobUuids);
    const body = await this.transport.request({ method: 'POST', path: '/api/job/stopJobs', zone, body: { cluster_id: clusterId, job_ids: hpcjobUuids, zone } });
    return parseOperationId(body);
  }

  /**
   * Starts stopped clusters of one zone. A write: sent once, never again on a failure. The
   * service does it asynchronously: the answer is the operation to follow (`j-…`), and an
   * answer without one is a badResponse error (the start cannot be followed, so nothing is
   * assumed about it).
   */
  startClusters(zone: string, clusterIds: readonly string[]): Promise<string> {
    return this.powerClusters('/api/cluster/startCluster', zone, clusterIds);
  }

  /** Stops (shuts down) active clusters of one zone; like startClusters. */
  stopClusters(zone: string, clusterIds: readonly string[]): Promise<string> {
    return this.powerClusters('/api/cluster/stopCluster', zone, clusterIds);
  }

  private async powerClusters(path: string, zone: string, clusterIds: readonly string[]): Promise<string> {
    checkClusterIds(zone, clusterIds);
    return parseClusterOperationId(await this.transport.request({ method: 'POST', path, zone, body: { cluster_ids: [...clusterIds], zone } }));
  }

  /** Where an asynchronous operation (what stopJobs answered) stands. */
  async operationStatus(zone: string, operationId: string, options: CallOptions = {}): Promise<OperationStatus> {
    return (await this.operation(zone, operationId, options)).status;
  }

  /** Where an asynchronous operation stands, and the error codes it failed with. */
  async operation(zone: string, operationId: string, options: CallOptions = {}): Promise<OperationState> {
    checkZone(zone);
    checkOperationId(operationId);
    const body = await this.transport.request({ method: 'GET', path: '/api/operation', zone, query: { zone, job_ids: operationId }, signal: options.signal, onSend: options.onSend });
    return parseOperation(body, operationId);
  }

  /** Every field the server tells about one job, as sent (the detail view shows them all). */
  async jobDetail(zone: string, clusterId: string, hpcjobUuid: string, options: CallOptions = {}): Promise<Record<string, unknown>> {
    checkCluster(zone, clusterId);
    checkJobId(hpcjobUuid);
    const body = await this.transport.request({ method: 'GET', path: `/api/job/jobdetail/${encodeURIComponent(hpcjobUuid)}`, zone, query: { zone, cluster_id: clusterId }, signal: options.signal, onSend: options.onSend });
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

}

/** `{ [key]: value }` when value is set, else nothing: the SDK leaves out unset fields, "" included. */
function ifSet(key: string, value: string | number | undefined): Record<string, string | number> {
  return value === undefined || value === '' ? {} : { [key]: value };
}

/**
 * Reads every page, one after another. Offsets shift when items vanish between calls,
 * so items are de-duplicated by id, and an empty page ends the walk.
 */
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
