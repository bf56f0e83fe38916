import * as assert from 'assert/strict';
import { EhpcClient } from '../../src/ehpc/client';
import { EhpcError } from '../../src/ehpc/errors';
import { JobSubmission } from '../../src/ehpc/types';
import { listKnown, lookUpSubmitted, outcomeUnknown, sendSubmission, SubmitRequest } from '../../src/submit/send';
import { Simulator, startSimulator } from '../../simulator/server';

const ZONE = 'jn1a';

describe('sending a submission (upload, submit, and the look-up after a lost answer)', () => {
  let simulator: Simulator;
  let client: EhpcClient;
  let clusterId: string;
  let home: string;

  before(async () => {
    simulator = await startSimulator({ zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 5 });
    client = new EhpcClient({ endpoint: simulator.endpoint, credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey }, retry: { attempts: 1 } });
    clusterId = simulator.clusters(ZONE)[0].cluster_id;
    home = simulator.users(ZONE, clusterId)[0].nas_mount_point;
  });
  after(() => simulator.close());
  beforeEach(() => {
    simulator.clearFaults();
    simulator.clearRequests();
  });

  function request(name: string, script?: string): SubmitRequest {
    const target = `${home}/.vscode-ehpc/${name}.sh`;
    const submission: JobSubmission = { name, runUser: 'admin', cmdLine: script === undefined ? 'hostname' : `bash '${target}'`, coreLimit: 1 };
    return { account: '', zone: ZONE, clusterId, submission, script: script === undefined ? undefined : { text: script, target } };
  }

  const paths = () => simulator.requests.map((r) => r.path);

  it('uploads the script, then submits the job that runs it: two requests', async () => {
    const outcome = await sendSubmission(client, request('train', '#!/bin/bash\necho hi\n'), () => true);
    assert.equal(outcome.kind, 'submitted');
    assert.deepEqual(paths(), ['/api/job/createJobFile', '/api/job/list', '/api/job/submitJob']);
    assert.deepEqual(
      simulator.files(ZONE, clusterId).map((f) => [f.path, f.content]),
      [[`${home}/.vscode-ehpc/train.sh`, '#!/bin/bash\necho hi\n']],
    );
    const listed = simulator.jobs(ZONE, clusterId)[0];
    assert.equal(outcome.kind === 'submitted' && outcome.job.hpcjobUuid, listed.hpcjob_uuid);
    assert.equal(listed.cmd_line, `bash '${home}/.vscode-ehpc/train.sh'`);
  });

  it('with the jobs of that name listed beforehand (while the question was open), sends upload and submit only, and still never takes those jobs for the new one', async () => {
    const old = request('listed-early');
    await sendSubmission(client, old, () => true);
    const oldUuid = simulator.jobs(ZONE, clusterId).find((job) => job.job_name === 'listed-early')?.hpcjob_uuid;
    const known = listKnown(client, { zone: ZONE, clusterId, name: 'listed-early' });
    assert.ok((await known).uuids.has(oldUuid ?? ''), 'the job listed beforehand is known');
    simulator.clearRequests();
    // The server never takes this one, and its answer is lost: the older job must not count as it.
    simulator.failNext({ path: '/api/job/submitJob', reset: true });
    const outcome = await sendSubmission(client, { ...request('listed-early', 'echo again\n'), known }, () => true);
    assert.deepEqual(paths(), ['/api/job/createJobFile', '/api/job/submitJob', '/api/job/list']);
    assert.equal(outcome.kind, 'unknown');
    assert.deepEqual(outcome.kind === 'unknown' && outcome.found, []);
  });

  it('submits nothing when the upload fails', async () => {
    simulator.failNext({ path: '/api/job/createJobFile', retCode: 5000 });
    const before = simulator.jobs(ZONE, clusterId).length;
    const outcome = await sendSubmission(client, request('nope', 'echo x\n'), () => true);
    assert.equal(outcome.kind, 'uploadFailed');
    assert.deepEqual(paths(), ['/api/job/createJobFile']);
    assert.equal(simulator.jobs(ZONE, clusterId).length, before);
  });

  it('reports a refusal as such, without looking for the job', async () => {
    const bad = request('wrong-user');
    const outcome = await sendSubmission(client, { ...bad, submission: { ...bad.submission, runUser: 'nobody' } }, () => true);
    assert.equal(outcome.kind, 'refused');
    assert.deepEqual(paths(), ['/api/job/list', '/api/job/submitJob']);
  });

  it('after a lost answer, finds the job the server did create, and sends nothing again', async () => {
    simulator.failNext({ path: '/api/job/submitJob', reset: true, afterAction: true });
    const outcome = await sendSubmission(client, request('lost-but-made'), () => true);
    assert.equal(outcome.kind, 'unknown');
    assert.equal(outcome.kind === 'unknown' && outcome.found?.length, 1);
    assert.equal(outcome.kind === 'unknown' && outcome.found?.[0].hpcjobUuid, simulator.jobs(ZONE, clusterId)[0].hpcjob_uuid);
    assert.deepEqual(paths(), ['/api/job/list', '/api/job/submitJob', '/api/job/list']);
    assert.equal(simulator.jobs(ZONE, clusterId).filter((job) => job.job_name === 'lost-but-made').length, 1);
  });

  it('after a lost answer the server never acted on, finds nothing: it was not submitted', async () => {
    simulator.failNext({ path: '/api/job/submitJob', reset: true });
    const outcome = await sendSubmission(client, request('lost-not-made'), () => true);
    assert.equal(outcome.kind, 'unknown');
    assert.deepEqual(outcome.kind === 'unknown' && outcome.found, []);
    assert.equal(simulator.jobs(ZONE, clusterId).filter((job) => job.job_name === 'lost-not-made').length, 0);
  });

  /** Submits `name` and lets it end: the earlier run a Resubmit starts from. */
  async function endedRun(name: string): Promise<string> {
    const outcome = await sendSubmission(client, request(name), () => true);
    assert.equal(outcome.kind, 'submitted');
    const uuid = outcome.kind === 'submitted' ? outcome.job.hpcjobUuid : '';
    simulator.jobs(ZONE, clusterId).find((job) => job.hpcjob_uuid === uuid)!.job_status = 'finished';
    simulator.clearRequests();
    return uuid;
  }

  it('after a lost answer to a Resubmit the server never took, does not take the earlier run for it', async () => {
    const earlier = await endedRun('rerun-not-made');
    simulator.failNext({ path: '/api/job/submitJob', httpStatus: 502, rawBody: '<html>502 Bad Gateway</html>' });
    const outcome = await sendSubmission(client, { ...request('rerun-not-made'), resubmits: earlier }, () => true);
    assert.equal(outcome.kind, 'unknown');
    assert.deepEqual(outcome.kind === 'unknown' && outcome.found, []);
  });

  it('after a lost answer to a Resubmit the server took, finds that one job, not the earlier run too', async () => {
    const earlier = await endedRun('rerun-made');
    simulator.failNext({ path: '/api/job/submitJob', httpStatus: 502, rawBody: '<html>502 Bad Gateway</html>', afterAction: true });
    const outcome = await sendSubmission(client, { ...request('rerun-made'), resubmits: earlier }, () => true);
    const made = simulator.jobs(ZONE, clusterId).filter((job) => job.job_name === 'rerun-made' && job.hpcjob_uuid !== earlier);
    assert.equal(made.length, 1);
    assert.deepEqual(outcome.kind === 'unknown' && outcome.found?.map((job) => job.hpcjobUuid), [made[0].hpcjob_uuid]);
  });

  it('after a lost answer, does not take a job of that name still running from before for the new one', async () => {
    const first = await sendSubmission(client, request('twice-running'), () => true);
    assert.equal(first.kind, 'submitted');
    simulator.failNext({ path: '/api/job/submitJob', reset: true });
    const outcome = await sendSubmission(client, request('twice-running'), () => true);
    assert.deepEqual(outcome.kind === 'unknown' && outcome.found, []);
  });

  it('after a lost answer when the list before the submit failed, says so: an earlier job of that name is found only as possibly this one', async () => {
    const first = await sendSubmission(client, request('sweep'), () => true);
    assert.equal(first.kind, 'submitted');
    simulator.failNext({ path: '/api/job/list', httpStatus: 502, rawBody: '<html>502 Bad Gateway</html>' });
    simulator.failNext({ path: '/api/job/submitJob', httpStatus: 502, rawBody: '<html>502 Bad Gateway</html>' });
    const outcome = await sendSubmission(client, request('sweep'), () => true);
    assert.ok(outcome.kind === 'unknown');
    assert.equal(outcome.known.listed, false, 'the list before the submit failed');
    assert.deepEqual(outcome.found?.map((job) => job.hpcjobUuid), [first.kind === 'submitted' ? first.job.hpcjobUuid : '']);
    // With the list before, the same earlier job is known and nothing is found.
    simulator.failNext({ path: '/api/job/submitJob', httpStatus: 502, rawBody: '<html>502 Bad Gateway</html>' });
    const listed = await sendSubmission(client, request('sweep'), () => true);
    assert.ok(listed.kind === 'unknown' && listed.known.listed);
    assert.deepEqual(listed.found, []);
  });

  it('Check Again lists once more and finds the job a failed look-up missed', async () => {
    simulator.failNext({ path: '/api/job/submitJob', reset: true, afterAction: true });
    simulator.failNext({ path: '/api/job/list', retCode: 5000, times: 2 });
    const outcome = await sendSubmission(client, request('checked-again'), () => true);
    assert.ok(outcome.kind === 'unknown' && outcome.found === undefined);
    simulator.clearRequests();
    const again = await lookUpSubmitted(client, request('checked-again'), outcome);
    assert.deepEqual(paths(), ['/api/job/list']);
    assert.deepEqual(again.found?.map((job) => job.hpcjobUuid), [simulator.jobs(ZONE, clusterId)[0].hpcjob_uuid]);
  });

  it('says the look-up failed too, rather than guessing', async () => {
    simulator.failNext({ path: '/api/job/submitJob', reset: true });
    // The list before the submit fails too (the guard then leans on time and state), and the look-up.
    simulator.failNext({ path: '/api/job/list', retCode: 5000, times: 2 });
    const outcome = await sendSubmission(client, request('lost-twice'), () => true);
    assert.equal(outcome.kind, 'unknown');
    assert.equal(outcome.kind === 'unknown' && outcome.found, undefined);
    assert.ok(outcome.kind === 'unknown' && outcome.lookupError instanceof EhpcError);
  });

  it('sends nothing once the key has changed', async () => {
    let current = true;
    const outcome = await sendSubmission(
      {
        createJobFile: async (...args) => {
          await client.createJobFile(...args);
          current = false; // signed out while the upload was on the wire
        },
        submitJob: (...args) => client.submitJob(...args),
        listJobs: (...args) => client.listJobs(...args),
      },
      request('signed-out', 'echo x\n'),
      () => current,
    );
    assert.equal(outcome.kind, 'signedOut');
    assert.deepEqual(paths(), ['/api/job/createJobFile']);
  });

  it('counts a refusal as known, and a silence, garbage or an internal error as unknown', () => {
    assert.equal(outcomeUnknown(new EhpcError('badRequest', 'x', [], { retCode: 1100 })), false);
    assert.equal(outcomeUnknown(new EhpcError('busy', 'x', [], { retCode: 5100 })), false);
    assert.equal(outcomeUnknown(new EhpcError('quota', 'x', [], { retCode: 2500 })), false);
    assert.equal(outcomeUnknown(new EhpcError('server', 'x', [], { retCode: 5000 })), true);
    assert.equal(outcomeUnknown(new EhpcError('server', 'x', [], { httpStatus: 502 })), true);
    assert.equal(outcomeUnknown(new EhpcError('busy', 'x', [], { httpStatus: 503 })), true, "a proxy's 503 page may follow the service's work");
    assert.equal(outcomeUnknown(new EhpcError('timeout', 'x')), true);
    assert.equal(outcomeUnknown(new EhpcError('network', 'x')), true);
    assert.equal(outcomeUnknown(new EhpcError('badResponse', 'x')), true);
  });
});

