// A local EHPC API server for development and tests: real HTTP, real signature checks,
// deterministic data, a request log, and test hooks (fault injection, latency).
import { setMaxListeners } from 'events';
import http from 'http';
import type { AddressInfo } from 'net';
import { setTimeout as sleep } from 'timers/promises';
import { findRoute, type ApiContext, type ApiRequest } from './api';
import { authenticate, type ReceivedRequest } from './auth';
import { clusterIdsOf, usageAt } from './clusterPower';
import type { SimQueue, SimUser } from './accounts';
import { DEFAULT_SEED, formatWireTime, generateDataset, type DataOptions, type SimCluster, type SimClusterItem, type SimJob } from './data';
import { ApiError, RetCode } from './errors';
import { errorAnswer, Faults, type FaultPlan, type FaultRule } from './faults';
import { JobFiles, type SimFile } from './files';
import { Lifecycle, type LifecycleOptions } from './lifecycle';
import { LOGIN_NODE_ADDRESS, type SimNode } from './nodes';
import { HostKeys } from './hostKeys';
import { LoginNode, type AuthAttempt } from './loginNodes';
import { JobOutput, type JobOutputOptions } from './output';
import type { TerminalSize } from './shell';
import { SharedStorage } from './storage';
import { Operations } from './operations';
import { nodeListOf } from './queueLoad';
import { CallQuota } from './quota';
import { IdMaker, Rng } from './random';
import { Store } from './store';
import { decodeUtf8, decodeWire, paramsByName, parseTarget } from './wire';

export type { FaultRule } from './faults';
export type { DataOptions, JobsPerCluster, SimClusterItem, SimJob } from './data';
export type { OperationItem, OperationStatus } from './operations';
export type { SimQueue, SimQueueSpec, SimUser } from './accounts';
export type { FileType, SimFile } from './files';
export type { NodeRole, SimNode } from './nodes';
export { DEFAULT_STEP_MS, type JobOutputOptions } from './output';
export type { AuthAttempt, AuthMethod } from './loginNodes';
export type { TerminalSize } from './shell';
export { DEFAULT_RUN_MS, DEFAULT_START_AFTER_MS, exitStatusIn, type LifecycleOptions } from './lifecycle';

export const DEMO_ACCESS_KEY_ID = 'EHPCDEMOACCESSKEYID';
export const DEMO_SECRET_ACCESS_KEY = 'ehpc-demo-secret-access-key';
/** The SSH password of every user of every simulated cluster, unless told otherwise. */
export const DEMO_SSH_PASSWORD = 'ehpc-demo-ssh-password';
/** How long a stopJobs operation takes by default: a scheduler needs a moment or two. */
export const DEFAULT_STOP_DELAY_MS = 2500;
/** How long starting or stopping a cluster takes by default: machines boot and shut down. */
export const DEFAULT_CLUSTER_POWER_MS = 15_000;

export interface SimulatorOptions extends DataOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Default 60, as the real server. */
  clockSkewToleranceSeconds?: number;
  /**
   * How long after stopJobs answers its operation completes and the jobs become `cancelled`
   * (by the simulator's clock); default `DEFAULT_STOP_DELAY_MS`. 0: done before the next request.
   */
  stopDelayMs?: number;
  /**
   * How long after startCluster/stopCluster answers its operation completes and the clusters
   * are active/stopped (by the simulator's clock); default `DEFAULT_CLUSTER_POWER_MS`.
   */
  clusterPowerMs?: number;
  /**
   * Calls answered an hour (by the simulator's clock), every action counting; past it 2500
   * (quota exceeded). The service allows 2000 an hour per account. Default: no limit.
   */
  hourlyCallQuota?: number;
  /**
   * How jobs move on their own (see lifecycle.ts): a submitted job runs `startAfterMs` after
   * submitJob answers, for `runMs`; generated jobs stay as they are unless `moveGeneratedJobs`.
   */
  lifecycle?: LifecycleOptions;
  /** submitJob answers 2500 (quota exceeded) while the cluster has this many pending jobs. Default: no limit. */
  pendingJobQuota?: number;
  /**
   * The clusters' shared file system goes in this folder, a folder per cluster (emptied when the
   * simulator starts). Default: a temporary folder, removed by close().
   */
  storageDir?: string;
  /** Every cluster user's SSH password on the login nodes; default `DEMO_SSH_PASSWORD`. */
  sshPassword?: string;
  /**
   * A file to keep the login nodes' host keys in, so the next simulator with this file presents
   * the same keys. Default: fresh keys, kept nowhere.
   */
  hostKeyFile?: string;
  /** How jobs write their output (see output.ts): e.g. big files, or bytes that are not UTF-8. */
  jobOutput?: JobOutputOptions;
  /** The server's clock: timestamp checks, the `Date` header, times it writes. */
  now?: () => Date;
  /** Called after each request is answered (the CLI logs with it). */
  onRequest?: (request: RecordedRequest) => void;
  /**
   * Called with each signature received, as computed (base64). Only for the tests' scan of
   * what a session wrote to disk: the request log leaves signatures out.
   */
  onSignature?: (signature: string) => void;
}

