import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { EhpcClient } from '../../src/ehpc/client';
import { RequestRecord } from '../../src/ehpc/transport';
import { EhpcError } from '../../src/ehpc/errors';
import { Simulator, startSimulator } from '../../simulator/server';
import { rawServer, rejects } from './support/clientTesting';

describe('EhpcClient against the simulator', () => {
  let simulator: Simulator;
  let client: EhpcClient;
  const records: RequestRecord[] = [];

  before(async () => {
    simulator = await startSimulator({ zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: [250, 3], stopDelayMs: 0 });
    client = new EhpcClient({
      endpoint: simulator.endpoint,
      credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey },
      onRequest: (record) => records.push(record),
      retry: { attempts: 1 }, // each error below is seen as it is; retries have tests of their own
      quotaPauseMs: 0,
    });
  });

  after(() => simulator.close());

  beforeEach(() => {
    simulator.clearRequests();
    records.length = 0;
  });

  it('lists clusters', async () => {
    const page = await client.listClusters('jn1a');
    assert.equal(page.totalCount, 2);
    assert.deepEqual(page.items.map((c) => c.clusterId), simulator.clusters('jn1a').map((c) => c.cluster_id));
    assert.equal(page.items[0].zone, 'jn1a');
  });

  it('pages through a long job list, 100 at a time', async () => {
    const [big] = simulator.clusters('jn1a');
    const jobs = await client.listAllJobs('jn1a', big.cluster_id);
    assert.equal(jobs.length, 250);
    assert.equal(new Set(jobs.map((j) => j.hpcjobUuid)).size, 250);
    assert.deepEqual(simulator.requests.map((r) => r.query.offset), ['0', '100', '200']);
    assert.ok(simulator.requests.every((r) => r.query.limit === '100'));
  });

  it('deletes the named jobs of one cluster with one POST', async () => {
    const [, small] = simulator.clusters('jn1a');
    const ids = simulator.jobs('jn1a', small.cluster_id).slice(0, 2).map((j) => j.hpcjob_uuid);
    await client.deleteJobs('jn1a', small.cluster_id, ids);
    assert.equal(simulator.requests.length, 1);
    assert.deepEqual(simulator.requests[0].body, { cluster_id: small.cluster_id, job_ids: ids, zone: 'jn1a' });
    const left = simulator.jobs('jn1a', small.cluster_id).map((j) => j.hpcjob_uuid);
    assert.ok(ids.every((id) => !left.includes(id)));
  });

  it('cancels the named jobs of one cluster with one POST to stopJobs', async () => {
    const [big] = simulator.clusters('jn1a');
    const target = simulator.jobs('jn1a', big.cluster_id).find((j) => j.job_status === 'running' || j.job_status === 'pending');
    assert.ok(target, 'the seeded data has a pending or running job');
    await client.stopJobs('jn1a', big.cluster_id, [target.hpcjob_uuid]);
    assert.deepEqual(simulator.requests.map((r) => [r.method, r.path, r.body?.job_ids]), [['POST', '/api/job/stopJobs', [target.hpcjob_uuid]]]);
    assert.equal(simulator.jobs('jn1a', big.cluster_id).find((j) => j.hpcjob_uuid === target.hpcjob_uuid)?.job_status, 'cancelled');
  });

  it('reads one job\'s detail, and refuses an answer about another job', async () => {
    const [big] = simulator.clusters('jn1a');
    const [job] = simulator.jobs('jn1a', big.cluster_id);
    const detail = await client.jobDetail('jn1a', big.cluster_id, job.hpcjob_uuid);
    assert.equal(detail.hpcjob_uuid, job.hpcjob_uuid);
    assert.ok('end_time' in detail, 'detail-only fields are kept');
    simulator.failNext({ path: '/api/job/jobdetail', retCode: 0, rawBody: JSON.stringify({ ret_code: 0, hpc_job_set: [{ hpcjob_uuid: 'hpcjob-other' }] }) });
    await rejects(client.jobDetail('jn1a', big.cluster_id, job.hpcjob_uuid), 'badResponse');
  });

  it('signs a search word with a space, "/" and Chinese so that the server accepts it', async () => {
    const [big] = simulator.clusters('jn1a');
    await client.listJobs('jn1a', big.cluster_id, 0, { searchWord: '分子 p/q+~' });
    assert.equal(simulator.requests[0].retCode, 0);
    assert.equal(simulator.requests[0].query.search_word, '分子 p/q+~');
  });

  it('reports a wrong secret as an authentication failure', async () => {
    const wrong = new EhpcClient({ endpoint: simulator.endpoint, credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: 'S3CR3T-not-valid' } });
    const error = await rejects(wrong.listClusters('jn1a'), 'auth', 1200);
    assert.match(error.message, /Sign in again/);
    assert.ok(!error.message.includes('S3CR3T'), 'the message echoes the secret');
  });

  it('reports a clock five minutes off as clock skew, and by how much', async () => {
    const skewed = new EhpcClient({
      endpoint: simulator.endpoint,
      credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey },
      now: () => new Date(Date.now() + 5 * 60_000),
    });
    const error = await rejects(skewed.listClusters('jn1a'), 'clock', 1300);
    assert.match(error.message, /5 minutes ahead/);
  });

  it('reports an unknown cluster as not found', async () => {
    await rejects(client.listJobs('jn1a', 'ehpc-nonesuch'), 'notFound', 2100);
  });

  const retCodes: [number, EhpcError['kind'], RegExp][] = [
    [1100, 'badRequest', /rejected a parameter/],
    [1200, 'auth', /Sign in again/],
    [1300, 'clock', /clock/],
    [1400, 'denied', /Access denied/],
    [2100, 'notFound', /no longer exists/],
    [2500, 'quota', /quota/],
    [5000, 'server', /error 5000/],
    [5100, 'busy', /busy/],
    [5300, 'busy', /being updated/],
  ];
  for (const [retCode, kind, message] of retCodes) {
    it(`maps ret_code ${retCode} to a ${kind} error that says what happened`, async () => {
      simulator.failNext({ path: '/api/cluster/list', retCode, message: 'from the server' });
      const error = await rejects(client.listClusters('jn1a'), kind, retCode);
      assert.match(error.message, message);
    });
  }

  it('logs each request without its query', async () => {
    await client.listClusters('jn1a');
    assert.equal(records.length, 1);
    assert.deepEqual({ ...records[0], durationMs: 0 }, { method: 'GET', path: '/api/cluster/list', zone: 'jn1a', retCode: 0, httpStatus: 200, durationMs: 0 });
    assert.ok(!JSON.stringify(records).includes(simulator.accessKeyId));
  });
});