describe('a lost answer that came after the job had already ended', () => {
  it('finds the job the server took, though it ended before the look-up', async () => {
    // The job runs for 100 ms; the answer (a proxy's time-out page) comes 300 ms after the server took it.
    const simulator = await startSimulator({ zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 3, lifecycle: { startAfterMs: 0, runMs: 100 } });
    try {
      const client = new EhpcClient({ endpoint: simulator.endpoint, credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey }, retry: { attempts: 1 } });
      const clusterId = simulator.clusters(ZONE)[0].cluster_id;
      const submission: JobSubmission = { name: 'quick-check', runUser: 'admin', cmdLine: 'python check.py', coreLimit: 1 };
      const request: SubmitRequest = { account: '', zone: ZONE, clusterId, submission };
      simulator.failNext({ path: '/api/job/submitJob', httpStatus: 504, rawBody: '<html><body>504 Gateway Time-out</body></html>', afterAction: true, latencyMs: 300 });
      const outcome = await sendSubmission(client, request, () => true);
      const made = simulator.jobs(ZONE, clusterId).filter((job) => job.job_name === 'quick-check');
      assert.equal(made.length, 1);
      assert.notEqual(made[0].job_status, 'pending');
      assert.notEqual(made[0].job_status, 'running');
      assert.ok(outcome.kind === 'unknown');
      assert.deepEqual(outcome.found?.map((job) => [job.hpcjobUuid, job.status]), [[made[0].hpcjob_uuid, made[0].job_status]]);
      // Check Again finds it as well.
      const again = await lookUpSubmitted(client, request, outcome);
      assert.deepEqual(again.found?.map((job) => job.hpcjobUuid), [made[0].hpcjob_uuid]);
    } finally {
      await simulator.close();
    }
  });
});

describe('submitting to a cluster that does not take jobs', () => {
  it('tells that the cluster is suspended, not that the key may not do it', async () => {
    const simulator = await startSimulator({ zones: ['jn1a', 'jn1b'], clustersPerZone: 3 });
    try {
      const client = new EhpcClient({ endpoint: simulator.endpoint, credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey }, retry: { attempts: 1 } });
      const suspended = simulator.clusters('jn1b').find((cluster) => cluster.cluster_status === 'suspended');
      assert.ok(suspended, 'the default seed has a suspended cluster');
      const submission: JobSubmission = { name: 'x', runUser: 'admin', cmdLine: 'true' };
      const outcome = await sendSubmission(client, { account: '', zone: 'jn1b', clusterId: suspended.cluster_id, submission }, () => true);
      assert.equal(outcome.kind, 'refused');
      const error = outcome.kind === 'refused' ? outcome.error : undefined;
      assert.ok(error instanceof EhpcError);
      assert.equal(error.message, `Cluster ${suspended.cluster_id} is suspended and does not accept jobs.`);
    } finally {
      await simulator.close();
    }
  });
});
