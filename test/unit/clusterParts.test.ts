// A cluster's Queues and Nodes rows: job_node_list read tolerantly, the rows' texts, and the
// lists fetched only when a row is expanded, once, again after a refresh.
import './support/fakeVscode';
import * as assert from 'assert/strict';
import type * as vscode from 'vscode';
import { parseNodeList } from '../../src/ehpc/nodeList';
import { parseJobPage } from '../../src/ehpc/parse';
import { Cluster, ClusterMachine, Job, Queue, QueueLoad } from '../../src/ehpc/types';
import type { Accounts } from '../../src/accounts/registry';
import { BusyMarks } from '../../src/tree/busyMarks';
import { clusterTooltip } from '../../src/tree/items';
import { ClusterModel } from '../../src/tree/model';
import { ClusterNode, MachineNode, MessageNode, QueueNode } from '../../src/tree/nodes';
import { jobsByMachine, machineDescription, machineItem, queueDescription, queueItem } from '../../src/tree/partItems';
import { ClusterTreeProvider } from '../../src/tree/provider';
import { clusterStatusLabel, jobStatusLabel, nodeHealthLabel, nodeRoleLabel } from '../../src/text/statusLabels';
import { partRows } from './support/partRows';
import { jobTooltip } from '../../src/tree/jobTooltip';

describe('job_node_list', () => {
  it('reads a JSON array in a string (the simulator), an array, and Slurm host lists', () => {
    assert.deepEqual(parseNodeList('["cn1","cn2"]'), ['cn1', 'cn2']);
    assert.deepEqual(parseNodeList(['cn1', 3, 'cn2']), ['cn1', 'cn2']);
    assert.deepEqual(parseNodeList('cn1,cn2 cn3'), ['cn1', 'cn2', 'cn3']);
    assert.deepEqual(parseNodeList('cn[08-10,3],gpu1'), ['cn08', 'cn09', 'cn10', 'cn3', 'gpu1']);
    assert.deepEqual(parseNodeList('计算节点1'), ['计算节点1']);
  });

  it('reads anything else as no nodes, never failing', () => {
    for (const value of [undefined, null, 42, '', '[]', '[1,2]', '{"a":1}', 'cn[1-', 'cn[a-b]', '[[', {}]) {
      assert.deepEqual(parseNodeList(value), [], JSON.stringify(value) ?? 'undefined');
    }
    assert.deepEqual(parseNodeList('["a","a"," b "]'), ['a', 'b']);
  });

  it('a list naming more nodes than any cluster has is unknown, never expanded; a large real one still reads', () => {
    // 64 KB of huge ranges: the most a listed job keeps, millions of names if expanded.
    let hostile = '';
    for (let i = 0; hostile.length < 64 * 1024 - 20; i++) {
      hostile += `n${i}[0-99999999],`;
    }
    const page = parseJobPage({ total_count: 1, hpc_job_set: [{ hpcjob_uuid: 'hpcjob-x', job_status: 'running', job_node_list: hostile }] }, 'pek3', 'ehpc-a');
    assert.ok(String(page.items[0].nodeList).length > 60_000);
    assert.deepEqual(parseNodeList(page.items[0].nodeList), []);
    assert.deepEqual(parseNodeList('cn[1-99999999]'), []);
    assert.deepEqual(parseNodeList('cn[1-5000],gpu[1-5001]'), []);
    assert.deepEqual(parseNodeList('cn[99999999999999999998-99999999999999999999]'), []);
    assert.deepEqual(parseNodeList(JSON.stringify(Array.from({ length: 10_001 }, (_, i) => `cn${i}`))), []);
    assert.deepEqual(parseNodeList(Array.from({ length: 10_001 }, (_, i) => `cn${i}`)), []);
    const large = parseNodeList('cn[00001-10000]');
    assert.equal(large.length, 10_000);
    assert.deepEqual([large[0], large[9_999]], ['cn00001', 'cn10000']);
    assert.deepEqual(parseNodeList('cn[1-3],gpu1,cn[5-4]'), ['cn1', 'cn2', 'cn3', 'gpu1']);
  });

  it('a listed job keeps job_node_list as sent, text or a list of names, and nothing else', () => {
    const sent = ['["cn1"]', ['cn1', 'cn2'], '', '  ', 42, ['cn1', 7], null];
    const page = parseJobPage({ total_count: sent.length, hpc_job_set: sent.map((list, i) => ({ hpcjob_uuid: `hpcjob-${i}`, job_node_list: list })) }, 'pek3', 'ehpc-a');
    assert.deepEqual(page.items.map((job) => job.nodeList), ['["cn1"]', ['cn1', 'cn2'], undefined, undefined, undefined, undefined, undefined]);
    assert.equal('nodeList' in page.items[2], false);
  });
});

