// The simulator's startCluster / stopCluster over real HTTP on a hand-moved clock: one
// asynchronous operation per request, the clusters' transitions, what a stop does to jobs,
// nodes, submissions and the login node, refusals, injected failures; how clusters are paid
// and what they use; the idle cluster of each zone; and the hourly call quota.
import * as assert from 'assert/strict';
import { Client } from 'ssh2';
import { generateDataset } from '../../simulator/data';
import { DEFAULT_CLUSTER_POWER_MS, startSimulator, type OperationItem, type Simulator, type SimulatorOptions } from '../../simulator/server';
import { call, manualClock } from './support/simulatorCall';

const START = '2025-07-01T08:00:00Z';
const ZONES = ['jn1a', 'jn1b'];
const POWER_MS = 3000;
const PASSWORD = 'test-only-ssh-password';
/** The wire time `ms` after START. */
const at = (ms: number): string => new Date(Date.parse(START) + ms).toISOString().slice(0, 19);

describe('simulator: starting and stopping clusters', function () {
  this.timeout(20_000);
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  async function setup(opts: SimulatorOptions = {}) {
    const clock = manualClock(START);
    const sim = await startSimulator({
      zones: ZONES, clustersPerZone: 3, jobsPerCluster: 12, now: clock.now, clusterPowerMs: POWER_MS, stopDelayMs: 0,
      sshPassword: PASSWORD, lifecycle: { startAfterMs: 1000, runMs: 60 * 60_000 }, ...opts,
    });
    started.push(sim);
    const get = (path: string, params: Record<string, string | number>) => call(sim, 'GET', path, params, undefined, { now: clock.now() });
    const post = (path: string, body: unknown) => call(sim, 'POST', path, {}, body, { now: clock.now() });
    const stop = (zone: string, ids: unknown) => post('/api/cluster/stopCluster', { zone, cluster_ids: ids });
    const start = (zone: string, ids: unknown) => post('/api/cluster/startCluster', { zone, cluster_ids: ids });
    const listed = async (zone: string, clusterId: string) => {
      const res = await get('/api/cluster/list', { zone, cluster_id: clusterId });
      assert.equal(res.json.total_count, 1, JSON.stringify(res.json));
      return res.json.cluster_set[0] as Record<string, unknown>;
    };
    const state = async (zone: string, clusterId: string) => {
      const c = await listed(zone, clusterId);
      return [c.cluster_status, c.transition_status];
    };
    const operation = async (zone: string, id: string): Promise<OperationItem> => {
      const res = await get('/api/operation', { zone, job_ids: id });
      assert.equal(res.json.total_count, 1, JSON.stringify(res.json));
      return res.json.job_set[0] as OperationItem;
    };
    const submit = (zone: string, clusterId: string) =>
      post('/api/job/submitJob', { zone, cluster_id: clusterId, name: 'relax', run_user: 'admin', cmd_line: 'sleep 10' });
    /** The first cluster of the zone: active, with live jobs. */
    const busy = (zone = ZONES[0]) => sim.clusters(zone)[0].cluster_id;
    return { sim, clock, get, post, stop, start, listed, state, operation, submit, busy };
  }

  it('stops a cluster asynchronously: stopping, then stopped; its live jobs end stopped, its nodes stop, it takes no jobs', async () => {
    const t = await setup();
    const zone = ZONES[0];
    const id = t.busy();
    const live = t.sim.jobs(zone, id).filter((j) => j.job_status === 'running' || j.job_status === 'pending');
    assert.ok(live.length > 0, 'the cluster has live jobs to end');
    const liveIds = new Set(live.map((j) => j.hpcjob_uuid));
    const ended = t.sim.jobs(zone, id).filter((j) => !liveIds.has(j.hpcjob_uuid));

    const res = await t.stop(zone, [id]);
    assert.equal(res.json.ret_code, 0, JSON.stringify(res.json));
    assert.deepEqual(Object.keys(res.json).sort(), ['action', 'job_id', 'ret_code']);
    assert.equal(res.json.action, 'HpcClusterStopClusterResponse');
    assert.match(res.json.job_id, /^j-[a-z0-9]{11}$/);

    assert.deepEqual(await t.state(zone, id), ['active', 'stopping']);
    const pending = await t.operation(zone, res.json.job_id);
    assert.equal(pending.status, 'pending');
    assert.equal(pending.job_action, 'StopClusters');
    assert.equal(pending.resource_ids, id);
    assert.equal(pending.error_codes, '');
    assert.equal((await t.get('/api/cluster/listNodes', { zone, cluster_id: id, limit: 100 })).json.hpc_app_nodes_set[0].transition_status, 'stopping');
    const refused = await t.submit(zone, id);
    assert.equal(refused.json.ret_code, 1400, 'a stopping cluster takes no jobs');

    t.clock.advance(POWER_MS - 1);
    assert.deepEqual(await t.state(zone, id), ['active', 'stopping']);
    t.clock.advance(1);
    assert.deepEqual(await t.state(zone, id), ['stopped', '']);
    const done = await t.operation(zone, res.json.job_id);
    assert.equal(done.status, 'successful');
    assert.equal(done.status_time, new Date(Date.parse(START) + POWER_MS).toISOString().replace(/\.\d{3}Z$/, 'Z'));

    const jobs = t.sim.jobs(zone, id);
    for (const job of live) {
      const now = jobs.find((j) => j.hpcjob_uuid === job.hpcjob_uuid)!;
      assert.equal(now.job_status, 'stopped', job.job_name);
      assert.equal(now.end_time, at(POWER_MS));
      assert.equal(now.modified_time, at(POWER_MS));
    }
    for (const job of ended) {
      assert.deepEqual(jobs.find((j) => j.hpcjob_uuid === job.hpcjob_uuid), job, 'an ended job stays as it was');
    }
    const list = await t.listed(zone, id);
    assert.equal(list.running_job_count, 0);
    assert.equal(list.pending_job_count, 0);
    const nodes = (await t.get('/api/cluster/listNodes', { zone, cluster_id: id, limit: 100 })).json.hpc_app_nodes_set as Record<string, unknown>[];
    assert.ok(nodes.every((n) => n.status === 'stopped' && n.transition_status === ''), JSON.stringify(nodes.map((n) => n.status)));
    const submitted = await t.submit(zone, id);
    assert.equal(submitted.json.ret_code, 1400);
    assert.match(submitted.json.message, /stopped.*active clusters only/);
  });

  it('starts a stopped cluster: starting, then active with its nodes active, and it takes jobs again', async () => {
    const t = await setup();
    const zone = ZONES[0];
    const id = t.busy();
    await t.stop(zone, [id]);
    t.clock.advance(POWER_MS);
    assert.deepEqual(await t.state(zone, id), ['stopped', '']);

    const res = await t.start(zone, [id]);
    assert.equal(res.json.ret_code, 0, JSON.stringify(res.json));
    assert.equal(res.json.action, 'HpcClusterStartClusterResponse');
    assert.deepEqual(await t.state(zone, id), ['stopped', 'starting']);
    assert.equal((await t.operation(zone, res.json.job_id)).job_action, 'StartClusters');
    assert.equal((await t.submit(zone, id)).json.ret_code, 1400, 'not while starting');
    t.clock.advance(POWER_MS);
    assert.deepEqual(await t.state(zone, id), ['active', '']);
    assert.equal((await t.operation(zone, res.json.job_id)).status, 'successful');
    const nodes = (await t.get('/api/cluster/listNodes', { zone, cluster_id: id, limit: 100 })).json.hpc_app_nodes_set as Record<string, unknown>[];
    assert.ok(nodes.every((n) => n.status === 'active' && n.health_status === 'healthy'));
    assert.equal((await t.submit(zone, id)).json.ret_code, 0);
    const ops = await t.get('/api/operation', { zone, resource_ids: id });
    assert.deepEqual(ops.json.job_set.map((o: OperationItem) => o.job_action), ['StartClusters', 'StopClusters'], 'newest first');
  });

  it('one request, one operation for every cluster it names; the default time is the demo\'s 15 s', async () => {
    const t = await setup({ clusterPowerMs: undefined });
    const zone = ZONES[0];
    const ids = t.sim.clusters(zone).filter((c) => c.cluster_status === 'active').map((c) => c.cluster_id);
    assert.ok(ids.length >= 2);
    const res = await t.stop(zone, ids);
    const op = await t.operation(zone, res.json.job_id);
    assert.equal(op.resource_ids, ids.join(' '));
    assert.equal((await t.get('/api/operation', { zone, job_action: 'StopClusters' })).json.total_count, 1);
    assert.equal(DEFAULT_CLUSTER_POWER_MS, 15_000);
    t.clock.advance(DEFAULT_CLUSTER_POWER_MS - 1);
    assert.ok((await Promise.all(ids.map((id) => t.state(zone, id)))).every(([, transition]) => transition === 'stopping'));
    t.clock.advance(1);
    assert.deepEqual(await Promise.all(ids.map((id) => t.state(zone, id))), ids.map(() => ['stopped', '']));
    assert.equal((await t.operation(zone, res.json.job_id)).status, 'successful');
  });

  it('refuses a request whole, changing nothing: unknown or another zone\'s cluster 2100, wrong state 1400, bad body 1100', async () => {
    const t = await setup();
    const [zone, other] = ZONES;
    const id = t.busy();
    const second = t.sim.clusters(zone)[1].cluster_id;
    const before = ZONES.map((z) => t.sim.clusters(z));
    const cases: [string, Promise<{ json: Record<string, any> }>, number][] = [
      ['unknown cluster', t.stop(zone, [id, 'ehpc-nosuchcl']), 2100],
      ['another zone\'s cluster', t.stop(zone, [id, t.busy(other)]), 2100],
      ['start an active one', t.start(zone, [id]), 1400],
      ['unknown zone', t.stop('nowhere', [id]), 2100],
      ['empty cluster_ids', t.stop(zone, []), 1100],
      ['cluster_ids not an array', t.stop(zone, id), 1100],
      ['no zone', t.post('/api/cluster/stopCluster', { cluster_ids: [id] }), 1100],
    ];
    for (const [name, answer, retCode] of cases) {
      const res = await answer;
      assert.equal(res.json.ret_code, retCode, `${name}: ${JSON.stringify(res.json)}`);
      assert.equal(res.json.job_id, undefined, name);
      assert.equal(typeof res.json.message, 'string', name);
    }
    assert.deepEqual(ZONES.map((z) => t.sim.clusters(z)), before, 'nothing changed');
    assert.equal((await t.get('/api/operation', { zone })).json.total_count, 0, 'no operation');

    // In transition: neither stopped again nor started.
    await t.stop(zone, [second]);
    const inTransition = ZONES.map((z) => t.sim.clusters(z));
    const again = await t.stop(zone, [id, second]);
    assert.equal(again.json.ret_code, 1400);
    assert.match(again.json.message, new RegExp(`${second}.*stopping`));
    assert.equal((await t.start(zone, [second])).json.ret_code, 1400);
    assert.deepEqual(ZONES.map((z) => t.sim.clusters(z)), inTransition);
    t.clock.advance(POWER_MS);
    const stopAgain = await t.stop(zone, [second]);
    assert.equal(stopAgain.json.ret_code, 1400, 'stop a stopped one');
    assert.match(stopAgain.json.message, /is stopped/);
    assert.deepEqual(await t.state(zone, id), ['active', ''], 'the refused requests left it alone');
  });

  it('a fault makes one cluster\'s part fail: it goes back to where it was, the others switch, the operation says failed', async () => {
    const t = await setup();
    const zone = ZONES[0];
    const [a, b] = t.sim.clusters(zone).map((c) => c.cluster_id);
    const jobsOfA = t.sim.jobs(zone, a);
    t.sim.failNext({ path: '/api/cluster/stopCluster', clusterId: a, failOperation: true });
    const res = await t.stop(zone, [b, a]);
    assert.equal(res.json.ret_code, 0, 'the request itself succeeds');
    assert.equal(t.sim.requests.at(-1)?.fault?.clusterId, a, 'the rule matched a cluster of cluster_ids');
    assert.deepEqual(await t.state(zone, a), ['active', 'stopping']);
    t.clock.advance(POWER_MS);
    const op = await t.operation(zone, res.json.job_id);
    assert.equal(op.status, 'failed');
    assert.equal(op.error_codes, '5000');
    assert.deepEqual(await t.state(zone, a), ['active', '']);
    assert.deepEqual(await t.state(zone, b), ['stopped', '']);
    assert.deepEqual(t.sim.jobs(zone, a).map((j) => j.job_status), jobsOfA.map((j) => j.job_status), 'its jobs go on');

    // Without a cluster, the rule fails every cluster of the request.
    t.sim.failNext({ path: '/api/cluster/startCluster', failOperation: true });
    const start = await t.start(zone, [b]);
    t.clock.advance(POWER_MS);
    assert.equal((await t.operation(zone, start.json.job_id)).status, 'failed');
    assert.deepEqual(await t.state(zone, b), ['stopped', '']);
  });

  it('the request log and fault rules know the new paths', async () => {
    const t = await setup();
    const zone = ZONES[0];
    const id = t.busy();
    t.sim.failNext({ path: '/api/cluster/stopCluster', retCode: 5100 });
    assert.equal((await t.stop(zone, [id])).json.ret_code, 5100);
    assert.deepEqual(await t.state(zone, id), ['active', ''], 'a request failed by a rule changes nothing');
    await t.stop(zone, [id]);
    t.clock.advance(POWER_MS);
    await t.start(zone, [id]);
    const queue = t.sim.queues(zone, id)[0];
    await t.get('/api/queue/describeQueue', { zone, cluster_id: id, id: queue.hpcqueue_id });
    const paths = t.sim.requests.map((r) => `${r.method} ${r.path} ${r.retCode}`);
    for (const path of ['POST /api/cluster/stopCluster 5100', 'POST /api/cluster/stopCluster 0', 'POST /api/cluster/startCluster 0', 'GET /api/queue/describeQueue 0']) {
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
    }
    assert.deepEqual(t.sim.requests.find((r) => r.path === '/api/cluster/startCluster')?.body, { zone, cluster_ids: [id] });
  });

  it('a stopped cluster\'s login node takes no connections, and a stop closes those open; a start lets them in again', async () => {
    const t = await setup();
    const zone = ZONES[0];
    const id = t.busy();
    const connect = () => new Promise<Client>((resolve, reject) => {
      const { host, port } = t.sim.loginNodes.address(id);
      const client = new Client();
      client.once('ready', () => resolve(client)).once('error', reject);
      client.connect({ host, port, username: 'admin', password: PASSWORD, readyTimeout: 5000 });
    });
    const open = await connect();
    const closed = new Promise<void>((resolve) => open.once('close', () => resolve()));
    await t.stop(zone, [id]);
    t.clock.advance(POWER_MS);
    await t.state(zone, id);
    await closed;
    await assert.rejects(connect(), 'no login while stopped');
    assert.deepEqual(t.sim.loginNodes.authAttempts(id).length, 1, 'not even asked for a password');

    await t.start(zone, [id]);
    await assert.rejects(connect(), 'nor while starting');
    t.clock.advance(POWER_MS);
    const again = await connect();
    again.end();
  });
});