describe('EhpcClient against a misbehaving server', () => {
  const credentials = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };

  async function against(handler: http.RequestListener, run: (client: EhpcClient) => Promise<void>, timeoutMs = 2000): Promise<void> {
    const server = await rawServer(handler);
    try {
      await run(new EhpcClient({ endpoint: server.endpoint, credentials, timeoutMs, retry: { attempts: 1 } }));
    } finally {
      await server.close();
    }
  }

  it('turns a 502 HTML page into a short "unavailable" error without the page', () =>
    against(
      (_req, res) => res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body>Bad Gateway nginx</body></html>'),
      async (client) => {
        const error = await rejects(client.listClusters('jn1a'), 'busy');
        assert.equal(error.httpStatus, 502);
        assert.ok(!error.message.includes('<html>'));
      },
    ));

  it('turns malformed JSON into a badResponse error', () =>
    against(
      (_req, res) => res.end('{"ret_code": 0, "cluster_set": ['),
      (client) => rejects(client.listClusters('jn1a'), 'badResponse').then(() => undefined),
    ));

  it('turns JSON of the wrong shape into a badResponse error', () =>
    against(
      (_req, res) => res.end(JSON.stringify({ ret_code: 0, cluster_set: 'nope', total_count: 1 })),
      (client) => rejects(client.listClusters('jn1a'), 'badResponse').then(() => undefined),
    ));

  it('refuses an answer whose ret_code is not a number', () =>
    against(
      (_req, res) => res.end(JSON.stringify({ ret_code: '0', cluster_set: [], total_count: 0 })),
      (client) => rejects(client.listClusters('jn1a'), 'badResponse').then(() => undefined),
    ));

  it('gives up after the timeout and says so', () =>
    against(
      () => undefined, // never answers
      async (client) => {
        const error = await rejects(client.listClusters('jn1a'), 'timeout');
        assert.match(error.message, /did not answer/);
      },
      200,
    ));

  it('maps busy and quota ret_codes to errors a user can act on', () =>
    against(
      (req, res) => res.end(JSON.stringify({ ret_code: req.url?.startsWith('/api/cluster/') ? 5100 : 2500, message: 'x' })),
      async (client) => {
        await rejects(client.listClusters('jn1a'), 'busy', 5100);
        const quota = await rejects(client.listJobs('jn1a', 'ehpc-x'), 'quota', 2500);
        assert.match(quota.message, /quota/i);
      },
    ));

  it('reports a refused connection without the URL (it carries the signature)', async () => {
    const server = await rawServer(() => undefined);
    await server.close();
    const client = new EhpcClient({ endpoint: server.endpoint, credentials, retry: { attempts: 1 } });
    const error = await rejects(client.listClusters('jn1a'), 'network');
    assert.ok(!error.message.includes('signature'), error.message);
    assert.ok(!error.message.includes('AKID'), error.message);
  });

  it('refuses a server whose TLS certificate is not trusted, and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) =>
        res.end(JSON.stringify({ ret_code: 0, cluster_set: [], total_count: 0 })),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const client = new EhpcClient({ endpoint: `https://localhost:${port}`, credentials, retry: { attempts: 1 } });
        const error = await rejects(client.listClusters('jn1a'), 'tls');
        assert.match(error.message, /not trusted/);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a plain-http endpoint that is not this machine', () => {
    assert.throws(
      () => new EhpcClient({ endpoint: 'http://hpc.example.com', credentials }),
      (error: unknown) => error instanceof EhpcError && error.kind === 'config' && /https/.test(error.message),
    );
  });
});

