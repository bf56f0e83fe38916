// The simulator's GET /api/cluster/listNodes over real HTTP: every cluster has one login node
// (reached on this machine), one controller and the compute nodes of its queues.
import * as assert from 'assert/strict';
import { generateDataset } from '../../simulator/data';
import { startSimulator, type Simulator } from '../../simulator/server';
import { call } from './support/simulatorCall';

const ZONE = 'jn1a';

describe('simulator: the nodes of a cluster', () => {
  let sim: Simulator;
  let clusterId: string;
  before(async () => {
    sim = await startSimulator({ zones: [ZONE, 'jn1b'], clustersPerZone: 3, jobsPerCluster: 12 });
    clusterId = sim.clusters(ZONE)[0].cluster_id;
  });
  after(() => sim.close());

  const listNodes = (params: Record<string, string | number>) => call(sim, 'GET', '/api/cluster/listNodes', { zone: ZONE, ...params });

  it('lists one login node on 127.0.0.1, one controller and a compute node per node of each queue', async () => {
    const res = await listNodes({ cluster_id: clusterId, limit: 100 });
    assert.equal(res.json.ret_code, 0);
    assert.equal(res.json.action, 'HpcClusterGetClusterNodesResponse');
    const nodes = res.json.hpc_app_nodes_set as Record<string, unknown>[];
    const queueNodes = sim.queues(ZONE, clusterId).reduce((n, q) => n + q.node_info.length, 0);
    assert.equal(res.json.total_count, 2 + queueNodes);
    assert.equal(nodes.length, 2 + queueNodes);
    assert.deepEqual(nodes.map((n) => n.role), ['login', 'controller', ...Array<string>(queueNodes).fill('compute')]);
    const [login, controller] = nodes;
    assert.equal(login.eip, '127.0.0.1');
    assert.equal(login.private_ip, '127.0.0.1');
    assert.equal(login.status, 'active');
    assert.equal(login.health_status, 'healthy');
    assert.equal(controller.eip, '');
    assert.match(String(controller.private_ip), /^172\.20\.\d+\.\d+$/);
    for (const node of nodes) {
      assert.match(String(node.node_id), /^cln-[a-z0-9]{8}$/);
      // The platform's id, not the EHPC cluster's.
      assert.match(String(node.cluster_id), /^cl-[a-z0-9]{8}$/);
      assert.equal(node.cluster_id, login.cluster_id);
      assert.ok(typeof node.cpu === 'number' && typeof node.memory === 'number' && typeof node.gpu === 'number');
      assert.equal(typeof node.name, 'string');
    }
    assert.deepEqual(sim.nodes(ZONE, clusterId), nodes);
  });

  it('pages with limit and offset, filters by status and by a word of the name', async () => {
    const all = (await listNodes({ cluster_id: clusterId, limit: 100 })).json.hpc_app_nodes_set as Record<string, unknown>[];
    const first = await listNodes({ cluster_id: clusterId, limit: 2 });
    assert.deepEqual(first.json.hpc_app_nodes_set, all.slice(0, 2));
    assert.equal(first.json.total_count, all.length);
    const rest = await listNodes({ cluster_id: clusterId, limit: 100, offset: 2 });
    assert.deepEqual(rest.json.hpc_app_nodes_set, all.slice(2));
    const byDefault = await listNodes({ cluster_id: clusterId });
    assert.equal((byDefault.json.hpc_app_nodes_set as unknown[]).length, Math.min(10, all.length));
    const login = await listNodes({ cluster_id: clusterId, search_word: '登录' });
    assert.deepEqual((login.json.hpc_app_nodes_set as Record<string, unknown>[]).map((n) => n.role), ['login']);
    assert.equal((await listNodes({ cluster_id: clusterId, status: 'stopped' })).json.total_count, 0);
    assert.equal((await listNodes({ cluster_id: clusterId, status: 'active' })).json.total_count, all.length);
  });

  it('without cluster_id lists the nodes of every cluster of the zone, each cluster with its own platform id', async () => {
    const res = await listNodes({ limit: 100 });
    const nodes = res.json.hpc_app_nodes_set as Record<string, unknown>[];
    const clusters = sim.clusters(ZONE);
    assert.equal(nodes.filter((n) => n.role === 'login').length, clusters.length);
    assert.equal(new Set(nodes.map((n) => n.cluster_id)).size, clusters.length);
  });

  it('answers an unknown cluster, a bad limit and an unsigned call as the other actions do, and logs each', async () => {
    assert.equal((await listNodes({ cluster_id: 'ehpc-nosuchcl' })).json.ret_code, 2100);
    assert.equal((await listNodes({ cluster_id: clusterId, limit: 'many' })).json.ret_code, 1100);
    const unsigned = await fetch(`${sim.endpoint}/api/cluster/listNodes?zone=${ZONE}&cluster_id=${clusterId}`);
    const refused = (await unsigned.json()) as Record<string, unknown>;
    assert.notEqual(refused.ret_code, 0);
    assert.equal(refused.hpc_app_nodes_set, undefined);
    const recorded = sim.requests.filter((r) => r.path === '/api/cluster/listNodes');
    assert.ok(recorded.length >= 3, 'each call is in the request log');
  });

  it('keeps every seed\'s jobs, users and queues as they were before nodes existed', () => {
    const data = generateDataset({ seed: 11 });
    const again = generateDataset({ seed: 11 });
    assert.deepEqual(data, again);
    for (const cluster of data.clusters) {
      assert.equal(cluster.nodes.filter((n) => n.role === 'login').length, 1);
    }
  });
});