describe('simulator: how clusters are paid, what they use, and the idle one of each zone', () => {
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  it('lists paid_type (mostly PayForUsed, some Reserved, by the seed), transition_status, cpu_hours and mem_hours', () => {
    const data = generateDataset({ zones: ['a', 'b', 'c', 'd'], clustersPerZone: 5 });
    assert.deepEqual(generateDataset({ zones: ['a', 'b', 'c', 'd'], clustersPerZone: 5 }), data, 'deterministic');
    const paid = data.clusters.map((c) => c.info.paid_type);
    assert.ok(paid.every((p) => p === 'PayForUsed' || p === 'Reserved'), paid.join());
    const reserved = paid.filter((p) => p === 'Reserved').length;
    assert.ok(reserved >= 1 && reserved < paid.length / 2, `${reserved} of ${paid.length} reserved`);
    assert.ok(data.clusters.every((c) => c.info.transition_status === ''));
    assert.notDeepEqual(generateDataset({ zones: ['a', 'b', 'c', 'd'], clustersPerZone: 5, seed: 7 }).clusters.map((c) => c.info.paid_type), paid);
  });

  it('cpu_hours and mem_hours grow by the hour while a cluster is active and stay while it is stopped', async () => {
    const clock = manualClock(START);
    const sim = await startSimulator({ zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: 4, now: clock.now, clusterPowerMs: 60_000, idleCluster: true });
    started.push(sim);
    const [first, second] = sim.clusters('jn1a');
    const usage = () => sim.clusters('jn1a').map((c) => [c.cpu_hours, c.mem_hours]);
    const cores = (id: string) => sim.nodes('jn1a', id).reduce((n, node) => n + node.cpu, 0);
    const memoryGb = (id: string) => sim.nodes('jn1a', id).reduce((n, node) => n + node.memory, 0) / 1024;
    const before = usage();
    assert.ok(before.flat().every((h) => typeof h === 'number' && h >= 0));
    clock.advance(30 * 60_000);
    assert.deepEqual(usage(), before, 'whole hours only: two reads a moment apart agree');

    const stop = await call(sim, 'POST', '/api/cluster/stopCluster', {}, { zone: 'jn1a', cluster_ids: [second.cluster_id] }, { now: clock.now() });
    assert.equal(stop.json.ret_code, 0);
    clock.advance(30 * 60_000); // an hour since the start: the stop completed 29 minutes ago
    const afterHour = usage();
    assert.deepEqual(afterHour[0], [before[0][0] + cores(first.cluster_id), before[0][1] + memoryGb(first.cluster_id)]);
    assert.deepEqual(afterHour[1], before[1], 'stopped 31 minutes in: not a whole hour active');
    clock.advance(5 * 60 * 60_000);
    const later = usage();
    assert.equal(later[0][0], before[0][0] + 6 * cores(first.cluster_id));
    assert.deepEqual(later[1], before[1], 'frozen while stopped');
  });

  it('each zone of two or more clusters has one active, PayForUsed cluster without pending or running jobs, the last', () => {
    for (const seed of [20210819, 2, 4242, 99]) {
      const data = generateDataset({ seed, zones: ['jn1a', 'jn1b', 'sd1a'], clustersPerZone: 3, jobsPerCluster: 12, idleCluster: true });
      for (const zone of ['jn1a', 'jn1b', 'sd1a']) {
        const clusters = data.clusters.filter((c) => c.zone === zone);
        const idle = clusters.filter((c) => c.info.cluster_status === 'active' && c.info.paid_type === 'PayForUsed'
          && !c.jobs.some((j) => j.job_status === 'pending' || j.job_status === 'running'));
        assert.ok(idle.includes(clusters[2]), `seed ${seed}, zone ${zone}`);
        assert.ok(clusters[2].jobs.length === 12 && clusters[2].jobs.every((j) => j.end_time !== null), 'its jobs all ended');
        assert.ok(clusters[0].jobs.some((j) => j.job_status === 'running' || j.job_status === 'pending'), 'the first stays busy');
      }
    }
    const single = generateDataset({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 12, idleCluster: true });
    const plain = generateDataset({ seed: 2, zones: ['jn1a'], clustersPerZone: 3, jobsPerCluster: 12 });
    assert.deepEqual(plain.clusters.map((c) => c.jobs), generateDataset({ seed: 2, zones: ['jn1a'], clustersPerZone: 3, jobsPerCluster: 12, idleCluster: false }).clusters.map((c) => c.jobs));
    assert.ok(plain.clusters[2].jobs.some((j) => j.job_status === 'running' || j.job_status === 'pending'), 'without the option, the last cluster is as generated');
    assert.ok(single.clusters[0].jobs.some((j) => j.job_status === 'running' || j.job_status === 'pending'), 'a lone cluster stays busy');
  });

  it('the idle cluster stays idle when generated jobs move (as in npm start), and the other clusters\' data is as before', async () => {
    const clock = manualClock(START);
    const sim = await startSimulator({ zones: ['jn1a'], clustersPerZone: 3, now: clock.now, idleCluster: true, lifecycle: { moveGeneratedJobs: true } });
    started.push(sim);
    const idle = sim.clusters('jn1a')[2];
    assert.equal(idle.running_job_count + idle.pending_job_count, 0);
    clock.advance(10 * 60_000);
    const later = sim.clusters('jn1a')[2];
    assert.equal(later.running_job_count + later.pending_job_count, 0);
    assert.equal(later.cluster_status, 'active');
    assert.equal(later.paid_type, 'PayForUsed');
  });
});