describe('EhpcClient retries', () => {
  let simulator: Simulator;
  const delays: number[] = [];
  const clientFor = (attempts = 3) =>
    new EhpcClient({
      endpoint: simulator.endpoint,
      credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey },
      retry: { attempts, baseDelayMs: 100 },
      timeoutMs: 300,
      sleep: async (ms) => void delays.push(ms),
    });

  before(async () => {
    simulator = await startSimulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 3, stopDelayMs: 0 });
  });
  after(() => simulator.close());
  beforeEach(() => {
    simulator.clearFaults();
    simulator.clearRequests();
    delays.length = 0;
  });

  it('sends a read again after a busy answer, backing off exponentially with jitter', async () => {
    simulator.failNext({ path: '/api/cluster/list', retCode: 5100, times: 2 });
    const page = await clientFor().listClusters('jn1a');
    assert.equal(page.items.length, 1);
    assert.equal(simulator.requests.length, 3);
    assert.equal(delays.length, 2);
    assert.ok(delays[0] >= 50 && delays[0] <= 100, `first delay ${delays[0]}`);
    assert.ok(delays[1] >= 100 && delays[1] <= 200, `second delay ${delays[1]}`);
  });

  it('gives up after the set number of attempts with the last error', async () => {
    simulator.failNext({ path: '/api/cluster/list', retCode: 5000, times: Infinity });
    await rejects(clientFor(3).listClusters('jn1a'), 'server', 5000);
    assert.equal(simulator.requests.length, 3);
  });

  it('does not retry what another try cannot fix: a wrong key, a bad parameter', async () => {
    simulator.failNext({ path: '/api/cluster/list', retCode: 1200 });
    await rejects(clientFor().listClusters('jn1a'), 'auth', 1200);
    simulator.failNext({ path: '/api/cluster/list', retCode: 1100 });
    await rejects(clientFor().listClusters('jn1a'), 'badRequest', 1100);
    assert.equal(simulator.requests.length, 2);
  });

  it('never sends a write twice, whatever the failure', async () => {
    const [cluster] = simulator.clusters('jn1a');
    const [job] = simulator.jobs('jn1a', cluster.cluster_id);
    simulator.failNext({ path: '/api/job/deleteJobs', retCode: 5100 });
    await rejects(clientFor().deleteJobs('jn1a', cluster.cluster_id, [job.hpcjob_uuid]), 'busy', 5100);
    assert.equal(simulator.requests.length, 1);
  });

  it('pauses every request for a while after a quota error, and says so', async () => {
    const client = clientFor();
    simulator.failNext({ path: '/api/cluster/list', retCode: 2500 });
    await rejects(client.listClusters('jn1a'), 'quota', 2500);
    const paused = await rejects(client.listClusters('jn1a'), 'quota');
    assert.match(paused.message, /paused; try again in \d+ seconds/);
    assert.equal(simulator.requests.length, 1, 'a request went out during the pause');
  });
});

