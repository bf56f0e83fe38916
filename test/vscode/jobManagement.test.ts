import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ClusterNode, JobNode, MessageNode, TreeNode } from '../../src/tree/nodes';
import type { Simulator } from '../../simulator/server';
import { children, clusterNodes, jobNodes, labelOf, mainAccount, scriptedPrompts, setUpSuite, waitFor } from './helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('job management', () => {
  let simulator: Simulator;
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('ehpc');

  setUpSuite(
    (s, a) => ([simulator, api] = [s, a]),
    async () => {
      await api.filter.set({});
      await config().update('autoRefreshSeconds', undefined, vscode.ConfigurationTarget.Global);
      await config().update('typedConfirmationThreshold', undefined, vscode.ConfigurationTarget.Global);
    },
  );

  const jobsRequested = () => simulator.requests.filter((r) => r.path === '/api/job/list');
  const rowsOf = async (cluster: ClusterNode) => children(api, cluster);

  describe('seeing jobs', () => {
    it('loads a long job list a page at a time with "Load More...", and shows the count', async () => {
      const [, big] = await clusterNodes(api, 'jn1a');
      simulator.clearRequests();
      let rows = await rowsOf(big);
      assert.equal(rows.filter((row) => row.kind === 'job').length, 100);
      assert.equal(rows[rows.length - 1].kind, 'loadMore');
      // The description keeps the cluster list's running and pending counts; the tooltip gives the total.
      assert.match((api.provider.getTreeItem(big).tooltip as vscode.MarkdownString).value, /Jobs: 250/);
      const more = api.provider.getTreeItem(rows[rows.length - 1]);
      assert.equal(more.label, 'Load 100 More...');
      assert.equal(more.description, '100 of 250 shown');
      assert.equal(jobsRequested().length, 1);

      await vscode.commands.executeCommand('ehpc.loadMore', big);
      rows = await rowsOf(big);
      assert.equal(rows.filter((row) => row.kind === 'job').length, 200);
      await vscode.commands.executeCommand('ehpc.loadMore', big);
      rows = await rowsOf(big);
      const shown = rows.filter((row): row is JobNode => row.kind === 'job').map((row) => row.job.hpcjobUuid);
      assert.deepEqual(shown, simulator.jobs('jn1a', big.cluster.clusterId).map((job) => job.hpcjob_uuid));
      assert.ok(rows.every((row) => row.kind !== 'loadMore'), 'Load More offered with everything loaded');
      assert.deepEqual(jobsRequested().map((r) => r.query.offset), ['0', '100', '200']);
    });

    it('filters jobs by status and search word through the API, shows the filter, and keeps it for the next session', async () => {
      api.prompts = scriptedPrompts({ jobFilter: async () => ({ status: 'finished', searchWord: 'run' }) });
      await vscode.commands.executeCommand('ehpc.filterJobs');
      const [, big] = await clusterNodes(api, 'jn1a');
      simulator.clearRequests();
      const jobs = await jobNodes(api, big);
      assert.ok(jobs.length > 0, 'the seeded data has finished jobs named "run"');
      assert.ok(jobs.every((node) => node.job.status === 'finished' && /run/i.test(node.job.name)));
      assert.equal(jobsRequested()[0].query.job_status, 'finished');
      assert.equal(jobsRequested()[0].query.search_word, 'run');
      assert.match(String(api.treeView.description), /run/);
      assert.match(String(api.treeView.message), /run/);
      assert.deepEqual(api.filter.saved(), { status: 'finished', searchWord: 'run' });

      await vscode.commands.executeCommand('ehpc.clearFilter');
      assert.equal(api.treeView.description, undefined);
      assert.equal(api.treeView.message, undefined);
      assert.deepEqual(api.filter.saved(), { status: undefined, searchWord: undefined });
      simulator.clearRequests();
      assert.equal((await jobNodes(api, big)).length, 100);
      assert.equal(jobsRequested()[0].query.job_status, undefined);
    });

    it('gives each status its own icon and a tooltip with the job\'s particulars', async () => {
      const [first] = await clusterNodes(api, 'jn1a');
      const jobs = await jobNodes(api, first);
      const icons = new Map(jobs.map((node) => [node.job.status, (api.provider.getTreeItem(node).iconPath as vscode.ThemeIcon).id]));
      assert.ok(icons.size >= 3, 'the seeded cluster has several states');
      assert.equal(new Set(icons.values()).size, icons.size, 'two states share an icon');
      const tooltip = api.provider.resolveTreeItem(api.provider.getTreeItem(jobs[0]), jobs[0]).tooltip as vscode.MarkdownString;
      for (const part of [jobs[0].job.hpcjobUuid, String(jobs[0].job.jobId), 'Queue', 'Submitted']) {
        assert.ok(tooltip.value.includes(part), `tooltip lacks ${part}`);
      }
    });

    it('loads each zone on its own: a failing zone shows its error and a Retry, the other its clusters', async () => {
      simulator.failNext({ path: '/api/cluster/list', retCode: 5100, times: 3 }); // outlasts the retries
      const failed = (await children(api, api.model.zoneNode(mainAccount(api).name, 'jn1a'))) as MessageNode[];
      const fine = await clusterNodes(api, 'jn1b');
      assert.equal(fine.length, 3);
      assert.equal(failed.length, 1);
      const item = api.provider.getTreeItem(failed[0]);
      assert.match(labelOf(item), /busy/);
      assert.equal(item.contextValue, 'error');
      assert.equal(item.command?.command, 'ehpc.retry');

      await vscode.commands.executeCommand('ehpc.retry', failed[0]);
      assert.equal((await clusterNodes(api, 'jn1a')).length, 3);
    });

    it('offers Sign In Again on a key the server rejects, and names a clock problem', async () => {
      simulator.failNext({ path: '/api/cluster/list', retCode: 1200 });
      const [auth] = (await children(api, api.model.zoneNode(mainAccount(api).name, 'jn1a'))) as MessageNode[];
      assert.equal(api.provider.getTreeItem(auth).contextValue, 'error.auth');
      assert.equal(api.provider.getTreeItem(auth).command?.command, 'ehpc.signIn');
      simulator.failNext({ path: '/api/cluster/list', retCode: 1300 });
      const [clock] = (await children(api, api.model.zoneNode(mainAccount(api).name, 'jn1b'))) as MessageNode[];
      assert.match(labelOf(api.provider.getTreeItem(clock)), /clock/);
    });
  });

  describe('acting on jobs', () => {
    it('cancels only the pending and running jobs of a selection, one request per cluster', async () => {
      const [first] = await clusterNodes(api, 'jn1b');
      const jobs = await jobNodes(api, first);
      const active = jobs.filter((node) => node.job.status === 'pending' || node.job.status === 'running');
      const done = jobs.find((node) => node.job.status === 'finished');
      assert.ok(active.length >= 2 && done, 'the seeded cluster has pending, running and finished jobs');
      const selection = [...active, done];
      api.prompts = scriptedPrompts({ confirm: async () => true });
      simulator.clearRequests();

      await vscode.commands.executeCommand('ehpc.cancelJobs', active[0], selection);

      const stops = simulator.requests.filter((r) => r.path === '/api/job/stopJobs');
      assert.deepEqual(stops.map((r) => r.body?.job_ids), [active.map((node) => node.job.hpcjobUuid)]);
      const statuses = new Map(simulator.jobs('jn1b', first.cluster.clusterId).map((job) => [job.hpcjob_uuid, job.job_status]));
      assert.ok(active.every((node) => statuses.get(node.job.hpcjobUuid) === 'cancelled'));
      assert.equal(statuses.get(done.job.hpcjobUuid), 'finished');
      const shown = await jobNodes(api, first);
      assert.equal(shown.find((node) => node.job.hpcjobUuid === active[0].job.hpcjobUuid)?.job.status, 'cancelled', 'the tree shows the new state');
    });

    it('asks to type the number of jobs for a large batch, and sends nothing if it is not typed', async () => {
      await config().update('typedConfirmationThreshold', 3, vscode.ConfigurationTarget.Global);
      try {
        const [first] = await clusterNodes(api, 'jn1a');
        const jobs = (await jobNodes(api, first)).slice(0, 3);
        const prompts = scriptedPrompts({ confirmTyped: async () => false });
        api.prompts = prompts;
        simulator.clearRequests();
        await vscode.commands.executeCommand('ehpc.deleteJobs', jobs[0], jobs);
        assert.deepEqual(prompts.asked, [`confirmTyped 3: Delete 3 jobs in cluster ${first.cluster.name}?`]);
        assert.equal(simulator.requests.length, 0);
      } finally {
        await config().update('typedConfirmationThreshold', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('shows "Deleting..." on the jobs while the batch runs, and does not send them twice', async () => {
      const [first] = await clusterNodes(api, 'jn1a');
      const jobs = (await jobNodes(api, first)).slice(0, 2);
      api.prompts = scriptedPrompts({ confirm: async () => true });
      simulator.setLatency(400);
      simulator.clearRequests();

      const running = vscode.commands.executeCommand('ehpc.deleteJobs', jobs[0], jobs);
      await waitFor(() => api.busy.kind(jobs[1].job) === 'deleting');
      const item = api.provider.getTreeItem(jobs[1]);
      assert.match(String(item.description), /Deleting\.\.\./);
      assert.equal(item.contextValue, 'job.busy');
      const second = await vscode.commands.executeCommand('ehpc.deleteJobs', jobs[1], jobs);
      assert.equal(second, undefined, 'the second invocation sent something');
      await running;

      assert.equal(simulator.requests.filter((r) => r.path === '/api/job/deleteJobs').length, 1);
      assert.equal(api.busy.kind(jobs[1].job), undefined);
    });

    it('tells what is left when a cluster\'s request fails, and keeps those jobs in the tree', async () => {
      const [a] = await clusterNodes(api, 'jn1a');
      const [b] = await clusterNodes(api, 'jn1b');
      const selection = [...(await jobNodes(api, a)).slice(0, 2), (await jobNodes(api, b))[0]];
      api.prompts = scriptedPrompts({ confirm: async () => true });
      simulator.failNext({ path: '/api/job/deleteJobs', clusterId: b.cluster.clusterId, retCode: 5100 });

      const outcome = await vscode.commands.executeCommand<{ done: number; summary: string }>('ehpc.deleteJobs', selection[0], selection);

      assert.equal(outcome.done, 2);
      assert.match(outcome.summary, new RegExp(`^Deleted 2 of 3 jobs; 1 still listed in cluster ${b.cluster.name} \\(The EHPC service is busy`));
      const shownB = (await jobNodes(api, b)).map((node) => node.job.hpcjobUuid);
      assert.ok(shownB.includes(selection[2].job.hpcjobUuid), 'a job that failed to delete vanished from the tree');
    });

    it('offers each action only where it applies, and single-job actions only on a single selection', () => {
      const extension = vscode.extensions.getExtension('qingcloud-ehpc.qingcloud-ehpc')!;
      const menus = extension.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[];
      const when = (command: string) => menus.filter((m) => m.command === command).map((m) => m.when).join(' | ');
      assert.match(when('ehpc.cancelJob'), /viewItem =~ \/\^job\\\.\(pending\|running\)\$\//);
      assert.doesNotMatch(when('ehpc.deleteJobs'), /busy/);
      // On a row right-clicked outside a multi-selection VS Code still says listMultiSelection: the
      // one-row actions act on the clicked row, so they do not hide behind it.
      assert.doesNotMatch(when('ehpc.showJobDetails'), /!listMultiSelection/);
      assert.match(when('ehpc.cancelJobs'), /listMultiSelection && viewItem =~/);
    });
  });

  describe('refresh', () => {
    it('keeps the pages loaded with "Load More..." and the selection on them through Refresh', async function () {
      this.timeout(30_000);
      await vscode.commands.executeCommand('ehpc.clusters.focus');
      await waitFor(() => api.treeView.visible);
      const [, big] = await clusterNodes(api, 'jn1a');
      await rowsOf(big);
      await vscode.commands.executeCommand('ehpc.loadMore', big);
      const onPageTwo = (await jobNodes(api, big))[150];
      await revealWithRetry(api, onPageTwo);
      // The selection is reported asynchronously, as after each Refresh below.
      assert.ok(await waitFor(() => api.treeView.selection.includes(onPageTwo), 3000).catch(() => false), 'the revealed job is not selected');

      // From the cluster's row, then from the view's title.
      for (const target of [big, undefined]) {
        simulator.clearRequests();
        await vscode.commands.executeCommand('ehpc.refresh', target);
        const rows = await rowsOf(big);
        assert.equal(rows.filter((row) => row.kind === 'job').length, 200, 'Refresh dropped the page loaded with Load More');
        assert.equal(rows[rows.length - 1].kind, 'loadMore');
        assert.deepEqual(jobsRequested().map((r) => r.query.offset), ['0', '100']);
        // VS Code draws the rows again and reports the selection asynchronously: a dropped one stays dropped.
        await waitFor(() => !api.model.loading);
        const kept = await waitFor(() => api.treeView.selection.includes(onPageTwo), 3000).catch(() => false);
        assert.ok(kept, `Refresh ${target ? 'of the cluster' : 'of the view'} lost the selection`);
      }
      // Hidden again: the rows the view shows would load on their own in later tests.
      await vscode.commands.executeCommand('workbench.view.explorer');
      await waitFor(() => !api.treeView.visible);
    });
  });

  describe('auto-refresh', () => {
    it('refreshes while the view is visible, not faster than every 10 s, keeps the selection, and stops while it is hidden', async function () {
      this.timeout(60_000);
      await vscode.commands.executeCommand('ehpc.clusters.focus');
      await waitFor(() => api.treeView.visible);
      const [first] = await clusterNodes(api, 'jn1a');
      const [job] = await jobNodes(api, first);
      await revealWithRetry(api, job);
      // 1 s is below the minimum: it refreshes every 10 s.
      await config().update('autoRefreshSeconds', 1, vscode.ConfigurationTarget.Global);
      try {
        simulator.clearRequests();
        await sleep(8000);
        assert.ok(!simulator.requests.some((r) => r.path === '/api/cluster/list'), 'refreshed before the 10 s minimum');
        await sleep(4000);
        assert.ok(simulator.requests.some((r) => r.path === '/api/cluster/list'), 'no refresh while visible');
        // Once the refresh has been drawn (VS Code reports the selection asynchronously).
        await waitFor(() => !api.model.loading);
        const kept = await waitFor(() => api.treeView.selection.includes(job), 3000).catch(() => false);
        assert.ok(kept, 'the refresh lost the selection');

        await vscode.commands.executeCommand('workbench.view.explorer');
        await waitFor(() => !api.treeView.visible);
        await sleep(1200); // a refresh under way may finish
        simulator.clearRequests();
        await sleep(11_000);
        assert.equal(simulator.requests.length, 0, 'requests were made while the view was hidden');
      } finally {
        await config().update('autoRefreshSeconds', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });
});

/** reveal() right after the view opens can fail while the tree renders: retry a little. */
async function revealWithRetry(api: ExtensionApi, node: TreeNode): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await api.treeView.reveal(node, { select: true, focus: false });
      return;
    } catch (error) {
      if (attempt > 20) {
        throw error;
      }
      await sleep(100);
    }
  }
}