describe('simulator: a queue\'s detail and where jobs run', () => {
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  async function setup() {
    const clock = manualClock(START);
    const sim = await startSimulator({
      zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: 40, now: clock.now, clusterPowerMs: 1000,
      lifecycle: { startAfterMs: 1000, runMs: 60_000 },
    });
    started.push(sim);
    const id = sim.clusters('jn1a')[0].cluster_id;
    const get = (path: string, params: Record<string, string | number>) => call(sim, 'GET', path, { zone: 'jn1a', ...params }, undefined, { now: clock.now() });
    const describe = (queueId: string) => get('/api/queue/describeQueue', { cluster_id: id, id: queueId });
    return { sim, clock, id, get, describe };
  }

  it('describes a queue as the docs show it, with its load: nrun, npend, njobs, total and available slots', async () => {
    const t = await setup();
    for (const queue of t.sim.queues('jn1a', t.id)) {
      const res = await t.describe(queue.hpcqueue_id);
      assert.equal(res.json.ret_code, 0, JSON.stringify(res.json));
      assert.equal(res.json.action, 'HpcQueueDescribeQueueResponse');
      assert.equal(res.json.detail.length, 1);
      const detail = res.json.detail[0];
      const jobs = t.sim.jobs('jn1a', t.id).filter((j) => j.queue_name === queue.partition_name);
      const running = jobs.filter((j) => j.job_status === 'running');
      const pending = jobs.filter((j) => j.job_status === 'pending');
      const nodes = queue.node_info.length;
      const slots = queue.spec_detail.unit_cpu_num * nodes;
      assert.equal(detail.hpcqueue_id, queue.hpcqueue_id);
      assert.equal(detail.name, queue.name);
      assert.equal(detail.scheduler_queue_name, queue.partition_name);
      assert.equal(detail.cluster_id, t.id);
      assert.equal(detail.node_num, nodes);
      assert.deepEqual(detail.node_list, queue.nodelist);
      assert.equal(detail.nrun, running.length, queue.partition_name);
      assert.equal(detail.npend, pending.length);
      assert.equal(detail.nstop, 0);
      assert.equal(detail.njobs, running.length + pending.length);
      assert.equal(detail.total_slots, slots);
      assert.equal(detail.avail_slots, Math.max(0, slots - running.reduce((n, j) => n + j.core_limit, 0)));
      assert.equal(detail.total_mems, queue.spec_detail.unit_mem_size * nodes);
      assert.equal(detail.spec_detail.cpu_num, queue.spec_detail.cpu_num);
    }
    const someLoad = await Promise.all(t.sim.queues('jn1a', t.id).map((q) => t.describe(q.hpcqueue_id)));
    assert.ok(someLoad.some((r) => r.json.detail[0].nrun > 0), 'the generated data runs something');
  });

  it('answers an unknown queue or one of another cluster 2100, a missing id 1100', async () => {
    const t = await setup();
    const other = t.sim.queues('jn1a', t.sim.clusters('jn1a')[1].cluster_id)[0].hpcqueue_id;
    assert.equal((await t.describe('ehpcq-nosuchq0')).json.ret_code, 2100);
    assert.equal((await t.describe(other)).json.ret_code, 2100);
    assert.equal((await t.get('/api/queue/describeQueue', { cluster_id: t.id })).json.ret_code, 1100);
    assert.equal((await t.get('/api/queue/describeQueue', { cluster_id: 'ehpc-nosuchcl', id: other })).json.ret_code, 2100);
  });

  it('running jobs carry job_node_list: compute nodes of their queue, named as listNodes names them', async () => {
    const t = await setup();
    const nodes = (await t.get('/api/cluster/listNodes', { cluster_id: t.id, limit: 100 })).json.hpc_app_nodes_set as { name: string; role: string }[];
    const computeNames = new Set(nodes.filter((n) => n.role === 'compute').map((n) => n.name));
    const listed = (await t.get('/api/job/list', { cluster_id: t.id, job_status: 'running', limit: 100 })).json.hpc_job_set as Record<string, unknown>[];
    assert.ok(listed.length > 0);
    for (const job of listed) {
      assert.equal(typeof job.job_node_list, 'string', JSON.stringify(job));
      const names = JSON.parse(job.job_node_list as string) as string[];
      assert.ok(names.length >= 1 && names.every((n) => computeNames.has(n)), job.job_node_list as string);
    }
    // A submitted job gets its nodes when it starts.
    const submitted = await call(t.sim, 'POST', '/api/job/submitJob', {}, {
      zone: 'jn1a', cluster_id: t.id, name: 'wide', run_user: 'admin', cmd_line: 'sleep 10', core_limit: 2,
    }, { now: t.clock.now() });
    const uuid = submitted.json.hpcjob_uuid as string;
    const detail = async () => (await t.get(`/api/job/jobdetail/${uuid}`, { cluster_id: t.id })).json.hpc_job_set[0] as Record<string, unknown>;
    assert.equal((await detail()).job_node_list, undefined, 'not while pending');
    t.clock.advance(1000);
    const running = await detail();
    assert.equal(running.job_status, 'running');
    const queue = t.sim.queues('jn1a', t.id)[0];
    const names = JSON.parse(running.job_node_list as string) as string[];
    assert.equal(names.length, 1);
    assert.ok(computeNames.has(names[0]));
    const first = nodes.findIndex((n) => n.role === 'compute');
    const queueNodeNames = nodes.slice(first, first + queue.node_info.length).map((n) => n.name);
    assert.ok(queueNodeNames.includes(names[0]), `${names[0]} is a node of the default queue (${queueNodeNames.join(', ')})`);
  });

  it('a stopped cluster\'s queue has no free slots and no load', async () => {
    const t = await setup();
    const queue = t.sim.queues('jn1a', t.id)[0];
    await call(t.sim, 'POST', '/api/cluster/stopCluster', {}, { zone: 'jn1a', cluster_ids: [t.id] }, { now: t.clock.now() });
    t.clock.advance(1000);
    const detail = (await t.describe(queue.hpcqueue_id)).json.detail[0];
    assert.equal(detail.avail_slots, 0);
    assert.equal(detail.nrun + detail.npend, 0);
  });
});

