// Saving a job's whole output from the simulator's login node: the bytes arrive identical, a
// file still growing gives exactly the size it had at the start, a cancel or a failure leaves
// nothing behind, and a file of the user's at the target is never replaced unasked.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SshPool, type SshLease } from '../../src/ssh/connections';
import { download, TargetExistsError } from '../../src/ssh/download';
import { SshError } from '../../src/ssh/errors';
import { startSimulator, type Simulator } from '../../simulator/server';
import { call, manualClock } from './support/simulatorCall';

const START = '2025-07-01T08:00:00Z';
const ZONE = 'jn1a';
const PASSWORD = 'test-only-ssh-password';
const MiB = 1024 * 1024;

describe('downloading a file from a login node', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let clusterId: string;
  let clock: ReturnType<typeof manualClock>;
  let pool: SshPool;
  let lease: SshLease;
  let dir: string;

  beforeEach(async () => {
    clock = manualClock(START);
    sim = await startSimulator({
      zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 1, now: clock.now, stopDelayMs: 0, sshPassword: PASSWORD,
      lifecycle: { startAfterMs: 1000, runMs: 600_000 },
    });
    clusterId = sim.clusters(ZONE)[0].cluster_id;
    const { host, port, hostKey } = sim.loginNodes.address(clusterId);
    const blob = Buffer.from(hostKey.split(' ')[1], 'base64');
    pool = new SshPool({ idleMs: 100 });
    lease = pool.lease({
      target: { host, port, username: 'admin' },
      sources: { keyFiles: [] },
      prompts: { passphrase: () => Promise.resolve(undefined), password: () => Promise.resolve(PASSWORD), answer: () => Promise.resolve(undefined) },
      verifyHostKey: (key) => Promise.resolve(key.equals(blob)),
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-download-'));
  });

  afterEach(async () => {
    lease.release();
    pool.dispose();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A running job whose output starts with `firstBytes` and grows 64 KiB a second. */
  async function runningJob(firstBytes: number): Promise<{ remote: string; host: string }> {
    const res = await call(sim, 'POST', '/api/job/submitJob', {}, { zone: ZONE, cluster_id: clusterId, name: 'train', run_user: 'admin', cmd_line: 'python train.py' }, { now: clock.now() });
    assert.equal(res.json.ret_code, 0, JSON.stringify(res.json));
    const job = sim.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === res.json.hpcjob_uuid)!;
    sim.setJobOutput(ZONE, clusterId, job.hpcjob_uuid, { firstBytes, stepBytes: 64 * 1024 });
    clock.advance(1000 + 1000);
    const host = path.join(sim.storageFolder(clusterId), job.stdout_redirect_path);
    return { remote: job.stdout_redirect_path, host };
  }

  const target = () => path.join(dir, 'train-1.out');
  const left = () => fs.readdirSync(dir).sort();

  async function rejectsWith<T extends Error>(promise: Promise<unknown>, check: (error: unknown) => error is T): Promise<T> {
    try {
      await promise;
    } catch (error) {
      assert.ok(check(error), `unexpected ${String(error)}`);
      return error;
    }
    assert.fail('did not fail');
  }
  const isSshError = (kind: SshError['kind']) => (error: unknown): error is SshError => error instanceof SshError && error.kind === kind;

  it('saves a multi-MB output identical, with progress up to its size, and no part file left', async () => {
    const job = await runningJob(6 * MiB);
    const expected = fs.readFileSync(job.host);
    assert.ok(expected.length > 6 * MiB);
    const progress: [number, number][] = [];
    const bytes = await download(lease, job.remote, target(), { onProgress: (done, total) => progress.push([done, total]) });
    assert.equal(bytes, expected.length);
    assert.ok(fs.readFileSync(target()).equals(expected), 'same bytes');
    assert.deepEqual(left(), ['train-1.out']);
    assert.deepEqual(progress[0], [0, expected.length]);
    assert.deepEqual(progress.at(-1), [expected.length, expected.length]);
    assert.ok(progress.every(([done], i) => i === 0 || done > progress[i - 1][0]), 'progress only grows');
  });

  it('gives exactly the bytes the file had at the start while the job keeps writing', async () => {
    const job = await runningJob(2 * MiB);
    const before = fs.readFileSync(job.host);
    let moved = false;
    const bytes = await download(lease, job.remote, target(), {
      chunkSize: 64 * 1024,
      concurrency: 2,
      onProgress: (done) => {
        if (done > 0 && !moved) {
          moved = true;
          clock.advance(20_000); // twenty more steps of 64 KiB, written as the next read settles
        }
      },
    });
    const after = fs.readFileSync(job.host);
    assert.ok(after.length >= before.length + 20 * 64 * 1024, `grew from ${before.length} to ${after.length}`);
    assert.equal(bytes, before.length);
    assert.ok(fs.readFileSync(target()).equals(before));
  });

  it('leaves neither the file nor a part file when cancelled midway', async () => {
    const job = await runningJob(4 * MiB);
    const controller = new AbortController();
    let seen = 0;
    const error = await rejectsWith(
      download(lease, job.remote, target(), {
        signal: controller.signal,
        onProgress: (done, total) => {
          seen = done;
          if (done > total / 4) {
            controller.abort();
          }
        },
      }),
      isSshError('cancelled'),
    );
    assert.match(error.message, /cancelled/);
    assert.ok(seen > 0 && seen < fs.statSync(job.host).size, `cancelled at ${seen}`);
    assert.deepEqual(left(), []);
    // The shared connection goes on serving.
    assert.equal(await download(lease, job.remote, target()), fs.readFileSync(target()).length);
  });

  it('never replaces a file that appears at the target during the download', async () => {
    const job = await runningJob(2 * MiB);
    let made = false;
    const error = await rejectsWith(
      download(lease, job.remote, target(), {
        onProgress: (done) => {
          if (done > 0 && !made) {
            made = true;
            fs.writeFileSync(target(), 'the user\'s own');
          }
        },
      }),
      (e): e is TargetExistsError => e instanceof TargetExistsError,
    );
    assert.equal(error.path, target());
    assert.equal(fs.readFileSync(target(), 'utf8'), 'the user\'s own');
    assert.deepEqual(left(), ['train-1.out']);
  });

  it('refuses a file already at the target before reading anything, and replaces it only when told', async () => {
    const job = await runningJob(MiB);
    fs.writeFileSync(target(), 'earlier');
    let progressed = false;
    await rejectsWith(download(lease, job.remote, target(), { onProgress: () => (progressed = true) }), (e): e is TargetExistsError => e instanceof TargetExistsError);
    assert.equal(progressed, false);
    assert.equal(fs.readFileSync(target(), 'utf8'), 'earlier');
    const expected = fs.readFileSync(job.host);
    await download(lease, job.remote, target(), { replace: true });
    assert.ok(fs.readFileSync(target()).equals(expected));
    assert.deepEqual(left(), ['train-1.out']);
  });

  it('fails on a missing remote file with its path and the "no such file" status, leaving nothing', async () => {
    const error = await rejectsWith(download(lease, '/public/home/admin/none.out', target()), isSshError('file'));
    assert.equal(error.code, 2);
    assert.match(error.message, /\/public\/home\/admin\/none\.out/);
    assert.deepEqual(left(), []);
  });

  it('fails before connecting when cancelled already', async () => {
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(download(lease, '/public/home/admin/none.out', target(), { signal: controller.signal }), isSshError('cancelled'));
    assert.equal(pool.connects, 0);
  });
});
