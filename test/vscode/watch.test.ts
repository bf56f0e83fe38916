// Watching jobs in a real extension host, on the simulator: a watched job followed to its
// end (cancelled through the API, deleted by someone, a cancel that fails), told through the
// notifier seam, shown in the status bar and the tree, kept in the workspace's state, and
// forgotten on a sign-out. The ticks are driven by the test, not the timer.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ClusterNode, JobNode } from '../../src/tree/nodes';
import type { Notifier, Severity } from '../../src/watch/notifications';
import { revealJob } from '../../src/tree/reveal';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, jobNodes, mainAccount, setUpSuite, waitFor } from './helpers';

interface Told {
  severity: Severity;
  message: string;
  actions: string[];
}

describe('watching jobs', () => {
  let simulator: Simulator;
  let api: ExtensionApi;
  let original: Notifier;
  let told: Told[];

  setUpSuite((s, a) => {
    [simulator, api] = [s, a];
    original = api.notifier;
  }, async () => {
    api.notifier = original;
  });

  beforeEach(() => {
    api.watch.unwatch(api.watch.jobs().map((job) => job.hpcjobUuid));
    told = [];
    api.notifier = { show: (severity, message, ...actions) => (told.push({ severity, message, actions }), Promise.resolve(undefined)) };
  });

  /** A running job added to the first cluster of jn1a, as the tree lists it. */
  async function runningJob(name: string): Promise<{ cluster: ClusterNode; node: JobNode }> {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const added = simulator.addJob('jn1a', cluster.cluster.clusterId, { job_name: name, job_status: 'running' });
    api.model.refresh(cluster);
    const node = (await jobNodes(api, cluster)).find((row) => row.job.hpcjobUuid === added.hpcjob_uuid);
    assert.ok(node, 'the added job is not listed');
    return { cluster, node };
  }

  /** Ticks until `done`, as the timer would (the simulator stops jobs a moment after stopJobs). */
  async function tickUntil(done: () => boolean): Promise<void> {
    await waitFor(async () => {
      await api.watch.tick();
      return done();
    }, 8000);
  }

  it('follows a cancelled job to its end: status bar, tree row patched, state kept, no notification for a cancel asked for', async () => {
    const { cluster, node } = await runningJob('watch me');
    const id = node.job.hpcjobUuid;
    assert.equal(await vscode.commands.executeCommand('ehpc.watchJobs', node, [node]), 1);
    assert.ok(api.watch.isWatched(id));
    assert.equal(api.watch.statusBarText, '$(server-process) EHPC: 1 running');
    let item = api.provider.getTreeItem(node);
    assert.equal(item.contextValue, 'job.running.watched');
    assert.match(String(item.description), /watching/);
    assert.deepEqual((api.watch.persisted as { watch: { jobs: { hpcjobUuid: string }[] } }).watch.jobs.map((job) => job.hpcjobUuid), [id]);

    // The cancel flow's part: stopJobs, then the watch learns of the operation.
    const client = await api.accounts.connection(cluster.cluster.account).client();
    const operationId = await client.stopJobs('jn1a', cluster.cluster.clusterId, [id]);
    assert.ok(operationId);
    api.watch.watch([node.job], { operationIds: new Map([[id, operationId]]), cancelRequested: true });
    assert.ok(api.watch.isCancelling(id));
    assert.equal(api.watch.statusBarText, '$(server-process) EHPC: 1 cancelling', 'counted as running while the tree says Cancelling...');
    item = api.provider.getTreeItem(node);
    assert.match(String(item.description), /Cancelling\.\.\./);
    assert.equal(item.contextValue, 'job.cancelling.watched');

    simulator.clearRequests();
    await tickUntil(() => !api.watch.isWatched(id));

    assert.deepEqual(told, [], 'a cancel the user asked for was told again');
    assert.equal(api.watch.statusBarText, undefined, 'the status bar item stays after the last job ended');
    assert.equal(node.job.status, 'cancelled', 'the tree\'s job was not patched');
    assert.match(String(api.provider.getTreeItem(node).description), /^cancelled · /);
    // This cluster's: the view may be listing other clusters it shows expanded meanwhile.
    const lists = simulator.requests.filter((r) => r.path === '/api/job/list' && r.query.cluster_id === cluster.cluster.clusterId);
    assert.equal(lists.length, 0, 'one job is looked up by its detail, not a list');
    assert.equal(api.watch.persisted, undefined, 'the workspace state still holds an ended job');
  });

  it('tells a job deleted by someone and a cancel that failed, and follows the one still running', async () => {
    const doomed = await runningJob('doomed');
    const stubborn = await runningJob('stubborn');
    const { clusterId } = doomed.cluster.cluster;
    const client = await api.accounts.connection(doomed.cluster.cluster.account).client();
    simulator.failNext({ path: '/api/job/stopJobs', failOperation: true });
    const operationId = await client.stopJobs('jn1a', clusterId, [stubborn.node.job.hpcjobUuid]);
    assert.ok(operationId);
    api.watch.watch([doomed.node.job]);
    api.watch.watch([stubborn.node.job], { operationIds: new Map([[stubborn.node.job.hpcjobUuid, operationId]]), cancelRequested: true });
    assert.equal(api.watch.statusBarText, '$(server-process) EHPC: 1 running · 1 cancelling');
    await client.deleteJobs('jn1a', clusterId, [doomed.node.job.hpcjobUuid]);

    await tickUntil(() => !api.watch.isWatched(doomed.node.job.hpcjobUuid) && !api.watch.isCancelling(stubborn.node.job.hpcjobUuid));

    // Found in one look-up, the two share one notification; in two, each has its own.
    const messages = told.map((t) => t.message).sort();
    assert.deepEqual(messages, messages.length === 1
      ? ['2 watched jobs ended: 1 no longer listed, 1 could not be cancelled']
      : ['Could not cancel job "stubborn": the stop operation ' + operationId + ' failed with error 5000; the job still runs.', `Job "doomed" is no longer listed on ${doomed.cluster.cluster.name}.`]);
    assert.ok(!api.watch.isWatched(doomed.node.job.hpcjobUuid));
    assert.ok(api.watch.isWatched(stubborn.node.job.hpcjobUuid), 'a job whose cancel failed still runs: it stays watched');
    assert.ok(!api.watch.isCancelling(stubborn.node.job.hpcjobUuid), 'still "Cancelling..." after the cancel failed');
    assert.equal(api.watch.statusBarText, '$(server-process) EHPC: 1 running');
  });

  it('looks up jobs deep in a long list in no more requests than jobs', async () => {
    // An expanded cluster would list its jobs for the view meanwhile: only the watch's requests count.
    await vscode.commands.executeCommand('workbench.actions.treeView.ehpc.clusters.collapseAll');
    const big = (await clusterNodes(api, 'jn1a'))[1];
    await waitFor(() => !api.model.loading);
    const { clusterId } = big.cluster;
    const live = simulator.jobs('jn1a', clusterId).filter((job) => job.job_status === 'running').slice(0, 2);
    assert.equal(live.length, 2);
    // New jobs push them past the first page.
    for (let i = 0; i < 150; i++) {
      simulator.addJob('jn1a', clusterId, { job_name: `newer ${i}`, job_status: 'finished' });
    }
    api.watch.watch(live.map((job) => ({ account: big.cluster.account, zone: 'jn1a', clusterId, hpcjobUuid: job.hpcjob_uuid, name: job.job_name, status: 'running' as const })));
    const perTick: number[] = [];
    for (let tick = 0; tick < 3; tick++) {
      simulator.clearRequests();
      await api.watch.tick();
      // The cluster's own: the tree's redraw after freshStart may still be listing a zone's clusters.
      perTick.push(simulator.requests.filter((r) => r.query.cluster_id === clusterId).length);
    }
    assert.equal(perTick[0], 3, 'the first look-up: the first page, then a detail request each');
    assert.deepEqual(perTick.slice(1), [2, 2], 'later look-ups should skip the first page that holds none of them');
    assert.deepEqual(told, []);
  });

  it('reveals the watched job from the status bar\'s command', async () => {
    const { node } = await runningJob('find me');
    api.watch.watch([node.job]);
    await vscode.commands.executeCommand('ehpc.showWatchedJobs');
    await waitFor(() => api.treeView.selection.some((row) => row.kind === 'job' && row.job.hpcjobUuid === node.job.hpcjobUuid), 5000);
  });

  it('says so when the filter hides the job to reveal, and offers to clear it', async () => {
    const { node } = await runningJob('hidden');
    await api.filter.set({ searchWord: 'no job has this name' });
    try {
      const outcome = await revealJob(api, node.job, node.job.hpcjobUuid);
      assert.equal(outcome, 'filtered');
      await waitFor(() => told.length > 0);
      assert.deepEqual(told, [{ severity: 'info', message: `Job ${node.job.hpcjobUuid} is hidden by the filter.`, actions: ['Clear Filter', 'Show Details'] }]);
    } finally {
      await api.filter.set({});
    }
  });

  it('forgets the watched jobs on a sign-out', async () => {
    const { node } = await runningJob('forget me');
    api.watch.watch([node.job]);
    assert.ok(api.watch.persisted);
    await api.credentials.delete(mainAccount(api));
    await waitFor(() => !api.watch.isWatched(node.job.hpcjobUuid));
    await waitFor(() => api.watch.persisted === undefined);
    assert.equal(api.watch.statusBarText, undefined);
  });
});