export interface RecordedRequest {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  /** Decoded query parameters, `signature` left out. */
  query: Record<string, string>;
  /** The body parsed, when it is a JSON object; undefined otherwise (see `rawBody`). */
  body: Record<string, unknown> | undefined;
  /** The body text exactly as received ('' for GET). */
  rawBody: string;
  /** Undefined when the answer was not JSON (an injected raw body). */
  retCode: number | undefined;
  /** With `retCode`: of the answer sent, or of the one a fault then hung, reset or cut short. */
  httpStatus: number;
  /** The fault rule that matched this request, if one did. */
  fault?: FaultRule;
  /** When it arrived, by the simulator's clock. */
  time: Date;
}

/** Where a login node answers SSH. */
export interface LoginNodeAddress {
  host: string;
  port: number;
  /** Its host key's public part, as a known_hosts line holds it: `ssh-ed25519 AAAA…`. */
  hostKey: string;
  /** `SHA256:…`, as OpenSSH shows it. */
  fingerprint: string;
}

/** The login nodes (each cluster's SSH server), by cluster id. Each throws for an unknown cluster. */
export interface LoginNodeHooks {
  readonly password: string;
  address(clusterId: string): LoginNodeAddress;
  /** A new host key for the connections from now on (those open keep theirs). */
  replaceHostKey(clusterId: string): LoginNodeAddress;
  /** `publicKey` as an authorized_keys line (`ssh-ed25519 AAAA…`). */
  authorizeKey(clusterId: string, username: string, publicKey: string): void;
  setPassword(clusterId: string, username: string, password: string): void;
  /** Closes the sockets of every open connection (of one cluster, or all), as a network would; returns how many. */
  dropConnections(clusterId?: string): number;
  /** Every authentication decided so far, oldest first (a probe without credentials is none). */
  authAttempts(clusterId: string): AuthAttempt[];
  /** The terminal sizes asked for (pty, then each window-change), oldest first. */
  terminalSizes(clusterId: string): TerminalSize[];
  /** Connections accepted so far, and open now. */
  connections(clusterId: string): { accepted: number; open: number };
}

