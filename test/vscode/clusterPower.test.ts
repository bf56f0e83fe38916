import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { PowerRunResult } from '../../src/commands/clusterPower';
import type { SubmitResult } from '../../src/commands/submitJob';
import type { ExtensionApi } from '../../src/extension';
import type { ClusterNode } from '../../src/tree/nodes';
import type { SubmitFormRequest, SubmitFormValues } from '../../src/ui/submitForm';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, mainAccount, scriptedPrompts, setUpSuite, waitFor } from './helpers';

/** Starting or stopping takes this long in the simulator: long enough to see the rows say so. */
const POWER_MS = 1500;

describe('starting and stopping clusters', function () {
  this.timeout(30_000);
  let simulator: Simulator;
  let api: ExtensionApi;

  setUpSuite(
    (s, a) => ([simulator, api] = [s, a]),
    async () => {
      // A submitted job is revealed, which shows the view: hidden again, or its rows would load on their own in later suites.
      await vscode.commands.executeCommand('workbench.view.explorer');
      await waitFor(() => !api.treeView.visible);
      // The Submit form's memory of the cluster and run user used here.
      await api.globalState.update('ehpc.submit.lastCluster', undefined);
      await api.globalState.update('ehpc.submit.lastRunUsers', undefined);
    },
    { clusterPowerMs: POWER_MS, lifecycle: { startAfterMs: 300, runMs: 1500 } },
  );

  afterEach(() => api.watch.unwatch(api.watch.jobs().map((job) => job.hpcjobUuid)));

  const powerRequests = () => simulator.requests.filter((r) => r.path === '/api/cluster/stopCluster' || r.path === '/api/cluster/startCluster');
  const described = (node: ClusterNode) => String(api.provider.getTreeItem(node).description);
  /** The first cluster of each zone: active, with running and pending jobs. */
  const firstOf = async (zone: string) => (await clusterNodes(api, zone))[0];
  const liveJobs = (zone: string, clusterId: string) => simulator.jobs(zone, clusterId).filter((job) => job.job_status === 'running' || job.job_status === 'pending').length;

  it('sends nothing when the typed confirmation of a stop that ends jobs is refused', async () => {
    const a = await firstOf('jn1a');
    const live = liveJobs('jn1a', a.cluster.clusterId);
    assert.ok(live > 0, 'the seeded cluster has live jobs');
    api.prompts = scriptedPrompts({ confirmTyped: async () => false });
    const result = await vscode.commands.executeCommand<PowerRunResult | undefined>('ehpc.stopCluster', a, [a]);
    assert.equal(result, undefined);
    assert.deepEqual((api.prompts as ReturnType<typeof scriptedPrompts>).asked, [`confirmTyped ${live}: Stop cluster "${a.cluster.name}"?`]);
    assert.equal(powerRequests().length, 0);
    assert.equal(simulator.clusters('jn1a')[0].cluster_status, 'active');
  });

  it('stops nothing when jobs start on the cluster while the question is open', async () => {
    const a = await firstOf('jn1a');
    const live = liveJobs('jn1a', a.cluster.clusterId);
    api.prompts = scriptedPrompts({
      confirmTyped: async () => {
        simulator.addRunningJob('jn1a', a.cluster.clusterId, 'started meanwhile', 600_000);
        return true;
      },
    });
    const result = await vscode.commands.executeCommand<PowerRunResult | undefined>('ehpc.stopCluster', a, [a]);
    assert.equal(result, undefined, 'nothing sent, no summary');
    assert.deepEqual((api.prompts as ReturnType<typeof scriptedPrompts>).asked, [`confirmTyped ${live}: Stop cluster "${a.cluster.name}"?`]);
    assert.equal(powerRequests().length, 0);
    assert.equal(liveJobs('jn1a', a.cluster.clusterId), live + 1, 'every job still runs');
    assert.equal(simulator.clusters('jn1a')[0].cluster_status, 'active');
  });

  it('from the palette offers the active clusters, and sends nothing when the key is removed while the question is open', async () => {
    const a = await firstOf('jn1a');
    let offered: string[] = [];
    api.prompts = scriptedPrompts({
      pickClusters: async (clusters) => {
        const list = await clusters;
        offered = list.map((cluster) => cluster.status);
        return list.filter((cluster) => cluster.clusterId === a.cluster.clusterId);
      },
      confirmTyped: async () => {
        await api.credentials.delete(mainAccount(api));
        return true;
      },
    });
    const result = await vscode.commands.executeCommand<PowerRunResult | undefined>('ehpc.stopCluster');
    assert.ok(offered.length > 1 && offered.every((status) => status === 'active'), `offered: ${offered.join(', ')}`);
    assert.equal(result, undefined, 'nothing sent: the look again before sending ended with the key');
    assert.equal(powerRequests().length, 0);
    assert.equal(simulator.clusters('jn1a')[0].cluster_status, 'active');
  });

  it('stops two clusters in two zones: one request each, "Stopping..." on their rows, then shut down as the server lists them', async () => {
    const a = await firstOf('jn1a');
    const b = await firstOf('jn1b');
    const live = liveJobs('jn1a', a.cluster.clusterId) + liveJobs('jn1b', b.cluster.clusterId);
    let detail = '';
    api.prompts = scriptedPrompts({ confirmTyped: async (_message, text, expected) => ((detail = text), expected === String(live)) });
    const running = vscode.commands.executeCommand<PowerRunResult | undefined>('ehpc.stopCluster', b, [a, b]);
    await waitFor(() => described(a).includes('Stopping...') && described(b).includes('Stopping...'));
    assert.equal(api.provider.getTreeItem(a).contextValue, 'cluster.stopping', 'neither Start nor Stop while it stops');
    const result = await running;

    assert.match(detail, new RegExp(`${a.cluster.name} \\(${a.cluster.clusterId} in zone jn1a\\): \\d+ running, \\d+ pending`));
    assert.match(detail, /stopped with them/);
    assert.deepEqual(powerRequests().map((r) => [r.path, r.body?.zone, r.body?.cluster_ids]).sort((x, y) => String(x[1]).localeCompare(String(y[1]))), [
      ['/api/cluster/stopCluster', 'jn1a', [a.cluster.clusterId]],
      ['/api/cluster/stopCluster', 'jn1b', [b.cluster.clusterId]],
    ]);
    assert.deepEqual(result?.results.map((r) => r.outcome), ['done', 'done']);
    assert.equal(result?.summary, `Stopped ${a.cluster.name}, ${b.cluster.name}.`);
    for (const node of [a, b]) {
      assert.match(described(node), /shut down/);
      assert.equal(api.provider.getTreeItem(node).contextValue, 'cluster.stopped');
    }
    assert.equal(liveJobs('jn1a', a.cluster.clusterId), 0, 'the stop ended its jobs');
  });

  it('tells a start whose operation failed, with its error, and the row stays shut down', async () => {
    const a = await firstOf('jn1a');
    assert.equal(a.cluster.status, 'stopped', 'stopped by the test before');
    simulator.failNext({ path: '/api/cluster/startCluster', clusterId: a.cluster.clusterId, failOperation: true });
    api.prompts = scriptedPrompts({ confirm: async (_message, _detail, button) => button === 'Start Cluster' });
    const result = await vscode.commands.executeCommand<PowerRunResult | undefined>('ehpc.startCluster', { account: a.cluster.account, zone: 'jn1a', clusterId: a.cluster.clusterId });
    assert.equal(result?.results[0].outcome, 'failed');
    assert.match(result?.summary ?? '', new RegExp(`^Could not start ${a.cluster.name} \\(the operation failed with error \\w+\\)\\.$`));
    assert.match(described(a), /shut down/);
  });

  it('offers Start and Submit for a shut-down cluster: starts it, waits until it is active, then confirms and submits', async () => {
    const b = await firstOf('jn1b');
    assert.equal(b.cluster.status, 'stopped', 'stopped by the test before');
    const asked: string[] = [];
    api.prompts = scriptedPrompts({
      submitForm: async (request: SubmitFormRequest): Promise<SubmitFormValues> => {
        const cluster = (await request.clusters()).find((c) => c.clusterId === b.cluster.clusterId)!;
        const users = await request.users(cluster);
        return { cluster, queue: undefined, runUser: users.find((u) => u.username === 'admin')!, name: 'after start', command: 'hostname', cores: 1 };
      },
      confirm: async (message, _detail, button) => {
        asked.push(`${button}: ${message}`);
        if (button === 'Submit') {
          assert.equal(simulator.clusters('jn1b')[0].cluster_status, 'active', 'the job is confirmed once the cluster is active');
        }
        return true;
      },
    });
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
    assert.deepEqual(asked.map((line) => line.split(':')[0]), ['Start and Submit', 'Submit']);
    assert.equal(asked[0], `Start and Submit: Cluster "${b.cluster.name}" is shut down. Start it, then submit job "after start"?`);
    assert.equal(result?.outcome.kind, 'submitted');
    assert.equal(simulator.jobs('jn1b', b.cluster.clusterId)[0].hpcjob_uuid, result?.job?.hpcjobUuid);
    assert.match(described(b), /active/);
  });

  it('submits nothing when the start of Start and Submit fails', async () => {
    const a = await firstOf('jn1a');
    assert.equal(a.cluster.status, 'stopped');
    const before = simulator.jobs('jn1a', a.cluster.clusterId).length;
    simulator.failNext({ path: '/api/cluster/startCluster', clusterId: a.cluster.clusterId, failOperation: true });
    const asked: string[] = [];
    api.prompts = scriptedPrompts({
      submitForm: async (request) => {
        const cluster = (await request.clusters()).find((c) => c.clusterId === a.cluster.clusterId)!;
        const users = await request.users(cluster);
        return { cluster, queue: undefined, runUser: users.find((u) => u.username === 'admin')!, name: 'never', command: 'hostname', cores: 1 };
      },
      confirm: async (_message, _detail, button) => (asked.push(button), true),
    });
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
    assert.equal(result, undefined);
    assert.deepEqual(asked, ['Start and Submit'], 'no submit question after a failed start');
    assert.equal(simulator.jobs('jn1a', a.cluster.clusterId).length, before);
    assert.ok(!simulator.requests.some((r) => r.path === '/api/job/submitJob'));
  });
});
