// The Delete key acts on the row the keyboard outline is on, as the Explorer's does: after a
// click and two presses of ↓, the outlined job is the one deleted, not the one still selected.
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';
import { testKeyOptions } from '../testKeys';
import { answerDialog, openSignedIn, row } from './workbench';

export const timeoutMs = 180_000;

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: 4, stopDelayMs: 0 });
  try {
    const page = await openSignedIn(ctx, simulator, 'ui-key-focus');
    const [cluster] = simulator.clusters('jn1a');
    const jobs = simulator.jobs('jn1a', cluster.cluster_id);
    await row(page, cluster.cluster_id).click();
    await row(page, jobs[1].hpcjob_uuid).click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    simulator.clearRequests();

    await page.keyboard.press(process.platform === 'darwin' ? 'Meta+Backspace' : 'Delete');
    const question = await answerDialog(page, 'Delete');

    assert.ok(question.includes(`"${jobs[3].job_name}"`), `the question names the outlined job ${jobs[3].job_name}: ${question}`);
    await row(page, jobs[3].hpcjob_uuid).waitFor({ state: 'detached', timeout: 15_000 });
    const deletes = simulator.requests.filter((r) => r.path === '/api/job/deleteJobs');
    assert.deepEqual(deletes.map((r) => r.body?.job_ids), [[jobs[3].hpcjob_uuid]]);
    assert.equal(await row(page, jobs[1].hpcjob_uuid).count(), 1, 'the selected job is still there');
  } finally {
    await simulator.close();
  }
}