describe('EhpcClient keeps the API\'s rules before sending', () => {
  const credentials = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };
  let server: Awaited<ReturnType<typeof rawServer>>;
  let received: string[];
  let client: EhpcClient;

  before(async () => {
    server = await rawServer((req, res) => {
      received.push(`${req.method} ${req.url?.split('?')[0]}`);
      res.end(JSON.stringify({ ret_code: 0, cluster_set: [], hpc_job_set: [], total_count: 0 }));
    });
  });
  after(() => server.close());
  beforeEach(() => {
    received = [];
    client = new EhpcClient({ endpoint: server.endpoint, credentials, retry: { attempts: 1 } });
  });

  const ids = (count: number) => Array.from({ length: count }, (_, i) => `hpcjob-j${i}`);

  it('refuses job_ids that are empty, too many, repeated or not hpcjob ids, for deleteJobs and stopJobs alike', async () => {
    const cases: [string[], RegExp][] = [
      [[], /no job ids/],
      [ids(101), /101 job ids, but one request takes at most 100/],
      [['hpcjob-a1', 'hpcjob-b2', 'hpcjob-a1'], /"hpcjob-a1" is given more than once/],
      [['..'], /"\.\." is not a job id/],
      [['hpcjob-a1', 'hpcjob-A1'], /"hpcjob-A1" is not a job id/],
      [['42'], /"42" is not a job id/],
    ];
    for (const [jobIds, message] of cases) {
      for (const send of [client.deleteJobs.bind(client), client.stopJobs.bind(client)]) {
        const error = await rejects(send('jn1a', 'ehpc-abc1', jobIds), 'badRequest');
        assert.match(error.message, message);
        assert.match(error.message, /^Not sent/);
      }
    }
    assert.deepEqual(received, [], 'something was sent');
    await client.deleteJobs('jn1a', 'ehpc-abc1', ids(100));
    assert.deepEqual(received, ['POST /api/job/deleteJobs'], '100 distinct ids are one request');
  });

  it('never turns a job id such as ".." into another path, for the detail and the look-up', async () => {
    for (const id of ['..', '../list', 'hpcjob-a1/..', '', 'hpcjob-']) {
      await rejects(client.jobDetail('jn1a', 'ehpc-abc1', id), 'badRequest');
      await rejects(client.findJob('jn1a', 'ehpc-abc1', id), 'badRequest');
    }
    assert.deepEqual(received, []);
  });

  it('refuses cluster ids and zones of the wrong form wherever they go into a request', async () => {
    const badCluster = ['cl-abc', '..', 'ehpc-abc&zone=x', 'EHPC-ABC'];
    for (const clusterId of badCluster) {
      await rejects(client.listJobs('jn1a', clusterId), 'badRequest');
      await rejects(client.listAllJobs('jn1a', clusterId), 'badRequest');
      await rejects(client.jobDetail('jn1a', clusterId, 'hpcjob-a1'), 'badRequest');
      const error = await rejects(client.deleteJobs('jn1a', clusterId, ['hpcjob-a1']), 'badRequest');
      assert.match(error.message, /is not a cluster id/);
    }
    for (const zone of ['JN1A', 'jn1a&x=1', '', '../jn1a']) {
      const error = await rejects(client.listClusters(zone), 'badRequest');
      assert.match(error.message, /is not a zone id/);
      await rejects(client.listJobs(zone, 'ehpc-abc1'), 'badRequest');
      await rejects(client.stopJobs(zone, 'ehpc-abc1', ['hpcjob-a1']), 'badRequest');
      await rejects(client.operationStatus(zone, 'j-abc1'), 'badRequest');
    }
    await rejects(client.operationStatus('jn1a', 'hpcjob-abc1'), 'badRequest');
    assert.deepEqual(received, []);
    await client.listJobs('jn1a', 'hpc-abc1');
    await client.listClusters('ap2-a');
    assert.equal(received.length, 2, 'well-formed ids are sent');
  });

  it('keeps a long bad id short in its message', async () => {
    const error = await rejects(client.findJob('jn1a', 'ehpc-abc1', `hpcjob-${'x'.repeat(500)}!`), 'badRequest');
    assert.ok(error.message.length < 160, error.message);
  });
});