const queue: Queue = { queueId: 'ehpcq-1', name: 'normal', partitionName: 'compute', isDefault: true, coresPerNode: 8, memPerNodeGb: 32, nodeCount: 2 };
const load: QueueLoad = { queueId: 'ehpcq-1', name: 'normal', runningJobs: 2, pendingJobs: 1, freeSlots: 12 };
const machine: ClusterMachine = { nodeId: 'cln-1', name: 'cn1', role: 'compute', status: 'active', health: 'healthy', cores: 8, memoryMb: 32768, privateIp: '10.0.0.5' };
const job = (id: string, status: Job['status'], nodeList?: string | string[]): Job => ({ account: 'a', zone: 'pek3', clusterId: 'ehpc-a', hpcjobUuid: id, name: id, status, ...(nodeList ? { nodeList } : {}) });

describe('the Queues and Nodes rows say', () => {
  it('a queue: partition, default, cores per node, and its load when known', () => {
    assert.equal(queueDescription(queue, load), 'compute · default · 8 cores/node · 2 running, 1 pending, 12 free slots');
    assert.equal(queueDescription({ ...queue, partitionName: 'normal', isDefault: false }, undefined), '8 cores/node');
    assert.equal(queueDescription(queue, { queueId: 'ehpcq-1', name: 'normal', freeSlots: 1 }), 'compute · default · 8 cores/node · 1 free slot');
  });

  it('a page of running jobs each naming 10,000 nodes: none is expanded on a small cluster, and all together stop at 10,000 names', () => {
    const hostile = Array.from({ length: 100 }, (_, i) => job(`hpcjob-${i}`, 'running', `x${i}n[0-9999]`));
    assert.equal(jobsByMachine(hostile, 14).size, 0);
    const big = Array.from({ length: 3 }, (_, i) => job(`hpcjob-${i}`, 'running', `n[${i * 10}-${i * 10 + 5999}]`));
    const byName = jobsByMachine(big, 20_000);
    assert.deepEqual(byName.get('n0')?.map((j) => j.hpcjobUuid), ['hpcjob-0'], 'the first list read');
    assert.equal(byName.get('n6005'), undefined, 'the second would pass 10,000 names in all: not read');
    assert.ok(byName.size <= 10_000);
  });

  it('a node: role, status, health, and how many loaded jobs run on it', () => {
    const jobs = [job('hpcjob-1', 'running', '["cn1","cn2"]'), job('hpcjob-2', 'running', 'cn[2-3]'), job('hpcjob-3', 'finished', ['cn1']), job('hpcjob-4', 'pending')];
    const on = jobsByMachine(jobs, 3).get(machine.name) ?? [];
    assert.deepEqual(on.map((j) => j.hpcjobUuid), ['hpcjob-1']);
    assert.deepEqual(jobsByMachine(jobs, 3).get('cn2')?.map((j) => j.hpcjobUuid), ['hpcjob-1', 'hpcjob-2']);
    assert.deepEqual([...jobsByMachine(jobs, 1).keys()], [], 'a list naming more nodes than the cluster has is not believed');
    assert.equal(machineDescription(machine, on), 'compute · active · healthy · 1 job');
    assert.equal(machineDescription({ nodeId: 'x', name: 'x', role: 'login', status: 'stopped' }, []), 'login · shut down');
  });

  it('a node\'s and a queue\'s tooltips show server text as text: no link, image or markup of its own', () => {
    const hostile = '[Renew your key](https://evil.example/login) ![](https://tracker.example/p.png) <b>x</b> https://bare.example *em*';
    const clusterNode: ClusterNode = { kind: 'cluster', cluster: { account: 'a', zone: 'pek3', clusterId: 'ehpc-a', name: 'a', status: 'active' }, parent: undefined };
    const hostileMachine: ClusterMachine = { nodeId: `cln-1\` ${hostile} \``, name: hostile, role: hostile, status: hostile, health: hostile, privateIp: `10.0.0.5\` ${hostile} \``, eip: hostile };
    const hostileJob = { ...job('hpcjob-1', 'running'), name: hostile };
    const node = machineItem({ kind: 'machine', machine: hostileMachine, jobs: [hostileJob], parent: { kind: 'machines', parent: clusterNode } });
    const hostileQueue: Queue = { ...queue, queueId: `q\`${hostile}`, name: hostile, partitionName: hostile };
    const queueRow = queueItem({ kind: 'queue', queue: hostileQueue, loadError: hostile, parent: { kind: 'queues', parent: clusterNode } });
    for (const tooltip of [node.tooltip, queueRow.tooltip] as vscode.MarkdownString[]) {
      assert.ok(!tooltip.isTrusted);
      assert.ok(!tooltip.supportHtml);
      assert.ok(tooltip.value.includes('\\[Renew your key\\]\\(https\\:'), tooltip.value);
      // Once escaped characters and whole code spans are taken out, no markup is left.
      const bare = tooltip.value.replace(/\\./g, '').replace(/`[^`\n]*`/g, '').replace(/^\*\*(.*)\*\*/, '$1');
      assert.doesNotMatch(bare, /[[\]()!<>`*]|:\/\/|www\./, tooltip.value);
    }
    const plain = machineItem({ kind: 'machine', machine: { ...machine, eip: '1.2.3.4' }, jobs: [], parent: { kind: 'machines', parent: clusterNode } });
    assert.match((plain.tooltip as vscode.MarkdownString).value, /Node ID: `cln-1`.*\n.*Public IP: `1\.2\.3\.4`.*\nPrivate IP: `10\.0\.0\.5`/s);
  });

  it('a job\'s and a cluster\'s tooltips keep their ids and times as text too', () => {
    const hostile = 'x` [link](https://evil.example) `';
    const jobTip = jobTooltip({ ...job('hpcjob-1', 'running'), hpcjobUuid: hostile, submittedTime: `2026 ${hostile}`, startedTime: hostile }, false);
    const clusterTip = clusterTooltip({ account: 'a', zone: 'pek3', clusterId: hostile, name: 'a', status: 'active' });
    for (const tooltip of [jobTip, clusterTip]) {
      const bare = tooltip.value.replace(/\\./g, '').replace(/`[^`\n]*`/g, '').replace(/^\*\*(.*)\*\*/, '$1');
      assert.doesNotMatch(bare, /[[\]()!<>`*]|:\/\//, tooltip.value);
    }
    assert.match(jobTooltip(job('hpcjob-1', 'running'), false).value, /Job ID: `hpcjob-1`/);
  });

  it('the words for states, roles and health: known ones translated, others as sent, whatever their name', () => {
    assert.deepEqual(['active', 'pending', 'stopped', 'suspended', 'unknown', '', 'resizing', 'constructor', 'toString'].map(clusterStatusLabel), ['active', 'creating', 'shut down', 'suspended', 'unknown', 'unknown', 'resizing', 'constructor', 'toString']);
    assert.deepEqual(['login', 'compute', 'controller', '', 'gpu', '__proto__', 'hasOwnProperty'].map(nodeRoleLabel), ['login', 'compute', 'controller', 'unknown', 'gpu', '__proto__', 'hasOwnProperty']);
    assert.deepEqual(['healthy', 'unhealthy', 'degraded', 'valueOf'].map(nodeHealthLabel), ['healthy', 'unhealthy', 'degraded', 'valueOf']);
    const statuses: Job['status'][] = ['pending', 'running', 'finished', 'exited', 'cancelled', 'stopped', 'unknown'];
    assert.deepEqual(statuses.map(jobStatusLabel), statuses);
    assert.equal(jobStatusLabel('constructor' as Job['status']), 'unknown');
  });

  it('the cluster tooltip: how it is paid, and its hours where the list gives them', () => {
    const cluster: Cluster = { account: 'a', zone: 'pek3', clusterId: 'ehpc-a', name: 'a', status: 'active', paidType: 'PayForUsed', cpuHours: 1234.5, memHours: 2 };
    const text = clusterTooltip(cluster).value;
    assert.match(text, /Billing: pay\\-as\\-you\\-go \\\(not billed while stopped\\\)/);
    assert.match(text, /CPU hours: 1,234\\\.5/);
    assert.match(text, /Memory hours: 2 /);
    const reserved = clusterTooltip({ ...cluster, paidType: 'Reserved', cpuHours: undefined, memHours: undefined }).value;
    assert.match(reserved, /Billing: reserved/);
    assert.doesNotMatch(reserved, /hours/);
    assert.doesNotMatch(clusterTooltip({ ...cluster, paidType: undefined }).value, /Billing/);
  });
});