export interface Simulator {
  /** e.g. 'http://127.0.0.1:8787', no trailing slash. */
  readonly endpoint: string;
  /** Each cluster's login node: its SSH server. */
  readonly loginNodes: LoginNodeHooks;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The zones served, in order. */
  readonly zones: readonly string[];
  /** Every request so far, oldest first. */
  readonly requests: RecordedRequest[];
  clearRequests(): void;
  /** The cluster's current jobs (copies), newest first. Throws for an unknown cluster. */
  jobs(zone: string, clusterId: string): SimJob[];
  /**
   * A job someone else submitted just now (a script, another window): it lists first, as the
   * newest, and pushes the others one place down the pages. Returns a copy.
   */
  addJob(zone: string, clusterId: string, fields?: Partial<Pick<SimJob, 'job_name' | 'job_status' | 'stdout_redirect_path' | 'stderr_redirect_path'>>): SimJob;
  /** A job that started just now and runs for `runMs` (the demo's long jobs, to cancel or watch). Returns a copy. */
  addRunningJob(zone: string, clusterId: string, jobName: string, runMs: number): SimJob;
  /** The zone's clusters with current job counts. Throws for an unknown zone. */
  clusters(zone: string): SimClusterItem[];
  /** The cluster's users (copies), as GET /api/user lists them, `admin` first. Throws for an unknown cluster. */
  users(zone: string, clusterId: string): SimUser[];
  /** The cluster's queues (copies), as getQueueList lists them, the default first. Throws for an unknown cluster. */
  queues(zone: string, clusterId: string): SimQueue[];
  /** The cluster's nodes (copies), as listNodes lists them, the login node first. Throws for an unknown cluster. */
  nodes(zone: string, clusterId: string): SimNode[];
  /** The folder of this machine that stands for the cluster's shared file system (`/` of the cluster). */
  storageFolder(clusterId: string): string;
  /** The job writes its output as `options` say, from its next line on. Throws for an unknown job. */
  setJobOutput(zone: string, clusterId: string, hpcjobUuid: string, options: JobOutputOptions): void;
  /** The files createJobFile wrote on the cluster (copies), by path. Throws for an unknown cluster. */
  files(zone: string, clusterId: string): SimFile[];
  /** Makes the next request(s) matching the rule fail as the rule says. */
  failNext(rule: FaultRule): void;
  clearFaults(): void;
  /** Delays every answer by `ms` from now on (0 to stop). */
  setLatency(ms: number): void;
  /** Stops listening and closes open (keep-alive) connections. */
  close(): Promise<void>;
}

interface Reply {
  httpStatus: number;
  contentType: string;
  body: string;
  retCode?: number;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const now = opts.now ?? (() => new Date());
  const accessKeyId = opts.accessKeyId ?? DEMO_ACCESS_KEY_ID;
  const secretAccessKey = opts.secretAccessKey ?? DEMO_SECRET_ACCESS_KEY;
  const auth = { accessKeyId, secretAccessKey, toleranceSeconds: opts.clockSkewToleranceSeconds ?? 60, now };
  const dataset = generateDataset(opts);
  const store = new Store(dataset);
  const operationIds = new Rng((opts.seed ?? DEFAULT_SEED) ^ 0x5eed);
  const addedIds = new Rng((opts.seed ?? DEFAULT_SEED) ^ 0xadd);
  const submittedIds = new IdMaker(new Rng((opts.seed ?? DEFAULT_SEED) ^ 0x50b));
  const stopDelayMs = opts.stopDelayMs ?? DEFAULT_STOP_DELAY_MS;
  if (!Number.isFinite(stopDelayMs) || stopDelayMs < 0) {
    throw new RangeError(`stopDelayMs must be a non-negative number of milliseconds, got ${stopDelayMs}`);
  }
  const clusterPowerMs = opts.clusterPowerMs ?? DEFAULT_CLUSTER_POWER_MS;
  if (!Number.isFinite(clusterPowerMs) || clusterPowerMs < 0) {
    throw new RangeError(`clusterPowerMs must be a non-negative number of milliseconds, got ${clusterPowerMs}`);
  }
  const quota = new CallQuota(opts.hourlyCallQuota);
  // What the clusters use is counted from when the simulator starts.
  for (const cluster of store.allClusters()) {
    cluster.usage.sinceMs = now().getTime();
  }
  if (opts.pendingJobQuota !== undefined && !(Number.isInteger(opts.pendingJobQuota) && opts.pendingJobQuota >= 0)) {
    throw new RangeError(`pendingJobQuota must be a non-negative integer, got ${opts.pendingJobQuota}`);
  }
  const lifecycle = new Lifecycle(opts.lifecycle);
  if (lifecycle.moveGeneratedJobs) {
    for (const cluster of store.allClusters()) {
      lifecycle.generated(cluster, now().getTime());
    }
  }
  const storage = SharedStorage.open(opts.storageDir);
  const output = new JobOutput(storage, opts.jobOutput);
  lifecycle.onProgress = (job, startMs, endMs, atMs) => output.progress(job, startMs, endMs, atMs);
  lifecycle.onStart = (job) => placeJob(job);
  for (const cluster of store.allClusters()) {
    storage.add(cluster);
  }
  // The jobs that do not move have written what they will by the time anyone looks.
  storage.onPrepare = (clusterId) => {
    for (const job of store.allClusters().find((c) => c.info.cluster_id === clusterId)?.jobs ?? []) {
      if (!lifecycle.isPlanned(job)) {
        output.staticOutput(job);
      }
    }
  };
  const ctx: ApiContext = {
    store,
    now,
    // As long as the docs' examples (`j-8ajjp28fps8`).
    operationId: () => `j-${operationIds.alnum(11)}`,
    operations: new Operations(),
    stopDelayMs,
    clusterPowerMs,
    // A cluster switched off drops its login node's connections (set once the nodes listen).
    onPowered: (cluster, on) => {
      if (!on) {
        loginNodes.get(cluster.info.cluster_id)?.dropConnections();
      }
    },
    files: new JobFiles(),
    storage,
    lifecycle,
    hpcjobUuid: () => {
      // Unique among every job the simulator has, generated or submitted.
      for (;;) {
        const id = submittedIds.make('hpcjob');
        if (!store.hasJobId(id)) {
          return id;
        }
      }
    },
    pendingJobQuota: opts.pendingJobQuota,
  };
  /**
   * Brings everything to now, in time order, before anything reads or changes the jobs: jobs
   * move up to each operation's completion before it stops them (a job that ended first stays
   * ended), then up to now.
   */
  const settle = (): void => {
    const at = now();
    ctx.operations.settle(at, (due) => lifecycle.advance(due.getTime()));
    lifecycle.advance(at.getTime());
  };
  /** The cluster, settled, for a test hook; throws for an unknown one. */
  const hookCluster = (zone: string, clusterId: string): SimCluster => {
    settle();
    const cluster = store.cluster(zone, clusterId);
    if (!cluster) {
      throw new Error(`simulator has no cluster ${clusterId} in zone ${zone}`);
    }
    return cluster;
  };
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  // Every answer that waits out its latency listens for close: many at once is no leak.
  setMaxListeners(0, closing.signal);
  let latencyMs = 0;
  let closed: Promise<void> | undefined;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const time = now();
    const rawBody = await readBody(req);
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';

