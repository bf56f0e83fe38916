// "EHPC: Delete Jobs" from the command palette, through the real QuickPicks: pick a
// cluster, tick two jobs, confirm.
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import { testKeyOptions } from '../testKeys';
import type { UiTestContext } from '../harness/run';
import { answerDialog, openSignedIn } from './workbench';

export const timeoutMs = 180_000;

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 3, jobsPerCluster: 6, stopDelayMs: 0 });
  try {
    const page = await openSignedIn(ctx, simulator, 'ui-palette');
    const cluster = simulator.clusters('jn1a')[1];
    const jobs = simulator.jobs('jn1a', cluster.cluster_id);
    simulator.clearRequests();

    await page.keyboard.press('F1');
    await page.keyboard.type('EHPC: Delete Jobs');
    const option = (text: string | RegExp) => page.locator('.quick-input-widget .monaco-list-row:visible', { hasText: text });
    await option(/EHPC: Delete Jobs/).first().click();

    await option(cluster.cluster_id).click();
    await option(jobs[4].hpcjob_uuid).waitFor();
    await option(jobs[1].hpcjob_uuid).click();
    await option(jobs[4].hpcjob_uuid).click();
    await ctx.screenshot(page, 'palette-pick-jobs');
    await page.locator('.quick-input-widget input[type]:visible').first().press('Enter');

    const question = await answerDialog(page, 'Delete');
    assert.match(question, /Delete 2 jobs in cluster/);
    const picked = [jobs[1].hpcjob_uuid, jobs[4].hpcjob_uuid];
    const deadline = Date.now() + 15_000;
    while (simulator.jobs('jn1a', cluster.cluster_id).length !== jobs.length - 2 && Date.now() < deadline) {
      await page.waitForTimeout(100);
    }
    const deletes = simulator.requests.filter((r) => r.path === '/api/job/deleteJobs');
    assert.deepEqual(deletes.map((r) => [r.body?.cluster_id, r.body?.job_ids]), [[cluster.cluster_id, picked]]);
    assert.deepEqual(
      simulator.jobs('jn1a', cluster.cluster_id).map((job) => job.hpcjob_uuid),
      jobs.map((job) => job.hpcjob_uuid).filter((id) => !picked.includes(id)),
    );
  } finally {
    await simulator.close();
  }
}
