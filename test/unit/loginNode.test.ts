// The login node a job's output is read from: listNodes, page by page, until a node has the
// role `login`; its public address when one is bound, as the docs and other resources send it.
import * as assert from 'assert/strict';
import { EhpcClient } from '../../src/ehpc/client';
import { parseMachinePage } from '../../src/ehpc/parse';
import { rawServer, rejects } from './support/clientTesting';

const credentials = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };

function node(id: string, role: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { node_id: id, name: id, role, status: 'active', private_ip: '172.20.0.3', cluster_id: 'cl-1', ...extra };
}

describe('the login node of a cluster', () => {
  it('reads the public IP as a string or an object, and none when it is empty', () => {
    const page = parseMachinePage({
      ret_code: 0,
      total_count: 3,
      hpc_app_nodes_set: [node('cln-1', 'login', { eip: '139.198.1.2' }), node('cln-2', 'login', { eip: { eip_addr: '139.198.1.3' } }), node('cln-3', 'compute', { eip: '' })],
    });
    assert.deepEqual(page.items.map((n) => n.eip), ['139.198.1.2', '139.198.1.3', undefined]);
    assert.deepEqual(page.items.map((n) => n.privateIp), ['172.20.0.3', '172.20.0.3', '172.20.0.3']);
  });

  it('pages until a login node is found, and stops there', async () => {
    const offsets: string[] = [];
    const server = await rawServer((req, res) => {
      const query = new URL(req.url ?? '', 'http://x').searchParams;
      offsets.push(query.get('offset') ?? '');
      assert.equal(query.get('cluster_id'), 'ehpc-abc');
      const offset = Number(query.get('offset'));
      const set = offset === 0 ? Array.from({ length: 100 }, (_, i) => node(`cln-c${i}`, 'compute')) : [node('cln-l', 'login', { eip: '139.198.1.2' }), node('cln-x', 'compute')];
      res.end(JSON.stringify({ ret_code: 0, total_count: 250, hpc_app_nodes_set: set }));
    });
    try {
      const client = new EhpcClient({ endpoint: server.endpoint, credentials, retry: { attempts: 1 } });
      const login = await client.loginNode('jn1a', 'ehpc-abc');
      assert.equal(login?.nodeId, 'cln-l');
      assert.equal(login?.eip, '139.198.1.2');
      assert.deepEqual(offsets, ['0', '100']);
    } finally {
      await server.close();
    }
  });

  it('answers none when no node is a login node, after the last page', async () => {
    let calls = 0;
    const server = await rawServer((_req, res) => {
      calls++;
      res.end(JSON.stringify({ ret_code: 0, total_count: 1, hpc_app_nodes_set: [node('cln-c', 'compute')] }));
    });
    try {
      const client = new EhpcClient({ endpoint: server.endpoint, credentials, retry: { attempts: 1 } });
      assert.equal(await client.loginNode('jn1a', 'ehpc-abc'), undefined);
      assert.equal(calls, 1);
    } finally {
      await server.close();
    }
  });

  it('refuses a node without an id', async () => {
    const server = await rawServer((_req, res) => res.end(JSON.stringify({ ret_code: 0, total_count: 1, hpc_app_nodes_set: [{ role: 'login' }] })));
    try {
      const client = new EhpcClient({ endpoint: server.endpoint, credentials, retry: { attempts: 1 } });
      await rejects(client.loginNode('jn1a', 'ehpc-abc'), 'badResponse');
    } finally {
      await server.close();
    }
  });
});
