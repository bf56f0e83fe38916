// The simulator's job lifecycle over real HTTP: the users and queues of a cluster, files
// written with createJobFile, submitJob's checks, and submitted jobs moving on the simulator's
// clock (started, ended, cancelled by an asynchronous stop).
import * as assert from 'assert/strict';
import { generateDataset } from '../../simulator/data';
import {
  exitStatusIn, startSimulator, type OperationItem, type Simulator, type SimulatorOptions,
} from '../../simulator/server';
import { call, simulatorOnClock } from './support/simulatorCall';

const START = '2025-07-01T08:00:00Z';
const ZONE = 'jn1a';
/** The wire time `ms` after START (list times carry no zone suffix). */
const at = (ms: number): string => new Date(Date.parse(START) + ms).toISOString().slice(0, 19);

describe('simulator: users, queues and the job lifecycle', () => {
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  /** A one-zone simulator on a hand-moved clock, and calls signed on that clock. */
  async function setup(opts: SimulatorOptions = {}) {
    const { sim, clock, clusterId, get, post } = await simulatorOnClock(START, ZONE, {
      clustersPerZone: 2, jobsPerCluster: 12, stopDelayMs: 1000, lifecycle: { startAfterMs: 4000, runMs: 20_000 }, ...opts,
    });
    started.push(sim);
    const submit = (fields: Record<string, unknown>) =>
      post('/api/job/submitJob', { name: 'relax', run_user: 'admin', cmd_line: 'sleep 10', ...fields });
    /** The submitted job as GET /api/job/jobdetail shows it. */
    const detail = async (hpcjobUuid: string) => {
      const res = await get(`/api/job/jobdetail/${hpcjobUuid}`, { cluster_id: clusterId });
      assert.equal(res.json.ret_code, 0, JSON.stringify(res.json));
      return res.json.hpc_job_set[0] as Record<string, unknown>;
    };
    const operation = async (id: string): Promise<OperationItem> => {
      const res = await get('/api/operation', { job_ids: id });
      assert.equal(res.json.total_count, 1, JSON.stringify(res.json));
      return res.json.job_set[0] as OperationItem;
    };
    return { sim, clock, clusterId, get, post, submit, detail, operation };
  }

  describe('users and queues', () => {
    it('every generated cluster has admin as its boss, members, one default queue, and room for its own jobs', () => {
      const data = generateDataset({ zones: ['jn1a', 'jn1b'], clustersPerZone: 4, jobsPerCluster: (i) => i * 5 });
      assert.deepEqual(generateDataset({ seed: 3 }), generateDataset({ seed: 3 }), 'deterministic');
      for (const cluster of data.clusters) {
        const [admin, ...members] = cluster.users;
        assert.equal(admin.username, 'admin');
        assert.equal(admin.role, 'boss');
        assert.equal(admin.nas_mount_point, '/public/home/admin');
        assert.ok(members.length >= 1 && members.every((u) => u.role === 'member'));
        assert.ok(cluster.users.every((u) => /^hpcuser-[a-z0-9]{8}$/.test(u.hpcuser_id) && u.cluster_id === cluster.info.cluster_id));
        assert.equal(cluster.queues.filter((q) => q.default_queue === 1).length, 1);
        assert.equal(cluster.queues[0].default_queue, 1);
        assert.ok(cluster.queues.length >= 2);
        assert.ok(cluster.queues.every((q) => /^ehpcq-[a-z0-9]{8}$/.test(q.hpcqueue_id) && q.spec_detail.cpu_num > 0));
        // A job read back can be submitted again as it was.
        for (const job of cluster.jobs) {
          assert.ok(cluster.users.some((u) => u.username === job.run_user), job.run_user);
          const queue = cluster.queues.find((q) => q.partition_name === job.queue_name);
          assert.ok(queue && job.core_limit <= queue.spec_detail.cpu_num, job.queue_name);
        }
      }
    });

    it('lists a cluster\'s users in pages, by search word, or the whole zone\'s without cluster_id', async () => {
      const t = await setup();
      const users = t.sim.users(ZONE, t.clusterId);
      assert.ok(users.length >= 3);
      const all = await t.get('/api/user', { cluster_id: t.clusterId, limit: 1000 });
      assert.equal(all.json.action, 'HpcUserListUsersResponse');
      assert.equal(all.json.total_count, users.length);
      assert.deepEqual(all.json.users_set, users);
      const page = await t.get('/api/user', { cluster_id: t.clusterId, limit: 1, offset: 1 });
      assert.equal(page.json.total_count, users.length);
      assert.deepEqual(page.json.users_set, [users[1]]);
      assert.equal((await t.get('/api/user', { cluster_id: t.clusterId })).json.users_set.length, Math.min(10, users.length));
      const found = await t.get('/api/user', { cluster_id: t.clusterId, search_word: 'ADM' });
      assert.deepEqual(found.json.users_set.map((u: { username: string }) => u.username), ['admin']);
      const zone = await t.get('/api/user', { limit: 100 });
      const other = t.sim.clusters(ZONE)[1].cluster_id;
      assert.equal(zone.json.total_count, users.length + t.sim.users(ZONE, other).length);
    });

    it('lists a cluster\'s queues with their specs, the default first', async () => {
      const t = await setup();
      const queues = t.sim.queues(ZONE, t.clusterId);
      const res = await t.get('/api/queue/ehpc/getQueueList', { cluster_id: t.clusterId, limit: 100 });
      assert.equal(res.json.action, 'HpcQueueGetEhpcQueueListResponse');
      assert.equal(res.json.total_count, queues.length);
      assert.deepEqual(res.json.hpc_queue_set, queues);
      const [first] = res.json.hpc_queue_set;
      assert.equal(first.default_queue, 1);
      assert.equal(first.partition_name, 'normal');
      assert.deepEqual(Object.keys(first.spec_detail).filter((k) => ['cpu_num', 'mem_size', 'gpu_num'].includes(k)).sort(), ['cpu_num', 'gpu_num', 'mem_size']);
      const page = await t.get('/api/queue/ehpc/getQueueList', { cluster_id: t.clusterId, limit: 1, offset: 1 });
      assert.deepEqual(page.json.hpc_queue_set, [queues[1]]);
    });

    it('answers an unknown cluster with 2100, a missing one with 1100, and a POST for the queues with 404', async () => {
      const t = await setup();
      for (const path of ['/api/user', '/api/queue/ehpc/getQueueList']) {
        const res = await t.get(path, { cluster_id: 'ehpc-nothere0' });
        assert.equal(res.json.ret_code, 2100, path);
        assert.match(res.json.message, /ehpc-nothere0/, path);
        const zone = await call(t.sim, 'GET', path, { zone: 'mars1', cluster_id: t.clusterId }, undefined, { now: t.clock.now() });
        assert.equal(zone.json.ret_code, 2100, path);
      }
      const noCluster = await t.get('/api/queue/ehpc/getQueueList', {});
      assert.equal(noCluster.json.ret_code, 1100);
      assert.match(noCluster.json.message, /cluster_id/);
      const post = await t.post('/api/queue/ehpc/getQueueList', {});
      assert.equal(post.status, 404);
    });
  });

  describe('createJobFile', () => {
    it('keeps files per cluster by path, the last write winning', async () => {
      const t = await setup();
      const write = (target_file: string, file_value: string, file_type = 'plain') =>
        t.post('/api/job/createJobFile', { file_type, file_value, target_file });
      assert.deepEqual((await write('/public/home/admin/run.sh', 'echo one\n')).json, { action: 'HpcJobCreateJobFileResponse', ret_code: 0 });
      await write('/public/home/admin/in/data.tar', 'H4sIAAAA', 'tar');
      await write('/public/home/admin/run.sh', 'echo two\n');
      await write('/public/home/admin/empty', '');
      assert.deepEqual(t.sim.files(ZONE, t.clusterId), [
        { path: '/public/home/admin/empty', content: '', fileType: 'plain' },
        { path: '/public/home/admin/in/data.tar', content: 'H4sIAAAA', fileType: 'tar' },
        { path: '/public/home/admin/run.sh', content: 'echo two\n', fileType: 'plain' },
      ]);
      assert.deepEqual(t.sim.files(ZONE, t.sim.clusters(ZONE)[1].cluster_id), [], 'another cluster has none');
    });

    it('refuses a bad type, content or path with 1100, and an unknown cluster with 2100, writing nothing', async () => {
      const t = await setup();
      const good = { file_type: 'plain', file_value: 'echo hi', target_file: '/public/home/admin/a.sh' };
      const cases: Array<[string, Record<string, unknown>, RegExp]> = [
        ['no target_file', { ...good, target_file: undefined }, /target_file/],
        ['an empty target_file', { ...good, target_file: '' }, /target_file/],
        ['a relative path', { ...good, target_file: 'a.sh' }, /absolute/],
        ['a ".." segment', { ...good, target_file: '/public/home/admin/../root/a.sh' }, /\.\./],
        ['a directory', { ...good, target_file: '/public/home/admin/' }, /segments/],
        ['a "//"', { ...good, target_file: '/public//a.sh' }, /segments/],
        ['an unknown file_type', { ...good, file_type: 'zip' }, /file_type/],
        ['no file_type', { ...good, file_type: undefined }, /file_type/],
        ['no file_value', { ...good, file_value: undefined }, /file_value/],
        ['a number as file_value', { ...good, file_value: 42 }, /file_value/],
      ];
      for (const [name, body, message] of cases) {
        const res = await t.post('/api/job/createJobFile', body);
        assert.equal(res.json.ret_code, 1100, name);
        assert.match(res.json.message, message, name);
      }
      const unknown = await t.post('/api/job/createJobFile', { ...good, cluster_id: 'ehpc-nothere0' });
      assert.equal(unknown.json.ret_code, 2100);
      assert.deepEqual(t.sim.files(ZONE, t.clusterId), []);
    });
  });

  describe('submitJob', () => {
    it('answers with the new job\'s ids; it lists first, pending, as submitted', async () => {
      const t = await setup();
      const before = t.sim.jobs(ZONE, t.clusterId);
      const nextId = Math.max(...before.map((j) => j.job_id)) + 1;
      const gpu = t.sim.queues(ZONE, t.clusterId).find((q) => q.default_queue === 0)!;

      const res = await t.submit({
        name: '分子动力学 run/1', run_user: 'admin', cmd_line: 'mpirun -np 4 lmp -in in.lj', hpcqueue_id: gpu.hpcqueue_id,
        core_limit: gpu.spec_detail.cpu_num, mem_limit: 2048, time_limit: 30, submit_type: 1,
      });
      assert.deepEqual(Object.keys(res.json).sort(), ['action', 'hpcjob_uuid', 'job_id', 'job_status', 'ret_code']);
      assert.equal(res.json.action, 'HpcJobSubmitJobResponse');
      assert.equal(res.json.ret_code, 0);
      assert.match(res.json.hpcjob_uuid, /^hpcjob-[a-z0-9]{8}$/);
      assert.equal(res.json.job_id, String(nextId), 'the scheduler\'s next id, a string as in the docs');
      assert.equal(res.json.job_status, 'pending');

      const listed = await t.get('/api/job/list', { cluster_id: t.clusterId });
      assert.equal(listed.json.total_count, before.length + 1);
      assert.deepEqual(listed.json.hpc_job_set[0], {
        hpcjob_uuid: res.json.hpcjob_uuid,
        cluster_id: t.clusterId,
        job_id: nextId,
        job_name: '分子动力学 run/1',
        job_status: 'pending',
        queue_name: gpu.partition_name,
        run_user: 'admin',
        cmd_line: 'mpirun -np 4 lmp -in in.lj',
        core_limit: gpu.spec_detail.cpu_num,
        mem_limit: 2048,
        time_limit: 30,
        submitted_time: at(0),
        modified_time: at(0),
        exec_cwd: '/public/home/admin',
        stdout_redirect_path: `/public/home/admin/job-${nextId}.out`,
        stderr_redirect_path: `/public/home/admin/job-${nextId}.err`,
      });
      const detail = await t.detail(res.json.hpcjob_uuid);
      assert.equal(detail.end_time, null);
      assert.equal(detail.reason, '');

      const second = await t.submit({ stdout_redirect_path: '/tmp/o.txt', stderr_redirect_path: '/tmp/e.txt' });
      assert.equal(second.json.job_id, String(nextId + 1));
      const job = t.sim.jobs(ZONE, t.clusterId)[0];
      assert.equal(job.hpcjob_uuid, second.json.hpcjob_uuid);
      assert.equal(job.queue_name, 'normal', 'the default queue without hpcqueue_id');
      assert.equal(job.core_limit, 1, 'one core unless asked');
      assert.equal(job.stdout_redirect_path, '/tmp/o.txt');
      assert.equal(job.stderr_redirect_path, '/tmp/e.txt');
      assert.ok(!('mem_limit' in job) && !('time_limit' in job));
      assert.deepEqual(t.sim.requests.at(-1)?.body?.name, 'relax', 'recorded as any request');
    });

    it('refuses an unknown user or queue, too many cores, a missing cmd_line and badly typed fields with 1100', async () => {
      const t = await setup();
      const [normal, other] = t.sim.queues(ZONE, t.clusterId);
      const cases: Array<[string, Record<string, unknown>, RegExp]> = [
        ['an unknown run_user', { run_user: 'nobody' }, /run_user \[nobody\]/],
        ['an unknown hpcqueue_id', { hpcqueue_id: 'ehpcq-nothere0' }, /ehpcq-nothere0/],
        ['a queue of another cluster', { hpcqueue_id: t.sim.queues(ZONE, t.sim.clusters(ZONE)[1].cluster_id)[0].hpcqueue_id }, /hpcqueue_id/],
        ['an unknown scheduler_queue_name', { scheduler_queue_name: 'nowhere' }, /nowhere/],
        ['a queue id and partition that disagree', { hpcqueue_id: normal.hpcqueue_id, scheduler_queue_name: other.partition_name }, /different queues/],
        ['more cores than the queue has', { core_limit: normal.spec_detail.cpu_num + 1 }, /core_limit/],
        ['zero cores', { core_limit: 0 }, /core_limit/],
        ['cores as a string', { core_limit: '4' }, /core_limit must be an integer/],
        ['fractional cores', { core_limit: 1.5 }, /core_limit must be an integer/],
        ['a fractional mem_limit', { mem_limit: 0.5 }, /mem_limit/],
        ['a time_limit of null', { time_limit: null }, /time_limit/],
        ['no cmd_line', { cmd_line: undefined }, /cmd_line/],
        ['a blank cmd_line', { cmd_line: '  ' }, /cmd_line/],
        ['no name', { name: undefined }, /name/],
        ['no run_user', { run_user: undefined }, /run_user/],
        ['an empty hpcqueue_id', { hpcqueue_id: '' }, /hpcqueue_id/],
        ['submit_type 2', { submit_type: 2 }, /submit_type/],
      ];
      for (const [name, fields, message] of cases) {
        const res = await t.submit(fields);
        assert.equal(res.json.ret_code, 1100, name);
        assert.match(res.json.message, message, name);
      }
      const unknown = await t.submit({ cluster_id: 'ehpc-nothere0' });
      assert.equal(unknown.json.ret_code, 2100);
      const boundary = await t.submit({ core_limit: normal.spec_detail.cpu_num });
      assert.equal(boundary.json.ret_code, 0, 'exactly the queue\'s cores');
      assert.equal(t.sim.jobs(ZONE, t.clusterId).length, 13, 'only that one was added');
    });

    it('is no template for addJob: a job added after it carries none of its limits', async () => {
      const t = await setup({ jobsPerCluster: [0, 0] });
      const empty = t.sim.addJob(ZONE, t.clusterId);
      assert.equal(empty.cluster_id, t.clusterId, 'a whole job even in a cluster without jobs');
      assert.equal(empty.queue_name, 'normal');
      assert.equal(empty.run_user, 'admin');
      assert.equal((await t.submit({ mem_limit: 512, time_limit: 5 })).json.ret_code, 0);
      const added = t.sim.addJob(ZONE, t.clusterId);
      assert.ok(!('mem_limit' in added) && !('time_limit' in added));
      assert.deepEqual(t.sim.jobs(ZONE, t.clusterId).map((j) => j.job_id), [3, 2, 1]);
    });

    it('refuses a cluster that is not active with 1400', async () => {
      const t = await setup({ zones: ['jn1a', 'jn1b'], clustersPerZone: 3 });
      const stopped = t.sim.clusters('jn1b').find((c) => c.cluster_status !== 'active');
      assert.ok(stopped, 'the default seed has one');
      const res = await call(t.sim, 'POST', '/api/job/submitJob', {}, {
        zone: 'jn1b', cluster_id: stopped.cluster_id, name: 'x', run_user: 'admin', cmd_line: 'true',
      }, { now: t.clock.now() });
      assert.equal(res.json.ret_code, 1400);
      assert.match(res.json.message, new RegExp(stopped.cluster_status));
    });

    it('counts against an injected quota fault like any call, and a pending-job quota when set', async () => {
      const t = await setup({ pendingJobQuota: 4 });
      t.sim.failNext({ path: '/api/job/submitJob', clusterId: t.clusterId, retCode: 2500, message: 'quota exceeded' });
      assert.equal((await t.submit({})).json.ret_code, 2500);
      const pending = () => t.sim.jobs(ZONE, t.clusterId).filter((j) => j.job_status === 'pending').length;
      while (pending() < 4) {
        assert.equal((await t.submit({})).json.ret_code, 0);
      }
      const refused = await t.submit({});
      assert.equal(refused.json.ret_code, 2500);
      assert.match(refused.json.message, /4 pending/);
      t.clock.advance(4000);
      assert.equal((await t.submit({})).json.ret_code, 0, 'once the queued ones started');
    });

    it('adds the job even when the answer is lost after the server acted: a retry would submit it twice', async () => {
      const t = await setup();
      t.sim.failNext({ path: '/api/job/submitJob', afterAction: true, reset: true });
      await assert.rejects(t.submit({ name: 'lost answer' }));
      const jobs = t.sim.jobs(ZONE, t.clusterId);
      assert.equal(jobs[0].job_name, 'lost answer');
      assert.equal(jobs[0].job_status, 'pending');
      assert.equal(jobs.length, 13);
    });
  });

  describe('lifecycle', () => {
    it('runs a submitted job: pending, running after startAfterMs, finished runMs later', async () => {
      const t = await setup();
      const id: string = (await t.submit({})).json.hpcjob_uuid;
      const runningBefore = t.sim.clusters(ZONE)[0].running_job_count;
      t.clock.advance(3999);
      assert.equal((await t.detail(id)).job_status, 'pending');

      t.clock.advance(1);
      let job = await t.detail(id);
      assert.equal(job.job_status, 'running');
      assert.equal(job.started_time, at(4000));
      assert.equal(job.pend_reason, '');
      assert.equal(t.sim.clusters(ZONE)[0].running_job_count, runningBefore + 1);

      t.clock.advance(19_999);
      job = await t.detail(id);
      assert.equal(job.job_status, 'running');
      assert.equal(job.run_time, '19');

      t.clock.advance(1);
      job = await t.detail(id);
      assert.equal(job.job_status, 'finished');
      assert.equal(job.end_time, at(24_000));
      assert.equal(job.modified_time, at(24_000));
      assert.equal(job.run_time, '20');
      assert.equal(job.reason, '');
      assert.equal(t.sim.clusters(ZONE)[0].running_job_count, runningBefore);
    });

    it('ends exited with NonZeroExitCode when the command, or a script it runs, exits non-zero', async () => {
      const t = await setup();
      await t.post('/api/job/createJobFile', { file_type: 'plain', file_value: 'set -e\nexit 2\n', target_file: '/public/home/admin/fail.sh' });
      await t.post('/api/job/createJobFile', { file_type: 'plain', file_value: 'echo ok\nexit 0\n', target_file: '/public/home/admin/ok.sh' });
      const ids = {
        exit3: (await t.submit({ cmd_line: 'bash -c "exit 3"' })).json.hpcjob_uuid as string,
        exit0: (await t.submit({ cmd_line: 'bash -c "exit 0"' })).json.hpcjob_uuid as string,
        relativeScript: (await t.submit({ cmd_line: 'bash fail.sh' })).json.hpcjob_uuid as string,
        absoluteScript: (await t.submit({ cmd_line: 'bash /public/home/admin/fail.sh' })).json.hpcjob_uuid as string,
        goodScript: (await t.submit({ cmd_line: 'bash ./ok.sh' })).json.hpcjob_uuid as string,
      };
      t.clock.advance(24_000);
      const outcome = async (id: string) => {
        const job = await t.detail(id);
        return `${String(job.job_status)} ${String(job.reason)}`.trim();
      };
      assert.equal(await outcome(ids.exit3), 'exited NonZeroExitCode');
      assert.equal(await outcome(ids.exit0), 'finished');
      assert.equal(await outcome(ids.relativeScript), 'exited NonZeroExitCode', 'relative to exec_cwd');
      assert.equal(await outcome(ids.absoluteScript), 'exited NonZeroExitCode');
      assert.equal(await outcome(ids.goodScript), 'finished');
    });

    it('finds a non-zero `exit N` anywhere, N taken mod 256 as a shell does, and only the word exit', () => {
      assert.equal(exitStatusIn('bash -c "exit 3"'), 3);
      assert.equal(exitStatusIn('exit 0; exit 7'), 7);
      assert.equal(exitStatusIn('exit 256'), 0);
      assert.equal(exitStatusIn('exitcode 3 && myexit 4'), 0);
      assert.equal(exitStatusIn('sleep 10'), 0);
    });

    it('ends a job exited with TimeLimit when its time_limit runs out before it is done', async () => {
      const t = await setup({ lifecycle: { startAfterMs: 0, runMs: 120_000 } });
      const limited: string = (await t.submit({ time_limit: 1 })).json.hpcjob_uuid;
      const roomy: string = (await t.submit({ time_limit: 3 })).json.hpcjob_uuid;
      t.clock.advance(60_000);
      const job = await t.detail(limited);
      assert.equal(job.job_status, 'exited');
      assert.equal(job.reason, 'TimeLimit');
      assert.equal(job.end_time, at(60_000));
      assert.equal((await t.detail(roomy)).job_status, 'running');
      t.clock.advance(60_000);
      assert.equal((await t.detail(roomy)).job_status, 'finished');
    });

    it('cancels a running submitted job once its stop operation completes', async () => {
      const t = await setup();
      const id: string = (await t.submit({})).json.hpcjob_uuid;
      t.clock.advance(10_000);
      const stop = await t.post('/api/job/stopJobs', { job_ids: [id] });
      assert.equal(stop.json.ret_code, 0);
      t.clock.advance(999);
      assert.equal((await t.detail(id)).job_status, 'running');
      assert.equal((await t.operation(stop.json.job_uuid)).status, 'pending');

      t.clock.advance(1);
      const job = await t.detail(id);
      assert.equal(job.job_status, 'cancelled');
      assert.equal(job.end_time, at(11_000));
      assert.equal(job.run_time, '7');
      assert.equal((await t.operation(stop.json.job_uuid)).status, 'successful');
      t.clock.advance(60_000);
      assert.equal((await t.detail(id)).job_status, 'cancelled', 'it does not finish after all');
    });

    it('leaves a job that ended before the stop completed ended, and fails the operation', async () => {
      const t = await setup();
      const id: string = (await t.submit({})).json.hpcjob_uuid;
      t.clock.advance(23_500);
      const stop = await t.post('/api/job/stopJobs', { job_ids: [id] });
      assert.equal((await t.detail(id)).job_status, 'running', 'still running when stopJobs answered');
      // Nothing looks until well after both the end (24 s) and the stop (24.5 s).
      t.clock.advance(30_000);
      const job = await t.detail(id);
      assert.equal(job.job_status, 'finished');
      assert.equal(job.end_time, at(24_000));
      const op = await t.operation(stop.json.job_uuid);
      assert.equal(op.status, 'failed');
      assert.equal(op.error_codes, '1400');
    });

    it('still fails a stop by an injected fault: the submitted job runs on and finishes', async () => {
      const t = await setup();
      const id: string = (await t.submit({})).json.hpcjob_uuid;
      t.clock.advance(5000);
      t.sim.failNext({ path: '/api/job/stopJobs', failOperation: true });
      const stop = await t.post('/api/job/stopJobs', { job_ids: [id] });
      t.clock.advance(1000);
      assert.equal((await t.operation(stop.json.job_uuid)).status, 'failed');
      assert.equal((await t.detail(id)).job_status, 'running');
      t.clock.advance(20_000);
      assert.equal((await t.detail(id)).job_status, 'finished');
    });

    it('leaves generated jobs as they are by default, and moves them one by one with moveGeneratedJobs', async () => {
      const live = (s: string) => s === 'pending' || s === 'running';
      const still = await setup();
      const before = still.sim.jobs(ZONE, still.clusterId);
      still.clock.advance(3_600_000);
      assert.deepEqual(still.sim.jobs(ZONE, still.clusterId), before);

      const moving = await setup({ lifecycle: { startAfterMs: 4000, runMs: 20_000, moveGeneratedJobs: true } });
      const liveIds = moving.sim.jobs(ZONE, moving.clusterId).filter((j) => live(j.job_status)).map((j) => j.hpcjob_uuid);
      assert.ok(liveIds.length >= 2);
      const liveNow = () => moving.sim.jobs(ZONE, moving.clusterId).filter((j) => live(j.job_status)).length;
      moving.clock.advance(20_000);
      assert.ok(liveNow() > 0 && liveNow() < liveIds.length, 'some ended, not all at once');
      moving.clock.advance(3_600_000);
      assert.equal(liveNow(), 0);
      const added = moving.sim.addJob(ZONE, moving.clusterId);
      moving.clock.advance(24_000);
      assert.equal((await moving.detail(added.hpcjob_uuid)).job_status, 'finished', 'a job added by a test moves too');
    });

    it('refuses lifecycle durations that are not non-negative', async () => {
      await assert.rejects(startSimulator({ lifecycle: { runMs: -1 } }), /runMs/);
      await assert.rejects(startSimulator({ lifecycle: { startAfterMs: Number.NaN } }), /startAfterMs/);
    });
  });
});
