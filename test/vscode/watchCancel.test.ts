// Cancel Jobs on a scheduler slower than the batch waits: the summary says the cancel was
// requested, the row says "Cancelling...", and the watch tells when the job has stopped.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { BatchResult } from '../../src/batch/runner';
import type { ExtensionApi } from '../../src/extension';
import type { Notifier } from '../../src/watch/notifications';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, jobNodes, scriptedPrompts, setUpSuite, waitFor } from './helpers';

describe('cancelling through the watch', () => {
  let simulator: Simulator;
  let api: ExtensionApi;
  let original: Notifier;

  setUpSuite(
    (s, a) => {
      [simulator, api] = [s, a];
      original = api.notifier;
    },
    async () => {
      api.notifier = original;
    },
    // Longer than the batch waits for a stop (3 s): the watch takes over.
    { stopDelayMs: 5000 },
  );

  it('says "Cancel requested", shows "Cancelling..." until the job stops, then says nothing more (the user asked for it)', async function () {
    this.timeout(20_000);
    const told: string[] = [];
    api.notifier = { show: (_severity, message) => (told.push(message), Promise.resolve(undefined)) };
    const [cluster] = await clusterNodes(api, 'jn1a');
    const added = simulator.addJob('jn1a', cluster.cluster.clusterId, { job_name: 'slow to stop', job_status: 'running' });
    api.model.refresh(cluster);
    const node = (await jobNodes(api, cluster)).find((row) => row.job.hpcjobUuid === added.hpcjob_uuid);
    assert.ok(node);
    api.prompts = scriptedPrompts({ confirm: async () => true });

    const result = await vscode.commands.executeCommand<BatchResult | undefined>('ehpc.cancelJobs', node, [node]);
    assert.equal(result?.summary, 'Cancel requested for 1 job; watching until it stops.');
    assert.equal(result?.clusters[0].inProgress.length, 1);
    assert.ok(api.watch.isCancelling(added.hpcjob_uuid), 'not followed as cancelling');
    const row = (await jobNodes(api, cluster)).find((r) => r.job.hpcjobUuid === added.hpcjob_uuid)!;
    assert.match(String(api.provider.getTreeItem(row).description), /Cancelling/);

    // Ticking back to back would spend the watch's hourly budget: wait for the stop, then look.
    await waitFor(() => simulator.jobs('jn1a', cluster.cluster.clusterId).find((job) => job.hpcjob_uuid === added.hpcjob_uuid)?.job_status === 'cancelled', 10_000);
    await waitFor(async () => {
      await api.watch.tick();
      return !api.watch.isWatched(added.hpcjob_uuid);
    }, 5_000);
    assert.deepEqual(told, [], 'a cancel the user asked for was told again');
    assert.equal(simulator.jobs('jn1a', cluster.cluster.clusterId).find((job) => job.hpcjob_uuid === added.hpcjob_uuid)?.job_status, 'cancelled');
    const after = (await jobNodes(api, cluster)).find((r) => r.job.hpcjobUuid === added.hpcjob_uuid)!;
    assert.equal(after.job.status, 'cancelled', 'the row was not patched');
  });
});
