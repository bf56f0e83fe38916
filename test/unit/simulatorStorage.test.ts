// The simulator's shared file system: files createJobFile writes, and the output a job writes
// line by line on the simulator's clock, as files of a folder of this machine.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Simulator, SimulatorOptions } from '../../simulator/server';
import { simulatorOnClock } from './support/simulatorCall';

const START = '2025-07-01T08:00:00Z';
const ZONE = 'jn1a';

describe('simulator: the shared file system and the jobs\' output', () => {
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  async function setup(opts: SimulatorOptions = {}) {
    const { sim, clock, clusterId, post } = await simulatorOnClock(START, ZONE, {
      clustersPerZone: 1, jobsPerCluster: 4, stopDelayMs: 0, lifecycle: { startAfterMs: 1000, runMs: 30_000 }, ...opts,
    });
    started.push(sim);
    const submit = async (fields: Record<string, unknown> = {}) => {
      const res = await post('/api/job/submitJob', { name: 'train', run_user: 'admin', cmd_line: 'python train.py', ...fields });
      assert.equal(res.json.ret_code, 0, JSON.stringify(res.json));
      return sim.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === res.json.hpcjob_uuid)!;
    };
    /** A file of the cluster as it is now (the simulator settled first), or undefined. */
    const read = (clusterPath: string): Buffer | undefined => {
      const file = path.join(sim.storageFolder(clusterId), clusterPath);
      return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    };
    const lines = (clusterPath: string) => read(clusterPath)?.toString('utf8').split('\n').filter(Boolean) ?? [];
    return { sim, clock, clusterId, post, submit, read, lines };
  }

  it('keeps each user\'s home, and a file createJobFile wrote, in the cluster\'s own folder', async () => {
    const t = await setup();
    const res = await t.post('/api/job/createJobFile', { file_type: 'plain', file_value: '#!/bin/bash\necho hi\n', target_file: '/public/home/admin/run.sh' });
    assert.equal(res.json.ret_code, 0);
    assert.equal(t.read('/public/home/admin/run.sh')?.toString(), '#!/bin/bash\necho hi\n');
    for (const user of t.sim.users(ZONE, t.clusterId)) {
      assert.ok(fs.statSync(path.join(t.sim.storageFolder(t.clusterId), user.nas_mount_point)).isDirectory(), user.username);
    }
    const folder = t.sim.storageFolder(t.clusterId);
    await t.sim.close();
    assert.equal(fs.existsSync(folder), false, 'a temporary folder goes with the simulator');
  });

  it('a running job writes a line a second to its output, a warning every ten to its error, and a last line when it ends', async () => {
    const t = await setup();
    const job = await t.submit();
    assert.equal(t.read(job.stdout_redirect_path), undefined, 'nothing before it starts');
    t.clock.advance(1000);
    assert.deepEqual(t.lines(job.stdout_redirect_path), [`job ${job.job_id} "train" started at 2025-07-01T08:00:01 in /public/home/admin`]);
    assert.deepEqual(t.lines(job.stderr_redirect_path), []);
    t.clock.advance(3500);
    assert.deepEqual(t.lines(job.stdout_redirect_path).slice(1), ['step 1/30: loss 1.818', 'step 2/30: loss 1.667', 'step 3/30: loss 1.538']);
    t.clock.advance(7000);
    assert.equal(t.lines(job.stdout_redirect_path).length, 1 + 10);
    assert.deepEqual(t.lines(job.stderr_redirect_path), ['warning: step 10/30: checkpoint took longer than expected']);
    t.clock.advance(60_000);
    const out = t.lines(job.stdout_redirect_path);
    assert.equal(out.length, 1 + 30 + 1);
    assert.equal(out.at(-1), `done: job ${job.job_id} finished at 2025-07-01T08:00:31`);
    t.clock.advance(60_000);
    assert.equal(t.lines(job.stdout_redirect_path).length, out.length, 'an ended job writes no more');
  });

  it('a cancelled job ends with slurm\'s notice on its error file; relative paths and %j are the job\'s', async () => {
    const t = await setup();
    const job = await t.submit({ stdout_redirect_path: 'out/%j.log', stderr_redirect_path: 'out/%j.err' });
    t.clock.advance(3000);
    const res = await t.post('/api/job/stopJobs', { job_ids: [job.hpcjob_uuid] });
    assert.equal(res.json.ret_code, 0);
    t.clock.advance(5000);
    const err = t.lines(`/public/home/admin/out/${job.job_id}.err`);
    assert.match(err.at(-1) ?? '', new RegExp(`^slurmstepd: error: \\*\\*\\* JOB ${job.job_id} CANCELLED AT 2025-07-01T08:00:03 \\*\\*\\*$`));
    assert.equal(t.lines(`/public/home/admin/out/${job.job_id}.log`).length, 1 + 2);
  });

  it('a long job a test adds writes a file of its own all along its run', async () => {
    const t = await setup();
    const [a, b] = [t.sim.addRunningJob(ZONE, t.clusterId, 'long-a', 3_600_000), t.sim.addRunningJob(ZONE, t.clusterId, 'long-b', 3_600_000)];
    assert.notEqual(a.stdout_redirect_path, b.stdout_redirect_path);
    t.clock.advance(1_800_000);
    assert.equal(t.lines(a.stdout_redirect_path).at(-1), 'step 1800/3600: loss 0.011');
    assert.match(t.lines(b.stdout_redirect_path)[0], /"long-b"/);
  });

  it('writes big output, or bytes that are not UTF-8, when told to', async () => {
    const t = await setup({ jobOutput: { firstBytes: 3 << 20, stepBytes: 1 << 16 } });
    const big = await t.submit();
    t.clock.advance(3000);
    assert.equal(t.read(big.stdout_redirect_path)?.length, (3 << 20) + `job ${big.job_id} "train" started at 2025-07-01T08:00:01 in /public/home/admin\n`.length + 2 * (1 << 16));
    const odd = await t.submit({ name: 'odd' });
    t.sim.setJobOutput(ZONE, t.clusterId, odd.hpcjob_uuid, { nonUtf8: true, firstBytes: 0, stepBytes: 0 });
    t.clock.advance(3000);
    const bytes = t.read(odd.stdout_redirect_path)!;
    assert.ok(bytes.includes(Buffer.from([0xff, 0xfe])));
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  });

  it('the demo\'s jobs that ended before it started have their output too', async () => {
    const t = await setup({ lifecycle: { moveGeneratedJobs: false } });
    const ended = t.sim.jobs(ZONE, t.clusterId).filter((j) => j.started_time !== undefined && j.job_status !== 'running');
    assert.ok(ended.length > 0);
    for (const job of ended) {
      assert.match(t.lines(job.stdout_redirect_path)[0], /^job \d+ /);
    }
  });

  it('keeps every name inside the cluster\'s folder: ".." stops at its root, a symlink out is refused', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret'), 'not the cluster\'s');
      const t = await setup();
      const home = path.join(t.sim.storageFolder(t.clusterId), 'public', 'home', 'admin');
      fs.symlinkSync(outside, path.join(home, 'link'));
      const escape = await t.post('/api/job/createJobFile', { file_type: 'plain', file_value: 'x', target_file: '/public/home/admin/link/secret' });
      assert.equal(escape.json.ret_code, 1400);
      assert.equal(fs.readFileSync(path.join(outside, 'secret'), 'utf8'), 'not the cluster\'s');
      const job = await t.submit({ stdout_redirect_path: '../../../../../../../x.out' });
      t.clock.advance(2000);
      assert.equal(job.stdout_redirect_path, '../../../../../../../x.out');
      assert.ok(t.read('/x.out'), 'a job\'s ".." stops at the cluster\'s root');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