describe('the Queues and Nodes rows fetch', () => {
  const cluster: Cluster = { account: 'a', zone: 'pek3', clusterId: 'ehpc-a', name: 'a', status: 'stopped' };
  const signedIn = { find: () => undefined, connection: () => ({ isSignedIn: () => Promise.resolve(true) }) } as unknown as Pick<Accounts, 'find' | 'connection'>;

  function setUp(failQueues = false, jobs = [job('hpcjob-1', 'running', ['cn1'])], machines: ClusterMachine[] = [{ ...machine, status: 'stopped' }], overrides: object = {}) {
    const calls: string[] = [];
    const client = {
      listAllClusters: () => Promise.resolve([cluster]),
      listJobs: () => Promise.resolve({ items: jobs, totalCount: jobs.length }),
      listAllJobs: () => Promise.resolve([]),
      listQueues: () => (calls.push('listQueues'), failQueues ? Promise.reject(new Error('busy')) : Promise.resolve([queue, { ...queue, queueId: 'ehpcq-2', name: 'gpu' }])),
      describeQueue: (_z: string, _c: string, id: string) => (calls.push(`describeQueue ${id}`), id === 'ehpcq-2' ? Promise.reject(new Error('no load')) : Promise.resolve(load)),
      listNodes: () => (calls.push('listNodes'), Promise.resolve(machines)),
      ...overrides,
    };
    const source = { client: () => Promise.resolve(client) };
    const model = new ClusterModel(source, [{ name: 'a', zones: ['pek3'] }], {}, source);
    const provider = new ClusterTreeProvider(model, signedIn, new BusyMarks(), undefined, partRows);
    return { calls, model, provider };
  }

  it('nothing until a row is expanded; the queues with one describeQueue each; once until refreshed', async () => {
    const { calls, model, provider } = setUp();
    const [clusterNode] = (await provider.getChildren()) as ClusterNode[];
    const children = await provider.getChildren(clusterNode);
    assert.deepEqual(children.slice(0, 2).map((node) => node.kind), ['queues', 'machines']);
    assert.equal(children[2].kind, 'job');
    assert.deepEqual(calls, []);
    const queues = (await provider.getChildren(children[0])) as QueueNode[];
    assert.deepEqual(calls, ['listQueues', 'describeQueue ehpcq-1', 'describeQueue ehpcq-2']);
    assert.deepEqual(queues.map((row) => [row.queue.queueId, row.load?.freeSlots, row.loadError]), [['ehpcq-1', 12, undefined], ['ehpcq-2', undefined, 'no load']]);
    await provider.getChildren(children[0]);
    assert.equal(calls.length, 3);
    model.refresh(clusterNode);
    await provider.getChildren(children[0]);
    assert.equal(calls.length, 6);
  });

  it('a cluster with 500 queues: the first 20 show their load, asked 4 at a time; the others say why they show none', async () => {
    const queues = Array.from({ length: 500 }, (_, i): Queue => ({ ...queue, queueId: `ehpcq-${i + 1}`, name: `q${i + 1}`, isDefault: i === 0 }));
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    const describeQueue = async (_z: string, _c: string, id: string): Promise<QueueLoad> => {
      asked.push(id);
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      if (id === 'ehpcq-3') {
        throw new Error('no load');
      }
      return { ...load, queueId: id };
    };
    const { provider } = setUp(false, undefined, undefined, { listQueues: () => Promise.resolve(queues), describeQueue });
    const [clusterNode] = (await provider.getChildren()) as ClusterNode[];
    const folder = (await provider.getChildren(clusterNode))[0];
    const rows = (await provider.getChildren(folder)) as QueueNode[];
    assert.deepEqual(asked, queues.slice(0, 20).map((q) => q.queueId));
    assert.equal(most, 4);
    assert.equal(rows.length, 500);
    assert.deepEqual(rows.map((row) => row.queue.queueId), queues.map((q) => q.queueId));
    assert.equal(rows[19].load?.queueId, 'ehpcq-20');
    assert.equal(rows[2].loadError, 'no load');
    assert.ok(rows.slice(20).every((row) => row.loadSkipped && !row.load && !row.loadError));
    assert.ok(rows.slice(0, 20).every((row) => !row.loadSkipped));
    const skipped = (provider.getTreeItem(rows[20]).tooltip as vscode.MarkdownString).value;
    assert.match(skipped.replace(/\\(.)/g, '$1'), /Load: not shown: only the first 20 queues of a cluster show their load/);
    assert.doesNotMatch((provider.getTreeItem(rows[0]).tooltip as vscode.MarkdownString).value, /not shown/);
  });

  it('nodes: a shut-down cluster says so first; each node with the loaded jobs on it', async () => {
    const { calls, provider } = setUp();
    const [clusterNode] = (await provider.getChildren()) as ClusterNode[];
    const children = await provider.getChildren(clusterNode);
    const rows = await provider.getChildren(children[1]);
    assert.deepEqual(calls, ['listNodes']);
    assert.equal((rows[0] as MessageNode).text, 'The cluster is shut down, and so are its nodes.');
    assert.deepEqual((rows[1] as MachineNode).jobs.map((j) => j.hpcjobUuid), ['hpcjob-1']);
  });

  it('nodes: each job\'s node list is read once per expansion, however many nodes', async () => {
    let reads = 0;
    const counted = (id: string, list: string): Job => {
      const counting = job(id, 'running');
      Object.defineProperty(counting, 'nodeList', { enumerable: true, get: () => (reads++, list) });
      return counting;
    };
    const jobs = [counted('hpcjob-1', 'cn[1-20]'), counted('hpcjob-2', 'cn[15-30]'), counted('hpcjob-3', '["cn40"]')];
    const machines = Array.from({ length: 40 }, (_, i) => ({ ...machine, nodeId: `cln-${i + 1}`, name: `cn${i + 1}` }));
    const { provider } = setUp(false, jobs, machines);
    const [clusterNode] = (await provider.getChildren()) as ClusterNode[];
    const children = await provider.getChildren(clusterNode);
    reads = 0;
    const rows = (await provider.getChildren(children[1])).filter((row): row is MachineNode => row.kind === 'machine');
    assert.equal(rows.length, 40);
    assert.equal(reads, jobs.length);
    assert.deepEqual(rows[0].jobs.map((j) => j.hpcjobUuid), ['hpcjob-1']);
    assert.deepEqual(rows[16].jobs.map((j) => j.hpcjobUuid), ['hpcjob-1', 'hpcjob-2']);
    assert.deepEqual(rows[30].jobs, []);
    assert.deepEqual(rows[39].jobs.map((j) => j.hpcjobUuid), ['hpcjob-3']);
  });

  it('a failure is an error row with Retry, which lists that part again', async () => {
    const { calls, model, provider } = setUp(true);
    const [clusterNode] = (await provider.getChildren()) as ClusterNode[];
    const folder = (await provider.getChildren(clusterNode))[0];
    const [row] = (await provider.getChildren(folder));
    assert.equal(row.kind, 'message');
    assert.match((row).text, /^Could not list the queues: /);
    assert.equal(provider.getTreeItem(row).command?.command, 'ehpc.retry');
    model.refreshPart(folder as Parameters<ClusterModel['refreshPart']>[0]);
    await provider.getChildren(folder);
    assert.deepEqual(calls, ['listQueues', 'listQueues']);
  });
});
