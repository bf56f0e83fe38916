// What a batch promises, held under races: a sign-out in the middle, a filter changed while
// "Deleting..." shows, a server that answers success without acting, new jobs pushing the
// selected ones past the loaded page. The summary must be what the server has, looked up
// unfiltered for exactly the jobs sent.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { BatchResult } from '../../src/batch/runner';
import type { ExtensionApi } from '../../src/extension';
import type { JobNode } from '../../src/tree/nodes';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, jobNodes, mainAccount, scriptedPrompts, setUpSuite, waitFor } from './helpers';

describe('what a batch promises', () => {
  let simulator: Simulator;
  let api: ExtensionApi;

  setUpSuite((s, a) => ([simulator, api] = [s, a]));

  afterEach(() => api.filter.set({}));

  const deletes = () => simulator.requests.filter((r) => r.path === '/api/job/deleteJobs');

  it('sends nothing more after a sign-out in the middle of a batch, and says what was sent and what not', async function () {
    this.timeout(30_000);
    const big = (await clusterNodes(api, 'jn1a'))[1]; // 250 jobs
    const { clusterId } = big.cluster;
    await jobNodes(api, big);
    await api.model.loadMore(big);
    await api.model.loadMore(big);
    const selection = await jobNodes(api, big);
    assert.equal(selection.length, 250);
    api.prompts = scriptedPrompts({ confirmTyped: async () => true });
    // The first request acts at once and is answered late: the user signs out meanwhile.
    simulator.failNext({ path: '/api/job/deleteJobs', latencyMs: 800 });

    const running = vscode.commands.executeCommand<BatchResult>('ehpc.deleteJobs', selection[0], selection);
    await waitFor(() => simulator.jobs('jn1a', clusterId).length === 150);
    await api.credentials.delete(mainAccount(api));
    const outcome = await running;

    assert.equal(deletes().length, 1, 'a request went out with the removed key');
    assert.equal(simulator.jobs('jn1a', clusterId).length, 150);
    const [cluster] = outcome.clusters;
    assert.equal(cluster.unknown.length, 100, 'the sent jobs are "not checked", never "not deleted"');
    assert.equal(cluster.notSent.length, 150);
    assert.equal(cluster.done.length + cluster.remaining.length, 0);
    assert.match(outcome.summary, /^Confirmed deleted: 0 of 250 jobs; 100 sent to cluster .*, but not checked afterwards \(You signed out/);
    assert.match(outcome.summary, /150 not sent to cluster /);
  });

  it('reads the outcome from the server, not from a filter changed while "Deleting..." shows', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const [job] = await jobNodes(api, cluster);
    api.prompts = scriptedPrompts({ confirm: async () => true });
    // The server answers success without deleting anything, and late.
    simulator.failNext({ path: '/api/job/deleteJobs', partial: 0, latencyMs: 400 });

    const running = vscode.commands.executeCommand<BatchResult>('ehpc.deleteJobs', job, [job]);
    await waitFor(() => api.busy.kind(job.job));
    // A filter under which the job is not listed any more.
    await api.filter.set({ searchWord: 'no job has this name' });
    const outcome = await running;

    assert.equal(outcome.done, 0, `the summary said: ${outcome.summary}`);
    assert.deepEqual(outcome.clusters[0].remaining.map((j) => j.hpcjobUuid), [job.job.hpcjobUuid]);
    assert.ok(simulator.jobs('jn1a', cluster.cluster.clusterId).some((j) => j.hpcjob_uuid === job.job.hpcjobUuid));
  });

  it('finds a selected job that new jobs pushed past the loaded page', async () => {
    const big = (await clusterNodes(api, 'jn1a'))[1];
    const { clusterId } = big.cluster;
    const rows = await jobNodes(api, big);
    const last: JobNode = rows[rows.length - 1]; // the 100th: one new job pushes it to page 2
    api.prompts = scriptedPrompts({ confirm: async () => true });
    simulator.failNext({ path: '/api/job/deleteJobs', partial: 0 });
    simulator.addJob('jn1a', clusterId, { job_name: 'submitted meanwhile' });

    const outcome = await vscode.commands.executeCommand<BatchResult>('ehpc.deleteJobs', last, [last]);

    assert.equal(outcome.done, 0, `the summary said: ${outcome.summary}`);
    assert.equal(outcome.clusters[0].remaining.length, 1);
  });
});
