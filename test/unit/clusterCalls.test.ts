// The calls about clusters themselves: start and stop (asynchronous, answered by an operation
// id), a queue's load, and every node of a cluster. Against a server that answers as each test wants.
import * as assert from 'assert/strict';
import { EhpcClient } from '../../src/ehpc/client';
import { rawServer, rejects } from './support/clientTesting';

interface Received {
  method: string;
  url: URL;
  body?: Record<string, unknown>;
}

describe('EhpcClient: cluster start and stop, queue load, nodes', () => {
  const credentials = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };
  let server: Awaited<ReturnType<typeof rawServer>>;
  let answer: (request: Received) => unknown;
  let received: Received[];
  let client: EhpcClient;

  before(async () => {
    server = await rawServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += String(chunk)));
      req.on('end', () => {
        const request = { method: req.method ?? '', url: new URL(req.url ?? '/', 'http://localhost'), body: text ? JSON.parse(text) : undefined };
        received.push(request);
        res.end(JSON.stringify(answer(request)));
      });
    });
  });
  after(() => server.close());
  beforeEach(() => {
    received = [];
    client = new EhpcClient({ endpoint: server.endpoint, credentials, retry: { attempts: 1 } });
  });

  describe('startClusters and stopClusters', () => {
    it('POST the zone\'s cluster ids, once, and answer the operation id', async () => {
      answer = () => ({ action: 'HpcClusterStopClusterResponse', job_id: 'j-4r4p74l1mi8', ret_code: 0 });
      assert.equal(await client.stopClusters('jn1a', ['ehpc-a1', 'ehpc-b2']), 'j-4r4p74l1mi8');
      answer = () => ({ action: 'HpcClusterStartClusterResponse', job_id: 'j-5lggvldskpm', ret_code: 0 });
      assert.equal(await client.startClusters('pek3', ['ehpc-c3']), 'j-5lggvldskpm');
      assert.deepEqual(received.map((r) => [r.method, r.url.pathname, r.body]), [
        ['POST', '/api/cluster/stopCluster', { cluster_ids: ['ehpc-a1', 'ehpc-b2'], zone: 'jn1a' }],
        ['POST', '/api/cluster/startCluster', { cluster_ids: ['ehpc-c3'], zone: 'pek3' }],
      ]);
    });

    it('read the operation id as job_ids too, a string or a one-element array', async () => {
      for (const body of [{ job_ids: 'j-abc1' }, { job_ids: ['j-abc1'] }, { job_id: '', job_ids: 'j-abc1' }]) {
        answer = () => ({ ret_code: 0, ...body });
        assert.equal(await client.stopClusters('jn1a', ['ehpc-a1']), 'j-abc1', JSON.stringify(body));
      }
    });

    it('fail closed on an answer without a usable operation id, and never send twice', async () => {
      const bodies = [{}, { job_id: '' }, { job_id: 42 }, { job_ids: [] }, { job_ids: ['j-a1', 'j-b2'] }, { job_ids: [7] }, { job_id: 'j-../x' }, { job_uuid: 'j-abc1' }];
      for (const body of bodies) {
        answer = () => ({ ret_code: 0, ...body });
        const error = await rejects(client.startClusters('jn1a', ['ehpc-a1']), 'badResponse');
        assert.match(error.message, /start or stop/);
      }
      assert.equal(received.length, bodies.length, 'one request per call');
    });

    it('refuse cluster ids that are empty, repeated, too many or of the wrong form, before sending', async () => {
      await rejects(client.stopClusters('jn1a', []), 'badRequest');
      await rejects(client.stopClusters('jn1a', ['ehpc-a1', 'ehpc-a1']), 'badRequest');
      await rejects(client.stopClusters('jn1a', Array.from({ length: 101 }, (_, i) => `ehpc-c${i}`)), 'badRequest');
      await rejects(client.stopClusters('jn1a', ['../x']), 'badRequest');
      await rejects(client.startClusters('JN 1', ['ehpc-a1']), 'badRequest');
      assert.equal(received.length, 0);
    });

    it('report a refusal of the service as its error', async () => {
      answer = () => ({ ret_code: 1400, message: 'permission denied' });
      await rejects(client.stopClusters('jn1a', ['ehpc-a1']), 'denied', 1400);
    });
  });

  describe('describeQueue', () => {
    const detail = {
      avail_gpus: 0, avail_mems: 4, avail_slots: 2, cluster_id: 'ehpc-cch2t15o', free_slots: '', hpcqueue_id: 'ehpcq-rdvf195w', name: '共享队列', njobs: 3, npend: 1, nrun: 2, total_slots: 8,
    };

    it('GETs the queue by cluster_id and id, and reads running, pending and free slots', async () => {
      answer = () => ({ action: 'HpcQueueDescribeQueueResponse', detail: [detail], ret_code: 0 });
      assert.deepEqual(await client.describeQueue('jn1a', 'ehpc-cch2t15o', 'ehpcq-rdvf195w'), {
        queueId: 'ehpcq-rdvf195w', name: '共享队列', runningJobs: 2, pendingJobs: 1, freeSlots: 2, totalSlots: 8,
      });
      const [request] = received;
      assert.equal(request.method, 'GET');
      assert.equal(request.url.pathname, '/api/queue/describeQueue');
      assert.deepEqual(['zone', 'cluster_id', 'id'].map((key) => request.url.searchParams.get(key)), ['jn1a', 'ehpc-cch2t15o', 'ehpcq-rdvf195w']);
    });

    it('prefers free_slots when it is a count, and leaves out figures the answer lacks', async () => {
      answer = () => ({ ret_code: 0, detail: [{ ...detail, free_slots: 5 }] });
      assert.equal((await client.describeQueue('jn1a', 'ehpc-a1', 'ehpcq-rdvf195w')).freeSlots, 5);
      answer = () => ({ ret_code: 0, detail: { hpcqueue_id: 'ehpcq-rdvf195w', nrun: 'many', npend: -1 } });
      assert.deepEqual(await client.describeQueue('jn1a', 'ehpc-a1', 'ehpcq-rdvf195w'), { queueId: 'ehpcq-rdvf195w', name: 'ehpcq-rdvf195w' });
    });

    it('refuses an answer without the queue, or about another queue', async () => {
      for (const body of [{}, { detail: [] }, { detail: ['x'] }, { detail: [{ ...detail, hpcqueue_id: 'ehpcq-other' }] }]) {
        answer = () => ({ ret_code: 0, ...body });
        await rejects(client.describeQueue('jn1a', 'ehpc-a1', 'ehpcq-rdvf195w'), 'badResponse');
      }
    });

    it('refuses a queue id of the wrong form before sending', async () => {
      await rejects(client.describeQueue('jn1a', 'ehpc-a1', '../q'), 'badRequest');
      assert.equal(received.length, 0);
    });
  });

  describe('listNodes', () => {
    const node = (id: string, role: string, extra: Record<string, unknown> = {}) => ({ node_id: id, name: id, role, status: 'active', private_ip: '172.20.0.2', ...extra });

    it('reads every node of every page: role, status, health, cores, memory, GPUs and both addresses', async () => {
      answer = ({ url }) => {
        const offset = Number(url.searchParams.get('offset'));
        const set = offset === 0
          ? [node('cln-login', 'login', { health_status: 'healthy', cpu: 2, memory: 2048, gpu: 0, eip: '139.198.1.2' }), ...Array.from({ length: 99 }, (_, i) => node(`cln-c${i}`, 'compute'))]
          : [node('cln-ctl', 'controller', { cpu: '4', memory: 8192, gpu: 1 })];
        return { ret_code: 0, total_count: 101, hpc_app_nodes_set: set };
      };
      const nodes = await client.listNodes('jn1a', 'ehpc-a1');
      assert.equal(nodes.length, 101);
      assert.deepEqual(nodes[0], {
        nodeId: 'cln-login', name: 'cln-login', role: 'login', status: 'active', privateIp: '172.20.0.2', eip: '139.198.1.2', health: 'healthy', cores: 2, memoryMb: 2048, gpus: 0,
      });
      assert.deepEqual(nodes[100], { nodeId: 'cln-ctl', name: 'cln-ctl', role: 'controller', status: 'active', privateIp: '172.20.0.2', eip: undefined, cores: 4, memoryMb: 8192, gpus: 1 });
      assert.deepEqual(received.map((r) => [r.url.pathname, r.url.searchParams.get('cluster_id'), r.url.searchParams.get('offset')]), [
        ['/api/cluster/listNodes', 'ehpc-a1', '0'],
        ['/api/cluster/listNodes', 'ehpc-a1', '100'],
      ]);
    });

    it('leaves out what a node does not tell, and shows a node with odd figures rather than failing', async () => {
      answer = () => ({ ret_code: 0, total_count: 1, hpc_app_nodes_set: [node('cln-x', 'compute', { cpu: -2, memory: 'big', gpu: null, health_status: 7 })] });
      const [only] = await client.listNodes('jn1a', 'ehpc-a1');
      assert.deepEqual(Object.keys(only).filter((key) => ['health', 'cores', 'memoryMb', 'gpus'].includes(key)), []);
    });
  });
});
