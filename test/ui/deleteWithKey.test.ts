// The Delete key in the tree acts on the selected jobs, with the same confirmation.
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';
import { testKeyOptions } from '../testKeys';
import { answerDialog, openSignedIn, row } from './workbench';

export const timeoutMs = 180_000;

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: 4, stopDelayMs: 0 });
  try {
    const page = await openSignedIn(ctx, simulator, 'ui-key');
    const [cluster] = simulator.clusters('jn1a');
    const jobs = simulator.jobs('jn1a', cluster.cluster_id);
    await row(page, cluster.cluster_id).click();
    await row(page, jobs[1].hpcjob_uuid).click();
    await row(page, jobs[3].hpcjob_uuid).click({ modifiers: ['Control'] });
    simulator.clearRequests();

    await page.keyboard.press(process.platform === 'darwin' ? 'Meta+Backspace' : 'Delete');
    const question = await answerDialog(page, 'Delete');

    assert.match(question, /Delete 2 jobs in cluster/);
    for (const job of [jobs[1], jobs[3]]) {
      await row(page, job.hpcjob_uuid).waitFor({ state: 'detached', timeout: 15_000 });
    }
    const deletes = simulator.requests.filter((r) => r.path === '/api/job/deleteJobs');
    assert.deepEqual(deletes.map((r) => r.body?.job_ids), [[jobs[1].hpcjob_uuid, jobs[3].hpcjob_uuid]]);
  } finally {
    await simulator.close();
  }
}
