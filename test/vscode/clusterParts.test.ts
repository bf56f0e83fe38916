// A cluster's Queues and Nodes rows against the simulator: listed only when expanded (counted
// at the simulator), once until refreshed; a node's jobs and Copy IP Address; a stopped
// cluster's nodes; the cluster's tooltip. Then the chat tools that start and stop clusters.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ClusterNode, MachineNode, MessageNode, QueueNode } from '../../src/tree/nodes';
import type { Simulator } from '../../simulator/server';
import { parseNodeList } from '../../src/ehpc/nodeList';
import { children, clusterNodes, jobNodes, setUpSuite } from './helpers';

const PART_PATHS = ['/api/queue/ehpc/getQueueList', '/api/queue/describeQueue', '/api/cluster/listNodes'];

function textOf(result: vscode.LanguageModelToolResult | null | undefined): string {
  assert.ok(result, 'a tool answered nothing');
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

function tooltipOf(item: vscode.TreeItem): string {
  const tooltip = item.tooltip;
  return (typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '')).replace(/\\(.)/g, '$1');
}

describe('a cluster\'s queues and nodes', () => {
  let simulator: Simulator;
  let api: ExtensionApi;

  setUpSuite((s, a) => ([simulator, api] = [s, a]), undefined, { clusterPowerMs: 30 });

  const partRequests = () => simulator.requests.filter((r) => PART_PATHS.includes(r.path)).map((r) => r.path);
  const folders = async (cluster: ClusterNode) => {
    const rows = await children(api, cluster);
    assert.deepEqual(rows.slice(0, 2).map((row) => row.kind), ['queues', 'machines'], 'Queues and Nodes come first');
    return rows.slice(0, 2);
  };

  it('lists nothing until Queues is expanded, then the queues with one describeQueue each, once until refreshed', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    simulator.clearRequests();
    const [queuesRow] = await folders(cluster);
    assert.ok((await jobNodes(api, cluster)).length > 0, 'the jobs follow');
    assert.equal(api.provider.getTreeItem(queuesRow).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.deepEqual(partRequests(), [], 'listed before a row was expanded');

    const queues = (await children(api, queuesRow)) as QueueNode[];
    const listed = simulator.queues('jn1a', cluster.cluster.clusterId);
    assert.deepEqual(queues.map((row) => row.queue.queueId), listed.map((queue) => queue.hpcqueue_id));
    assert.deepEqual(partRequests(), ['/api/queue/ehpc/getQueueList', ...listed.map(() => '/api/queue/describeQueue')]);
    const item = api.provider.getTreeItem(queues[0]);
    assert.equal(item.label, listed[0].name);
    assert.match(String(item.description), /default · \d+ cores\/node · \d+ running, \d+ pending, \d+ free slots?$/);
    assert.match(tooltipOf(item), /Per node: \d+ cores, \d+ GB memory/);

    await children(api, queuesRow);
    assert.equal(partRequests().length, 1 + listed.length, 'listed again without a refresh');
    await vscode.commands.executeCommand('ehpc.refresh', cluster);
    await children(api, queuesRow);
    assert.equal(partRequests().length, 2 * (1 + listed.length), 'Refresh lists them again');
  });

  it('lists the nodes when Nodes is expanded: role, state, addresses, the jobs on each; Copy IP Address', async () => {
    const [, big] = await clusterNodes(api, 'jn1a');
    const running = (await jobNodes(api, big)).filter((node) => node.job.status === 'running' && parseNodeList(node.job.nodeList).length > 0);
    assert.ok(running.length > 0, 'the seeded data has running jobs with job_node_list');
    simulator.clearRequests();
    const [, nodesRow] = await folders(big);
    const machines = (await children(api, nodesRow)) as MachineNode[];
    assert.deepEqual(partRequests(), ['/api/cluster/listNodes']);
    assert.deepEqual(machines.map((row) => row.machine.nodeId), simulator.nodes('jn1a', big.cluster.clusterId).map((node) => node.node_id));
    assert.match(String(api.provider.getTreeItem(machines[0]).description), /^login · active · healthy/);
    const busy = machines.find((row) => row.jobs.length > 0);
    assert.ok(busy, 'no node shows a job');
    const expected = running.filter((node) => parseNodeList(node.job.nodeList).includes(busy.machine.name)).map((node) => node.job.hpcjobUuid);
    assert.deepEqual(busy.jobs.map((job) => job.hpcjobUuid), expected);
    assert.match(tooltipOf(api.provider.getTreeItem(busy)), new RegExp(`Jobs on it: .*${expected[0]}`));

    const compute = machines.find((row) => row.machine.role === 'compute')!;
    assert.equal(api.provider.getTreeItem(compute).contextValue, 'clusterNode.ip');
    const copied = await vscode.commands.executeCommand<string>('ehpc.copyNodeIp', compute);
    assert.equal(copied, compute.machine.privateIp);
    assert.equal(await vscode.env.clipboard.readText(), compute.machine.privateIp);
  });

  it('tells how the cluster is paid, and its CPU and memory hours, in its tooltip', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const tooltip = tooltipOf(api.provider.getTreeItem(cluster));
    assert.match(tooltip, /Billing: (pay-as-you-go \(not billed while stopped\)|reserved \(paid ahead\))/);
    assert.match(tooltip, /CPU hours: [\d,.]+/);
    assert.match(tooltip, /Memory hours: [\d,.]+/);
  });

  describe('the chat tools ehpc_startCluster and ehpc_stopCluster', () => {
    const invoke = async (name: string, input: object) => textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));
    const token = () => new vscode.CancellationTokenSource().token;
    const stops = () => simulator.requests.filter((r) => r.path === '/api/cluster/stopCluster');

    it('ask once, naming every cluster and its jobs, then stop clusters of two zones with one request each', async () => {
      const [a, b] = [simulator.clusters('jn1a')[0], simulator.clusters('jn1b')[0]];
      const input = { cluster_ids: [a.cluster_id, b.cluster_id] };
      const asked = await api.tools.stopCluster.prepareInvocation!({ input }, token());
      assert.equal(asked?.confirmationMessages?.title, 'Stop 2 clusters?');
      const question = tooltipOf({ tooltip: asked?.confirmationMessages?.message }).replace(/&nbsp;/g, ' ');
      for (const [zone, cluster] of [['jn1a', a], ['jn1b', b]] as const) {
        assert.ok(question.includes(`“${cluster.cluster_name}” (${cluster.cluster_id}) in zone ${zone}: ${cluster.running_job_count} running, ${cluster.pending_job_count} pending`), question);
      }
      assert.match(question, /Stopping ends the running and pending jobs/);
      simulator.clearRequests();
      const answer = await invoke('ehpc_stopCluster', input);
      assert.deepEqual(stops().map((r) => r.body?.zone), ['jn1a', 'jn1b']);
      assert.match(answer, /^Stopped 2 of 2 cluster\(s\)/);
      assert.equal(simulator.clusters('jn1a')[0].cluster_status, 'stopped');

      // The stopped cluster's nodes say so.
      await vscode.commands.executeCommand('ehpc.refresh');
      const [, nodesRow] = await folders((await clusterNodes(api, 'jn1a'))[0]);
      const rows = (await children(api, nodesRow));
      assert.equal((rows[0] as MessageNode).text, 'The cluster is shut down, and so are its nodes.');
      assert.ok(rows.slice(1).every((row) => row.kind === 'machine' && /shut down/.test(String(api.provider.getTreeItem(row).description))));

      const started = await invoke('ehpc_startCluster', { cluster_ids: [a.cluster_id, b.cluster_id] });
      assert.match(started, /^Started 2 of 2 cluster\(s\)/);
    });

    it('refuse an id that is no cluster, and send nothing', async () => {
      simulator.clearRequests();
      const answer = await invoke('ehpc_stopCluster', { cluster_ids: [simulator.clusters('jn1a')[0].cluster_id, 'ehpc-nosuch1'] });
      assert.match(answer, /^Refused: 1 of the 2 cluster ids cannot be used; nothing was sent\./);
      assert.equal(stops().length, 0);
    });
  });
});