    let path = target.split('?')[0];
    let query: Record<string, string> = {};
    let body = '';
    let fault: FaultPlan | undefined;
    let reply: Reply;
    try {
      const parsed = parseTarget(target);
      path = parsed.path;
      query = paramsByName(parsed.params);
      if (query.signature) {
        opts.onSignature?.(decodeWire(query.signature, false));
      }
      body = decodeUtf8(rawBody);
      const parsedBody = parseJsonObject(body);
      const clusterIdInBody = parsedBody?.cluster_id;
      fault = faults.take({
        path,
        clusterId: query.cluster_id ?? (typeof clusterIdInBody === 'string' ? clusterIdInBody : undefined),
        clusterIds: clusterIdsOf(parsedBody),
      });
      reply = answer({ method, target, body: rawBody }, { method, path, query, body }, fault);
    } catch (err) {
      reply = errorReply(err);
    }

    const delayMs = latencyMs + (fault?.latencyMs ?? 0);
    if (delayMs > 0) {
      await sleep(delayMs, undefined, { signal: closing.signal }).catch(() => undefined);
    }
    if (closing.signal.aborted) {
      res.destroy();
      return;
    }
    const { signature: _signature, ...unsignedQuery } = query;
    const recorded: RecordedRequest = {
      method,
      path,
      query: unsignedQuery,
      body: parseJsonObject(body),
      rawBody: body,
      retCode: reply.retCode,
      httpStatus: reply.httpStatus,
      time,
      ...(fault ? { fault: fault.rule } : {}),
    };
    // Recorded before the answer leaves, so a client that got it always finds it here.
    requests.push(recorded);
    opts.onRequest?.(recorded);