describe('simulator: the hourly call quota', () => {
  it('counts every call, the new ones too, and answers 2500 past it until the hour has moved on', async () => {
    const clock = manualClock(START);
    const sim = await startSimulator({ zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: 4, now: clock.now, clusterPowerMs: 1000, hourlyCallQuota: 4 });
    try {
      const id = sim.clusters('jn1a')[0].cluster_id;
      const queue = sim.queues('jn1a', id)[0].hpcqueue_id;
      const signed = (method: 'GET' | 'POST', path: string, params: Record<string, string>, body?: unknown) =>
        call(sim, method, path, { zone: 'jn1a', ...params }, body, { now: clock.now() });
      const stop = () => signed('POST', '/api/cluster/stopCluster', {}, { zone: 'jn1a', cluster_ids: [id] });
      assert.equal((await stop()).json.ret_code, 0);
      clock.advance(1000);
      assert.equal((await signed('POST', '/api/cluster/startCluster', {}, { zone: 'jn1a', cluster_ids: [id] })).json.ret_code, 0);
      clock.advance(1000);
      assert.equal((await signed('GET', '/api/queue/describeQueue', { cluster_id: id, id: queue })).json.ret_code, 0);
      assert.equal((await signed('GET', '/api/cluster/list', {})).json.ret_code, 0);
      const over = await stop();
      assert.equal(over.json.ret_code, 2500);
      assert.match(over.json.message, /quota/);
      assert.equal(sim.clusters('jn1a')[0].transition_status, '', 'refused for the quota: nothing done');
      assert.equal((await signed('GET', '/api/cluster/list', {})).json.ret_code, 2500);
      clock.advance(60 * 60_000 - 2000);
      assert.equal((await stop()).json.ret_code, 0, 'an hour after the first call, one call is free again');
      assert.equal((await signed('GET', '/api/cluster/list', {})).json.ret_code, 2500);
    } finally {
      await sim.close();
    }
  });
});
