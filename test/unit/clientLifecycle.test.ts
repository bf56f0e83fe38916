// The client's job lifecycle calls (users, queues, job files, submitting) against a server
// that records exactly what arrives and answers as each test wants.
import * as assert from 'assert/strict';
import { MAX_JOB_FILE_BYTES } from '../../src/ehpc/checks';
import { EhpcClient } from '../../src/ehpc/client';
import { RequestRecord } from '../../src/ehpc/transport';
import { EhpcError } from '../../src/ehpc/errors';
import { JobSubmission } from '../../src/ehpc/types';
import { authenticate } from '../../simulator/auth';
import { rawServer, rejects } from './support/clientTesting';

const credentials = { accessKeyId: 'AKIDLIFECYCLE7', secretAccessKey: 'S3CR3T-lifecycle-key' };
const ZONE = 'jn1a';
const CLUSTER = 'ehpc-abc1';
/** The parameters every request carries in its query, POST included. */
const COMMON = ['access_key_id', 'signature', 'signature_method', 'signature_version', 'timestamp', 'version'];

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
        { queueId: 'ehpcq-6cyb1096', name: '默认队列', partitionName: 'normal', isDefault: true, cpuNum: 26, memSizeGb: 80, gpuNum: 0, memPerNodeGb: 80 },
        { queueId: 'ehpcq-gpu1', name: 'queue ehpcq-gpu1', partitionName: undefined, isDefault: false, cpuNum: undefined, memSizeGb: undefined, gpuNum: undefined },
        { queueId: 'ehpcq-noname', name: 'ehpcq-noname', partitionName: undefined, isDefault: false, cpuNum: undefined, memSizeGb: undefined, gpuNum: undefined },
        { queueId: 'ehpcq-odd', name: 'queue ehpcq-odd', partitionName: undefined, isDefault: false, cpuNum: undefined, memSizeGb: undefined, gpuNum: undefined },
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

  describe('createJobFile', () => {
    it('POSTs the file in the JSON body, zone included, and only the common parameters in the query', async () => {
      const script = '#!/bin/bash\n#SBATCH -n 4\necho "分子动力学" > out.txt\n';
      await client.createJobFile(ZONE, CLUSTER, 'jobs/md/run.sh', script);
      assert.equal(received.length, 1);
      const [request] = received;
      assert.deepEqual([request.method, request.path], ['POST', '/api/job/createJobFile']);
      assert.deepEqual(request.body, { cluster_id: CLUSTER, zone: ZONE, file_type: 'plain', file_value: script, target_file: 'jobs/md/run.sh' });
      assert.deepEqual(Object.keys(request.query).sort(), COMMON);
      assert.match(request.query.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(request.signedWell, 'the signature does not cover this body');
    });

    it('sends a file of exactly MAX_JOB_FILE_BYTES UTF-8 bytes, and refuses one byte more, counting bytes, not characters', async () => {
      // "分" is 3 bytes: this text has far fewer characters than the limit, and still too many bytes.
      const over = '分'.repeat(Math.floor(MAX_JOB_FILE_BYTES / 3)) + 'abc';
      assert.ok(over.length < MAX_JOB_FILE_BYTES && Buffer.byteLength(over) === MAX_JOB_FILE_BYTES + 1);
      const error = await rejects(client.createJobFile(ZONE, CLUSTER, 'big.txt', over), 'badRequest');
      assert.match(error.message, /^Not sent: "big\.txt" would be 513 KiB; one request writes at most 512 KiB\.$/);
      assert.equal(received.length, 0);
      await client.createJobFile(ZONE, CLUSTER, 'big.txt', over.slice(0, -1));
      assert.equal(received.length, 1);
      assert.equal(received[0].body?.file_value, over.slice(0, -1));
    });

    it('refuses an empty target, ".." segments and NUL before sending anything', async () => {
      const cases: [string, RegExp][] = [
        ['', /no target file/],
        ['   ', /no target file/],
        ['..', /"\.\." has a "\.\." segment/],
        ['../etc/profile', /has a "\.\." segment/],
        ['jobs/../../x.sh', /has a "\.\." segment/],
        ['jobs\\..\\x.sh', /has a "\.\." segment/],
        ['run.sh\u0000.txt', /NUL/],
      ];
      for (const [target, message] of cases) {
        const error = await rejects(client.createJobFile(ZONE, CLUSTER, target, 'echo'), 'badRequest');
        assert.match(error.message, /^Not sent/);
        assert.match(error.message, message);
      }
      await rejects(client.createJobFile(ZONE, 'cl-abc', 'run.sh', 'echo'), 'badRequest');
      await rejects(client.createJobFile(ZONE, CLUSTER, 'run.sh', 42 as unknown as string), 'badRequest');
      assert.deepEqual(received, [], 'something was sent');
      await client.createJobFile(ZONE, CLUSTER, 'a..b/..c/run.sh', 'echo');
      assert.equal(received.length, 1, 'a name that merely contains ".." is sent');
    });
  });

  describe('submitJob', () => {
    const job: JobSubmission = { name: 'lammps npt', runUser: 'admin', cmdLine: 'sbatch run.sh' };

    it('POSTs only the required fields when nothing optional is set, zone in the body', async () => {
      answer = () => ({ json: { action: 'HpcJobSubmitJobResponse', hpcjob_uuid: 'hpcjob-bc2n5lyb', job_id: '1547554', job_status: 'pending', ret_code: 0 } });
      const submitted = await client.submitJob(ZONE, CLUSTER, job);
      assert.deepEqual(submitted, { hpcjobUuid: 'hpcjob-bc2n5lyb', jobId: 1547554, status: 'pending' });
      assert.equal(received.length, 1);
      const [request] = received;
      assert.deepEqual([request.method, request.path], ['POST', '/api/job/submitJob']);
      assert.deepEqual(request.body, { cluster_id: CLUSTER, zone: ZONE, name: 'lammps npt', run_user: 'admin', cmd_line: 'sbatch run.sh' });
      assert.deepEqual(Object.keys(request.query).sort(), COMMON);
      assert.ok(request.signedWell);
    });

    it('sends every optional field that is set, and leaves out empty strings', async () => {
      answer = () => ({ json: { ret_code: 0, hpcjob_uuid: 'hpcjob-r9cb3r02', job_id: 19152, job_status: 'PENDING' } });
      const full: JobSubmission = {
        ...job, queueId: 'ehpcq-cq1opkdy', coreLimit: 4, memLimitMb: 2048, timeLimitMinutes: 90, stdoutPath: 'out/%j.out', stderrPath: 'out/%j.err',
      };
      assert.deepEqual(await client.submitJob(ZONE, CLUSTER, full), { hpcjobUuid: 'hpcjob-r9cb3r02', jobId: 19152, status: 'pending' });
      assert.deepEqual(received[0].body, {
        cluster_id: CLUSTER, zone: ZONE, name: 'lammps npt', run_user: 'admin', cmd_line: 'sbatch run.sh',
        hpcqueue_id: 'ehpcq-cq1opkdy', core_limit: 4, mem_limit: 2048, time_limit: 90, stdout_redirect_path: 'out/%j.out', stderr_redirect_path: 'out/%j.err',
      });
      await client.submitJob(ZONE, CLUSTER, { ...job, queueId: '', stdoutPath: '', stderrPath: '', coreLimit: 1 });
      assert.deepEqual(received[1].body, { cluster_id: CLUSTER, zone: ZONE, name: 'lammps npt', run_user: 'admin', cmd_line: 'sbatch run.sh', core_limit: 1 });
    });

    it('refuses a job without name, user or command, with a bad limit or queue id, and sends nothing', async () => {
      const cases: [Partial<Record<keyof JobSubmission, unknown>>, RegExp][] = [
        [{ name: '' }, /the job has no name/],
        [{ name: '  ' }, /the job has no name/],
        [{ runUser: '' }, /no user to run as/],
        [{ runUser: undefined }, /no user to run as/],
        [{ cmdLine: '\n' }, /no command line/],
        [{ coreLimit: 0 }, /number of cores must be a whole number above 0, not "0"/],
        [{ coreLimit: -4 }, /number of cores .* not "-4"/],
        [{ coreLimit: 1.5 }, /number of cores .* not "1\.5"/],
        [{ coreLimit: Number.NaN }, /number of cores .* not "NaN"/],
        [{ coreLimit: '4' }, /number of cores .* not "4"/],
        [{ memLimitMb: 0 }, /memory limit \(MB\) must be a whole number above 0/],
        [{ timeLimitMinutes: 2.5 }, /time limit \(minutes\) must be a whole number above 0/],
        [{ timeLimitMinutes: Infinity }, /time limit/],
        [{ queueId: 'q-1' }, /"q-1" is not a queue id \(ehpcq-…\)/],
        [{ queueId: 'ehpcq-a&zone=x' }, /is not a queue id/],
        [{ stdoutPath: 7 }, /output path "7" is not text/],
      ];
      for (const [change, message] of cases) {
        const error = await rejects(client.submitJob(ZONE, CLUSTER, { ...job, ...change } as JobSubmission), 'badRequest');
        assert.match(error.message, /^Not sent/);
        assert.match(error.message, message);
      }
      await rejects(client.submitJob(ZONE, 'ehpc-..', job), 'badRequest');
      await rejects(client.submitJob('JN1A', CLUSTER, job), 'badRequest');
      assert.deepEqual(received, [], 'something was sent');
    });

    it('fails closed on an answer without a valid hpcjob_uuid: the job cannot be followed', async () => {
      for (const hpcjobUuid of [undefined, '', 'job-1', 42, 'hpcjob-../x', 'HPCJOB-ABC']) {
        received = [];
        answer = () => ({ json: { ret_code: 0, hpcjob_uuid: hpcjobUuid, job_id: '7', job_status: 'pending' } });
        const error = await rejects(client.submitJob(ZONE, CLUSTER, job), 'badResponse');
        assert.match(error.message, /no valid hpcjob_uuid.*may have been submitted/);
        assert.equal(received.length, 1, 'an unclear answer must not send the job again');
      }
    });

    it('reads a job_id that is no whole number, and a status it does not know, without guessing', async () => {
      answer = () => ({ json: { ret_code: 0, hpcjob_uuid: 'hpcjob-a1', job_id: 'x7', job_status: 'queued' } });
      assert.deepEqual(await client.submitJob(ZONE, CLUSTER, job), { hpcjobUuid: 'hpcjob-a1', jobId: undefined, status: 'unknown' });
    });
  });

  describe('writes are sent once', () => {
    const writes: [string, (c: EhpcClient) => Promise<unknown>][] = [
      ['submitJob', (c) => c.submitJob(ZONE, CLUSTER, { name: 'n', runUser: 'admin', cmdLine: 'hostname' })],
      ['createJobFile', (c) => c.createJobFile(ZONE, CLUSTER, 'run.sh', 'hostname')],
    ];

    it('while a read with the same failure is retried (the client under test does retry)', async () => {
      answer = () => ({ status: 500, json: { ret_code: 5000, message: 'internal' } });
      await rejects(client.listUsers(ZONE, CLUSTER), 'server', 5000);
      assert.equal(received.length, 3);
    });

    for (const [name, write] of writes) {
      it(`${name}: a 5xx or a busy server is not retried`, async () => {
        for (const [status, retCode, kind] of [[500, 5000, 'server'], [200, 5100, 'busy'], [503, 5300, 'busy']] as const) {
          received = [];
          answer = () => ({ status, json: { ret_code: retCode, message: 'try later' } });
          await rejects(write(client), kind, retCode);
          assert.equal(received.length, 1, `${retCode}: sent ${received.length} times`);
        }
      });

      it(`${name}: a time-out is not retried`, async () => {
        answer = () => 'hang';
        await rejects(write(clientWith(150)), 'timeout');
        await new Promise((resolve) => setTimeout(resolve, 150)); // room for a second try to arrive
        assert.equal(received.length, 1);
      });
    }
  });

  it('never puts the secret, the access key id or the signature into errors or request records', async () => {
    const outcomes: Promise<unknown>[] = [];
    answer = (request) =>
      request.path === '/api/job/submitJob'
        ? { json: { ret_code: 0 } }
        : request.path === '/api/user'
          ? { status: 502, json: { ret_code: 1200, message: 'signature mismatch' } }
          : 'hang';
    outcomes.push(client.submitJob(ZONE, CLUSTER, { name: 'n', runUser: 'admin', cmdLine: 'x' }));
    outcomes.push(client.listUsers(ZONE, CLUSTER));
    outcomes.push(clientWith(150).createJobFile(ZONE, CLUSTER, 'run.sh', 'x'));
    outcomes.push(client.submitJob(ZONE, CLUSTER, { name: 'n', runUser: 'admin', cmdLine: 'x', coreLimit: 0 }));
    const errors = (await Promise.allSettled(outcomes)).flatMap((outcome) => (outcome.status === 'rejected' && outcome.reason instanceof EhpcError ? [outcome.reason] : []));
    assert.equal(errors.length, outcomes.length, 'every call failed with an EhpcError');
    assert.deepEqual([...new Set(records.map((record) => record.path))].sort(), ['/api/job/createJobFile', '/api/job/submitJob', '/api/user']);
    const text = JSON.stringify([errors.map((error) => [error.message, error]), records]);
    for (const secret of [credentials.secretAccessKey, credentials.accessKeyId, received[0].query.signature, 'signature=']) {
      assert.ok(!text.includes(secret), `${secret} leaked`);
    }
  });

  it('a job of the list reads core_limit (a number or digits) and modified_time', async () => {
    const item = { hpcjob_uuid: 'hpcjob-a1', job_name: 'md', job_status: 'finished', modified_time: '2021-08-19T14:06:41' };
    answer = () => ({ json: { ret_code: 0, total_count: 3, hpc_job_set: [{ ...item, core_limit: 16 }, { ...item, hpcjob_uuid: 'hpcjob-a2', core_limit: '8' }, { hpcjob_uuid: 'hpcjob-a3', core_limit: 'many' }] } });
    const { items } = await client.listJobs(ZONE, CLUSTER);
    assert.deepEqual(items.map((j) => [j.coreLimit, j.modifiedTime]), [[16, '2021-08-19T14:06:41'], [8, '2021-08-19T14:06:41'], [undefined, undefined]]);
  });
});
