// The simulator's fault rules beyond ret_code answers: latency, hang, reset, truncate,
// afterAction ("outcome unknown") and partial success, driven through the real client.
import * as assert from 'assert/strict';
import { EhpcClient } from '../../src/ehpc/client';
import { EhpcError } from '../../src/ehpc/errors';
import { signRequest } from '../../src/ehpc/signing';
import { startSimulator, type Simulator } from '../../simulator/server';

const ZONE = 'jn1a';

async function failure(promise: Promise<unknown>): Promise<EhpcError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EhpcError, `not an EhpcError: ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

describe('simulator fault rules', function () {
  this.timeout(2000);
  let sim: Simulator;
  let clusterId: string;
  let ids: string[];

  function client(timeoutMs = 250): EhpcClient {
    return new EhpcClient({
      endpoint: sim.endpoint,
      credentials: { accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey },
      timeoutMs,
      retry: { attempts: 1 }, // reads are retried by default; one attempt shows each fault as it is
    });
  }
  const listed = () => sim.jobs(ZONE, clusterId).map((j) => j.hpcjob_uuid);
  const statusOf = (id: string) => sim.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === id)?.job_status;

  /** A signed GET, read by hand, to see what exactly arrives. */
  function rawGet(path: string, params: Record<string, string>): Promise<Response> {
    const credentials = { accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey };
    const { query } = signRequest('GET', path, params, '', credentials, new Date());
    return fetch(`${sim.endpoint}${path}?${query}`);
  }

  beforeEach(async () => {
    sim = await startSimulator({ zones: [ZONE], clustersPerZone: 2, jobsPerCluster: 12, stopDelayMs: 0 });
    clusterId = sim.clusters(ZONE)[0].cluster_id;
    ids = sim.jobs(ZONE, clusterId).map((j) => j.hpcjob_uuid);
  });
  afterEach(() => sim.close());

  it('latencyMs delays only the matching answer, which is the real one', async () => {
    sim.failNext({ path: '/api/job/list', clusterId, latencyMs: 150 });
    const c = client(1000);
    const t0 = Date.now();
    await c.listJobs(ZONE, sim.clusters(ZONE)[1].cluster_id);
    assert.ok(Date.now() - t0 < 100, 'a request the rule does not match was delayed');
    const t1 = Date.now();
    const page = await c.listJobs(ZONE, clusterId);
    assert.ok(Date.now() - t1 >= 140, 'answered too soon');
    assert.equal(page.items.length, 12);
    const t2 = Date.now();
    await c.listJobs(ZONE, clusterId);
    assert.ok(Date.now() - t2 < 100, 'times: 1 by default');
  });

  it('latencyMs with a ret_code delays the error answer', async () => {
    sim.failNext({ path: '/api/cluster/list', latencyMs: 100, retCode: 5100 });
    const t0 = Date.now();
    assert.equal((await failure(client().listClusters(ZONE))).retCode, 5100);
    assert.ok(Date.now() - t0 >= 90);
  });

  it('hang never answers: the client times out, nothing changes, and close() still ends the socket', async () => {
    sim.failNext({ path: '/api/job/deleteJobs', hang: true });
    const t0 = Date.now();
    const error = await failure(client(150).deleteJobs(ZONE, clusterId, ids.slice(0, 2)));
    assert.equal(error.kind, 'timeout');
    assert.ok(Date.now() - t0 < 600);
    assert.deepEqual(listed(), ids, 'a hung request deleted something');
    assert.equal(sim.requests.at(-1)?.fault?.hang, true, 'the request is recorded with its rule');

    // A client that never gives up: close() must not wait for it.
    sim.failNext({ path: '/api/cluster/list', hang: true });
    const pending = rawGet('/api/cluster/list', { zone: ZONE }).then(() => 'answered', () => 'dropped');
    while (sim.requests.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const t1 = Date.now();
    await sim.close();
    assert.equal(await pending, 'dropped');
    assert.ok(Date.now() - t1 < 500, 'close() waited for the hung request');
  });

  it('reset destroys the socket without an answer; the request changes nothing', async () => {
    sim.failNext({ path: '/api/job/deleteJobs', reset: true });
    const error = await failure(client().deleteJobs(ZONE, clusterId, ids.slice(0, 2)));
    assert.equal(error.kind, 'network');
    assert.deepEqual(listed(), ids);
    sim.failNext({ path: '/api/cluster/list', reset: true });
    await assert.rejects(rawGet('/api/cluster/list', { zone: ZONE }));
    assert.equal((await client().listClusters(ZONE)).items.length, 2, 'the next request is answered');
  });

  it('truncate sends the headers and half of the real JSON body, then ends the socket', async () => {
    sim.failNext({ path: '/api/job/list', truncate: true });
    const res = await rawGet('/api/job/list', { zone: ZONE, cluster_id: clusterId, limit: '100' });
    assert.equal(res.status, 200);
    const length = Number(res.headers.get('content-length'));
    assert.ok(length > 1000);
    const reader = res.body!.getReader();
    let received = '';
    await assert.rejects(async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          return;
        }
        received += Buffer.from(value).toString();
      }
    });
    assert.ok(received.startsWith('{"action":"HpcJobListJobsResponse","ret_code":0'), received.slice(0, 60));
    assert.ok(received.length > 0 && received.length < length);

    // node-fetch 2 never ends a body cut short of its Content-Length (node-fetch#1604): only
    // the client's own timer ends the wait, so this shows as a timeout.
    sim.failNext({ path: '/api/job/list', truncate: true });
    assert.match((await failure(client(100).listJobs(ZONE, clusterId))).kind, /^(network|timeout)$/);
    const before = sim.jobs(ZONE, clusterId);
    sim.failNext({ path: '/api/job/stopJobs', truncate: true });
    await failure(client(100).stopJobs(ZONE, clusterId, ids));
    assert.deepEqual(sim.jobs(ZONE, clusterId), before, 'a cut stopJobs without afterAction changed something');
  });

  it('afterAction carries the request out, then loses (reset, hang) or garbles (502, ret_code) the answer', async () => {
    const cases = [
      { reset: true },
      { hang: true },
      { truncate: true },
      { httpStatus: 502, rawBody: '<html>Bad Gateway</html>' },
      { retCode: 5100 },
    ];
    for (const [i, effect] of cases.entries()) {
      const doomed = ids.slice(i * 2, i * 2 + 2);
      sim.failNext({ path: '/api/job/deleteJobs', afterAction: true, ...effect });
      await failure(client(150).deleteJobs(ZONE, clusterId, doomed));
      const left = listed();
      assert.ok(doomed.every((id) => !left.includes(id)), `${JSON.stringify(effect)}: not deleted`);
      assert.equal(left.length, 12 - (i + 1) * 2, `${JSON.stringify(effect)}: deleted more than named`);
    }
  });

  it('without afterAction, the same faults delete nothing', async () => {
    for (const effect of [{ reset: true }, { httpStatus: 502, rawBody: '<html>Bad Gateway</html>' }, { retCode: 5100 }]) {
      sim.failNext({ path: '/api/job/deleteJobs', ...effect });
      await failure(client().deleteJobs(ZONE, clusterId, ids.slice(0, 3)));
    }
    assert.deepEqual(listed(), ids);
  });

  it('partial acts on only the first N ids, in body order, and answers success', async () => {
    const named = [ids[5], ids[1], ids[9]];
    sim.failNext({ path: '/api/job/deleteJobs', partial: 2 });
    await client().deleteJobs(ZONE, clusterId, named);
    assert.equal(sim.requests.at(-1)?.retCode, 0);
    assert.deepEqual(listed(), ids.filter((id) => id !== ids[5] && id !== ids[1]));

    const live = sim.jobs(ZONE, clusterId).filter((j) => j.job_status === 'pending' || j.job_status === 'running').map((j) => j.hpcjob_uuid);
    assert.ok(live.length >= 2, 'the seeded data has two live jobs');
    sim.failNext({ path: '/api/job/stopJobs', partial: 1 });
    await client().stopJobs(ZONE, clusterId, live);
    assert.equal(statusOf(live[0]), 'cancelled');
    assert.ok(live.slice(1).every((id) => statusOf(id) === 'pending' || statusOf(id) === 'running'));

    sim.failNext({ path: '/api/job/deleteJobs', partial: 0 });
    await client().deleteJobs(ZONE, clusterId, [ids[0]]);
    assert.ok(listed().includes(ids[0]), 'partial: 0 acts on none');
  });
});