    const bytes = Buffer.from(reply.body);
    const head = {
      'Content-Type': reply.contentType,
      'Content-Length': bytes.length,
      // Always sent, and from the simulator's clock, so a client can measure its skew.
      Date: now().toUTCString(),
    };
    switch (fault?.delivery ?? 'full') {
      case 'hang':
        // Until the client gives up or the simulator closes; then the socket goes.
        await new Promise<void>((resolve) => {
          closing.signal.addEventListener('abort', () => resolve(), { once: true });
          res.once('close', resolve);
          if (req.socket.destroyed) {
            resolve();
          }
        });
        res.destroy();
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'truncate':
        res.writeHead(reply.httpStatus, head);
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
        return;
      default:
        res.writeHead(reply.httpStatus, head);
        res.end(bytes);
    }
  }

  /** The answer to send: a fault's, or the operation's (run when the fault lets it). */
  function answer(received: ReceivedRequest, request: ApiRequest, fault?: FaultPlan): Reply {
    if (!fault) {
      return operate(received, request);
    }
    // A read changes nothing, so it also runs when its real answer is only to be cut short.
    const run = fault.carryOut || (request.method === 'GET' && fault.answer === undefined);
    const real = run
      ? operate(received, { ...request, actOnFirst: fault.partial, failOperation: fault.failOperation, failCluster: fault.rule.clusterId })
      : undefined;
    return fault.answer ?? real ?? errorAnswer(fault.rule);
  }

  function operate(received: ReceivedRequest, request: ApiRequest): Reply {
    try {
      const route = findRoute(request.method, request.path);
      if (!route) {
        throw new ApiError(RetCode.BadParameter, `no such action: ${request.method} ${request.path}`, 404);
      }
      authenticate(received, auth);
      quota.take(now().getTime());
      settle();
      return jsonReply(200, route(request, ctx));
    } catch (err) {
      return errorReply(err);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  /** A job that starts now runs on nodes of its queue. */
  function placeJob(job: SimJob): void {
    const cluster = store.allClusters().find((c) => c.info.cluster_id === job.cluster_id);
    if (cluster) {
      job.job_node_list = nodeListOf(cluster, job);
    }
  }
  const hostKeys = new HostKeys(opts.hostKeyFile);
  const sshPassword = opts.sshPassword ?? DEMO_SSH_PASSWORD;
  const loginNodes = new Map<string, LoginNode>();
  try {
    for (const cluster of store.allClusters()) {
      const poweredOn = () => cluster.info.cluster_status === 'active';
      const node = new LoginNode(cluster.info.cluster_id, () => cluster.users, { storage, hostKeys, password: sshPassword, settle, poweredOn });
      loginNodes.set(cluster.info.cluster_id, node);
      await node.listen();
    }
  } catch (err) {
    await Promise.all([...loginNodes.values()].map((node) => node.close()));
    server.close();
    storage.close();
    throw err;
  }
  const loginNode = (clusterId: string): LoginNode => {
    const node = loginNodes.get(clusterId);
    if (!node) {
      throw new Error(`simulator has no cluster ${clusterId}`);
    }
    return node;
  };
  const addressOf = (node: LoginNode): LoginNodeAddress => ({
    host: LOGIN_NODE_ADDRESS, port: node.port, hostKey: node.hostKey.publicKey, fingerprint: node.hostKey.fingerprint,
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  /** A job someone else submitted at `nowMs`, listed first, as the newest (the live object). */
  function addedJob(cluster: SimCluster, nowMs: number, fields: Partial<SimJob>): SimJob {
    const time = formatWireTime(nowMs);
    // A submitted template's own limits are not the new job's.
    const { mem_limit: _memLimit, time_limit: _timeLimit, job_node_list: _nodes, ...template } = cluster.jobs.at(0) ?? firstJobTemplate(cluster);
    const jobId = store.takeJobId(cluster);
    const job: SimJob = {
      ...template,
      hpcjob_uuid: `hpcjob-${addedIds.alnum(8)}`,
      job_id: jobId,
      // Files of its own: the template's would be written by both.
      stdout_redirect_path: `${template.exec_cwd}/job-${jobId}.out`,
      stderr_redirect_path: `${template.exec_cwd}/job-${jobId}.err`,
      job_name: 'submitted elsewhere',
      job_status: 'pending',
      submitted_time: time,
      started_time: undefined,
      modified_time: time,
      end_time: null,
      ...fields,
    };
    if (job.job_status === 'running') {
      placeJob(job);
    }
    cluster.jobs.unshift(job);
    return job;
  }

  return {
    endpoint: `http://${host}:${address.port}`,
    loginNodes: {
      password: sshPassword,
      address: (clusterId) => addressOf(loginNode(clusterId)),
      replaceHostKey: (clusterId) => {
        loginNode(clusterId).replaceHostKey();
        return addressOf(loginNode(clusterId));
      },
      authorizeKey: (clusterId, username, publicKey) => loginNode(clusterId).authorizeKey(username, publicKey),
      setPassword: (clusterId, username, password) => loginNode(clusterId).setPassword(username, password),
      dropConnections: (clusterId) =>
        (clusterId === undefined ? [...loginNodes.values()] : [loginNode(clusterId)]).reduce((n, node) => n + node.dropConnections(), 0),
      authAttempts: (clusterId) => loginNode(clusterId).attempts.map((a) => ({ ...a })),
      terminalSizes: (clusterId) => loginNode(clusterId).terminalSizes.map((t) => ({ ...t })),
      connections: (clusterId) => ({ accepted: loginNode(clusterId).connectionCount, open: loginNode(clusterId).openConnections() }),
    },
    accessKeyId,
    secretAccessKey,
    zones: [...dataset.zones],
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    jobs: (zone, clusterId) => hookCluster(zone, clusterId).jobs.map((job) => ({ ...job })),
    addJob: (zone, clusterId, fields = {}) => {
      const nowMs = now().getTime();
      const job = addedJob(hookCluster(zone, clusterId), nowMs, fields);
      if (lifecycle.moveGeneratedJobs) {
        lifecycle.submitted(job, nowMs, () => undefined);
      }
      return { ...job };
    },
    addRunningJob: (zone, clusterId, jobName, runMs) => {
      const nowMs = now().getTime();
      const job = addedJob(hookCluster(zone, clusterId), nowMs, { job_name: jobName, job_status: 'running', started_time: formatWireTime(nowMs) });
      lifecycle.runningFor(job, nowMs, runMs);
      return { ...job };
    },
    clusters: (zone) => {
      if (!store.hasZone(zone)) {
        throw new Error(`simulator has no zone ${zone}`);
      }
      settle();
      return store.clusterItems(zone, {}, (cluster) => usageAt(cluster, now().getTime()));
    },
    users: (zone, clusterId) => hookCluster(zone, clusterId).users.map((user) => ({ ...user })),
    queues: (zone, clusterId) => hookCluster(zone, clusterId).queues.map((queue) => structuredClone(queue)),
    nodes: (zone, clusterId) => hookCluster(zone, clusterId).nodes.map((node) => ({ ...node })),
    storageFolder: (clusterId) => {
      settle();
      return storage.clusterDir(clusterId);
    },
    setJobOutput: (zone, clusterId, hpcjobUuid, options) => {
      const job = store.job(hookCluster(zone, clusterId), hpcjobUuid);
      if (!job) {
        throw new Error(`simulator has no job ${hpcjobUuid} in cluster ${clusterId}`);
      }
      output.setOptions(job, options);
    },
    files: (zone, clusterId) => ctx.files.list(hookCluster(zone, clusterId)),
    failNext: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () => {
      // Idempotent: a test's own close() and its after-hook may both call it.
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      })
        .then(() => Promise.all([...loginNodes.values()].map((node) => node.close())))
        .then(() => storage.close());
      return closed;
    },
  };
}

/** What a job added to a cluster without jobs looks like, before its own fields. */
function firstJobTemplate(cluster: SimCluster): SimJob {
  const cwd = '/public/home/admin';
  return {
    hpcjob_uuid: '', cluster_id: cluster.info.cluster_id, job_id: 0, job_name: '', job_status: 'pending',
    queue_name: cluster.queues[0]?.partition_name ?? 'normal', run_user: 'admin', cmd_line: 'sleep 100', core_limit: 1,
    submitted_time: '', modified_time: '', exec_cwd: cwd,
    stdout_redirect_path: `${cwd}/job.out`, stderr_redirect_path: `${cwd}/job.err`,
    end_time: null, run_time: '0', output_dir: cwd, reason: '', pend_reason: '',
  };
}

function jsonReply(httpStatus: number, payload: object): Reply {
  const retCode = (payload as { ret_code?: unknown }).ret_code;
  return {
    httpStatus,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(payload),
    retCode: typeof retCode === 'number' ? retCode : undefined,
  };
}

function errorReply(err: unknown): Reply {
  if (err instanceof ApiError) {
    return jsonReply(err.httpStatus, { ret_code: err.retCode, message: err.message });
  }
  return jsonReply(500, { ret_code: RetCode.Internal, message: `simulator error: ${String(err)}` });
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