describe('EhpcClient cancelling', () => {
  const credentials = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };
  let server: Awaited<ReturnType<typeof rawServer>>;
  let received: string[];
  /** How the fake server answers: busy (to make reads retry), never, or a slow success. */
  let mode: 'busy' | 'hang' | 'slow';

  before(async () => {
    server = await rawServer((req, res) => {
      received.push(`${req.method} ${req.url?.split('?')[0]}`);
      if (mode === 'busy') {
        res.end(JSON.stringify({ ret_code: 5100, message: 'busy' }));
      } else if (mode === 'slow') {
        setTimeout(() => res.end(JSON.stringify({ ret_code: 0, cluster_set: [], total_count: 0 })), 150);
      } // 'hang': never answers
    });
  });
  after(() => server.close());
  beforeEach(() => {
    received = [];
  });

  /** A client whose back-off sleeps never end by themselves: only a cancel ends them. */
  function sleepingClient(): { client: EhpcClient; sleeps: number[]; sleeping: Promise<void> } {
    const sleeps: number[] = [];
    let started!: () => void;
    const sleeping = new Promise<void>((resolve) => (started = resolve));
    const client = new EhpcClient({
      endpoint: server.endpoint,
      credentials,
      retry: { attempts: 5, baseDelayMs: 60_000 },
      sleep: (ms) => {
        sleeps.push(ms);
        started();
        return new Promise(() => undefined);
      },
    });
    return { client, sleeps, sleeping };
  }

  it('dispose() ends a read that waits to retry, at once, with a cancelled error, and sends nothing more', async () => {
    mode = 'busy';
    const { client, sleeps, sleeping } = sleepingClient();
    const read = client.listClusters('jn1a');
    await sleeping;
    client.dispose();
    const error = await rejects(read, 'cancelled');
    assert.match(error.message, /cancelled/);
    assert.equal(sleeps.length, 1);
    await rejects(client.listClusters('jn1a'), 'cancelled');
    await rejects(client.deleteJobs('jn1a', 'ehpc-abc1', ['hpcjob-a1']), 'cancelled');
    assert.deepEqual(received, ['GET /api/cluster/list'], 'a request went out after dispose()');
  });

  it('a call\'s own signal ends that call alone, while it waits to retry', async () => {
    mode = 'busy';
    const { client, sleeping } = sleepingClient();
    const controller = new AbortController();
    const read = client.listJobs('jn1a', 'ehpc-abc1', 0, {}, { signal: controller.signal });
    await sleeping;
    controller.abort();
    await rejects(read, 'cancelled');
    mode = 'slow';
    const page = await client.listClusters('jn1a');
    assert.equal(page.totalCount, 0, 'the client still works');
    await rejects(client.listClusters('jn1a', 0, { signal: controller.signal }), 'cancelled');
    assert.equal(received.length, 2, 'an aborted signal still sent a request');
  });

  it('dispose() aborts a read under way instead of waiting for its timeout', async () => {
    mode = 'hang';
    const client = new EhpcClient({ endpoint: server.endpoint, credentials, timeoutMs: 30_000, retry: { attempts: 1 } });
    const read = client.listClusters('jn1a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    client.dispose();
    await rejects(read, 'cancelled');
    assert.ok(Date.now() - started < 1000);
  });

  it('leaves a write already on the wire to finish, so that its outcome is known', async () => {
    mode = 'slow';
    const client = new EhpcClient({ endpoint: server.endpoint, credentials, retry: { attempts: 1 } });
    const write = client.deleteJobs('jn1a', 'ehpc-abc1', ['hpcjob-a1']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.dispose();
    await write;
    assert.deepEqual(received, ['POST /api/job/deleteJobs']);
  });
});

describe('EhpcClient and the asynchronous stopJobs', () => {
  const credentials = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };
  let server: Awaited<ReturnType<typeof rawServer>>;
  let answer: unknown;
  let urls: URL[];
  let client: EhpcClient;

  before(async () => {
    server = await rawServer((req, res) => {
      urls.push(new URL(req.url ?? '/', 'http://localhost'));
      res.end(JSON.stringify(answer));
    });
  });
  after(() => server.close());
  beforeEach(() => {
    urls = [];
    client = new EhpcClient({ endpoint: server.endpoint, credentials, retry: { attempts: 1 } });
  });

  it('stopJobs answers the operation id, or undefined when the answer names none', async () => {
    answer = { action: 'HpcJobStopJobsResponse', ret_code: 0, job_uuid: 'j-k2x9p0aa' };
    assert.equal(await client.stopJobs('jn1a', 'ehpc-abc1', ['hpcjob-a1']), 'j-k2x9p0aa');
    for (const jobUuid of [undefined, 42, '', 'j-../x']) {
      answer = { ret_code: 0, job_uuid: jobUuid };
      assert.equal(await client.stopJobs('jn1a', 'ehpc-abc1', ['hpcjob-a1']), undefined, String(jobUuid));
    }
  });

  it('operationStatus reads GET /api/operation with the zone and the operation id', async () => {
    answer = { ret_code: 0, job_set: [{ job_id: 'j-k2x9p0aa', status: 'successful', job_action: 'StopJobs' }], total_count: 1 };
    assert.equal(await client.operationStatus('jn1a', 'j-k2x9p0aa'), 'successful');
    assert.equal(urls[0].pathname, '/api/operation');
    assert.equal(urls[0].searchParams.get('zone'), 'jn1a');
    assert.equal(urls[0].searchParams.get('job_ids'), 'j-k2x9p0aa');
  });

  it('operationStatus reads pending, successful and failed, and anything else as unknown', async () => {
    const cases: [unknown, string][] = [
      [[{ job_id: 'j-op1', status: 'pending' }], 'pending'],
      [[{ job_id: 'j-op1', status: 'FAILED' }], 'failed'],
      [[{ status: 'successful' }], 'successful'],
      [[{ job_id: 'j-op1', status: 'working' }], 'unknown'],
      [[{ job_id: 'j-op1' }], 'unknown'],
      [[{ job_id: 'j-op1', status: 7 }], 'unknown'],
      [[], 'unknown'],
    ];
    for (const [jobSet, status] of cases) {
      answer = { ret_code: 0, job_set: jobSet };
      assert.equal(await client.operationStatus('jn1a', 'j-op1'), status, JSON.stringify(jobSet));
    }
  });

  it('operation reads the error codes a failed operation names, and none when it names none', async () => {
    answer = { ret_code: 0, job_set: [{ job_id: 'j-op1', status: 'failed', error_codes: '1400' }] };
    assert.deepEqual(await client.operation('jn1a', 'j-op1'), { status: 'failed', errorCodes: '1400' });
    answer = { ret_code: 0, job_set: [{ job_id: 'j-op1', status: 'failed', error_codes: 2100 }] };
    assert.deepEqual(await client.operation('jn1a', 'j-op1'), { status: 'failed', errorCodes: '2100' });
    answer = { ret_code: 0, job_set: [{ job_id: 'j-op1', status: 'successful', error_codes: ' ' }] };
    assert.deepEqual(await client.operation('jn1a', 'j-op1'), { status: 'successful' });
  });

  it('operationStatus refuses an answer without job_set or about another operation', async () => {
    for (const body of [{ ret_code: 0 }, { ret_code: 0, job_set: 'x' }, { ret_code: 0, job_set: [{ job_id: 'j-other', status: 'successful' }] }, { ret_code: 0, job_set: ['x'] }]) {
      answer = body;
      await rejects(client.operationStatus('jn1a', 'j-op1'), 'badResponse');
    }
  });
});
