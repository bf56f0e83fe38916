// The client's job lifecycle calls (users, queues, job files, submitting) against a server
// that records exactly what arrives and answers as each test wants.
import * as assert from 'assert/strict';
import { EhpcClient, RequestRecord } from '../../src/ehpc/client';
import { authenticate } from '../../simulator/auth';
import { rawServer, rejects } from './support/clientTesting';

const credentials = { accessKeyId: 'AKIDLIFECYCLE7', secretAccessKey: 'S3CR3T-lifecycle-key' };
const ZONE = 'jn1a';
const CLUSTER = 'ehpc-abc1';

interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The JSON body, parsed; undefined for a GET. */
  body: Record<string, unknown> | undefined;
  /** Whether the signature checks out as the service checks it (the body's MD5 included). */
  signedWell: boolean;
}

/** How the server answers one request: JSON with an HTTP status, or never. */
type Answer = { status?: number; json: unknown } | 'hang';

describe('EhpcClient: the job lifecycle calls', () => {
  let server: Awaited<ReturnType<typeof rawServer>>;
  let received: Received[];
  let answer: (request: Received) => Answer;
  let records: RequestRecord[];
  let client: EhpcClient;

  /** A client that retries reads (three attempts, no real back-off), as the extension does. */
  const clientWith = (timeoutMs = 2000) =>
    new EhpcClient({
      endpoint: server.endpoint,
      credentials,
      timeoutMs,
      retry: { attempts: 3 },
      sleep: async () => undefined,
      onRequest: (record) => records.push(record),
    });

  before(async () => {
    server = await rawServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const target = req.url ?? '/';
        const url = new URL(target, 'http://localhost');
        const raw = Buffer.concat(chunks);
        let signedWell = true;
        try {
          authenticate({ method: req.method ?? '', target, body: raw }, { ...credentials, toleranceSeconds: 60, now: () => new Date() });
        } catch {
          signedWell = false;
        }
        const request: Received = {
          method: req.method ?? '',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          body: raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : undefined,
          signedWell,
        };
        received.push(request);
        const reply = answer(request);
        if (reply !== 'hang') {
          res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.json));
        }
      });
    });
  });
  after(() => server.close());
  beforeEach(() => {
    received = [];
    records = [];
    answer = () => ({ json: { ret_code: 0 } });
    client = clientWith();
  });

  /** `count` users named user0, user1, … from `from` on. */
  const users = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ username: `user${from + i}`, role: 'member', nas_mount_point: `/home/user${from + i}` }));

  describe('listUsers', () => {
    it('reads every page of GET /api/user, counting skipped items in the offset, each user once', async () => {
      // The first page has an item without a username and one that is no object: skipped,
      // but they took their places, so the next page starts at 100, not at 98.
      const first = [...users(0, 98), { role: 'admin' }, 'nonsense'];
      // The list shifted between the calls: user97 shows again on the second page.
      const second = [...users(97, 1), ...users(98, 4)];
      answer = (request) => ({ json: { ret_code: 0, total_count: 104, users_set: request.query.offset === '0' ? first : second } });
      const list = await client.listUsers(ZONE, CLUSTER);
      assert.deepEqual(list.map((user) => user.username), users(0, 102).map((user) => user.username));
      assert.deepEqual(received.map((r) => [r.method, r.path, r.query.offset]), [['GET', '/api/user', '0'], ['GET', '/api/user', '100']]);
      for (const request of received) {
        assert.equal(request.query.zone, ZONE);
        assert.equal(request.query.cluster_id, CLUSTER);
        assert.equal(request.query.limit, '100');
        assert.ok(request.signedWell, 'the signature does not check out');
        assert.equal(request.body, undefined);
      }
    });

    it('reads user_set when the answer has no users_set, with the role and the home folder', async () => {
      answer = () => ({
        json: {
          ret_code: 0,
          total_count: 3,
          user_set: [
            { username: 'admin', role: 'admin', nas_mount_point: '/public/shanhe/s0723', uid_number: '1000' },
            { username: '', role: 'member' },
            { username: 'usr-vceaHsJu', role: 7 },
          ],
        },
      });
      assert.deepEqual(await client.listUsers(ZONE, CLUSTER), [
        { username: 'admin', role: 'admin', homeDir: '/public/shanhe/s0723' },
        { username: 'usr-vceaHsJu', role: undefined, homeDir: undefined },
      ]);
      assert.equal(received.length, 1, 'three items sent of three: no second page');
    });

    it('refuses an answer with neither set, or without total_count', async () => {
      for (const json of [{ ret_code: 0, total_count: 1 }, { ret_code: 0, users_set: 'admin', total_count: 1 }, { ret_code: 0, users_set: users(0, 1) }]) {
        answer = () => ({ json });
        await rejects(client.listUsers(ZONE, CLUSTER), 'badResponse');
      }
    });
  });

  describe('listQueues', () => {
    const queue = (id: string, extra: Record<string, unknown> = {}) => ({ hpcqueue_id: id, name: `queue ${id}`, ...extra });

    it('reads GET /api/queue/ehpc/getQueueList: the default queue, and the spec when it is numbers', async () => {
      answer = () => ({
        json: {
          ret_code: 0,
          total_count: 4,
          hpc_queue_set: [
            queue('ehpcq-6cyb1096', { name: '默认队列', default_queue: 1, partition_name: 'normal', spec_detail: { cpu_num: 26, mem_size: 80, gpu_num: 0, unit_mem_size: 80 } }),
            queue('ehpcq-gpu1', { default_queue: 0, spec_detail: { cpu_num: '8', mem_size: null } }),
            { hpcqueue_id: 'ehpcq-noname' },
            queue('ehpcq-odd', { default_queue: 2, spec_detail: 'big' }),
          ],
        },
      });
      assert.deepEqual(await client.listQueues(ZONE, CLUSTER), [
        { queueId: 'ehpcq-6cyb1096', name: '默认队列', isDefault: true, cpuNum: 26, memSizeMb: 80, gpuNum: 0 },
        { queueId: 'ehpcq-gpu1', name: 'queue ehpcq-gpu1', isDefault: false, cpuNum: undefined, memSizeMb: undefined, gpuNum: undefined },
        { queueId: 'ehpcq-noname', name: 'ehpcq-noname', isDefault: false, cpuNum: undefined, memSizeMb: undefined, gpuNum: undefined },
        { queueId: 'ehpcq-odd', name: 'queue ehpcq-odd', isDefault: false, cpuNum: undefined, memSizeMb: undefined, gpuNum: undefined },
      ]);
      assert.deepEqual(received.map((r) => [r.method, r.path]), [['GET', '/api/queue/ehpc/getQueueList']]);
      assert.deepEqual(
        { zone: received[0].query.zone, cluster_id: received[0].query.cluster_id, limit: received[0].query.limit, offset: received[0].query.offset },
        { zone: ZONE, cluster_id: CLUSTER, limit: '100', offset: '0' },
      );
      assert.ok(received[0].signedWell);
    });

    it('reads default_queue "1" and true as the default too', async () => {
      answer = () => ({ json: { ret_code: 0, total_count: 3, hpc_queue_set: [queue('ehpcq-a', { default_queue: '1' }), queue('ehpcq-b', { default_queue: true }), queue('ehpcq-c', { default_queue: '0' })] } });
      assert.deepEqual((await client.listQueues(ZONE, CLUSTER)).map((q) => q.isDefault), [true, true, false]);
    });

    it('reads every page, each queue once', async () => {
      const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => queue(`ehpcq-q${from + i}`));
      answer = (request) => ({ json: { ret_code: 0, total_count: 103, hpc_queue_set: request.query.offset === '0' ? page(0, 100) : page(99, 4) } });
      const list = await client.listQueues(ZONE, CLUSTER);
      assert.equal(list.length, 103);
      assert.equal(new Set(list.map((q) => q.queueId)).size, 103);
      assert.deepEqual(received.map((r) => r.query.offset), ['0', '100']);
    });

    it('refuses a queue without hpcqueue_id', async () => {
      answer = () => ({ json: { ret_code: 0, total_count: 1, hpc_queue_set: [{ name: 'no id', default_queue: 1 }] } });
      await rejects(client.listQueues(ZONE, CLUSTER), 'badResponse');
    });
  });

  it('a job of the list reads core_limit (a number or digits) and modified_time', async () => {
    const item = { hpcjob_uuid: 'hpcjob-a1', job_name: 'md', job_status: 'finished', modified_time: '2021-08-19T14:06:41' };
    answer = () => ({ json: { ret_code: 0, total_count: 3, hpc_job_set: [{ ...item, core_limit: 16 }, { ...item, hpcjob_uuid: 'hpcjob-a2', core_limit: '8' }, { hpcjob_uuid: 'hpcjob-a3', core_limit: 'many' }] } });
    const { items } = await client.listJobs(ZONE, CLUSTER);
    assert.deepEqual(items.map((j) => [j.coreLimit, j.modifiedTime]), [[16, '2021-08-19T14:06:41'], [8, '2021-08-19T14:06:41'], [undefined, undefined]]);
  });
});
