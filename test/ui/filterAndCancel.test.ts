// The title bar's Filter Jobs (a status, then a word) and Clear Filter, and Cancel Jobs from
// the context menu, through the real pickers and the real modal.
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';
import { testKeyOptions } from '../testKeys';
import { answerDialog, openSignedIn, row, sidebar, statusBarItem, typeInQuickInput } from './workbench';

export const timeoutMs = 180_000;

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 40, stopDelayMs: 300 });
  try {
    const page = await openSignedIn(ctx, simulator, 'ui-filter');
    const [cluster] = simulator.clusters('jn1a');
    const running = simulator.jobs('jn1a', cluster.cluster_id).filter((job) => job.job_status === 'running');
    assert.ok(running.length >= 2, 'the seeded cluster has running jobs');

    // Filter: only running jobs.
    await sidebar(page).getByRole('button', { name: 'Filter Jobs...' }).click();
    const option = (text: string) => page.locator('.quick-input-widget .monaco-list-row:visible', { hasText: text });
    await option('running').first().click();
    await typeInQuickInput(page, '');
    await row(page, cluster.cluster_id).click();
    await row(page, running[0].hpcjob_uuid).waitFor();
    const shown = await sidebar(page).getByRole('treeitem').allInnerTexts();
    assert.ok(shown.filter((text) => text.includes('hpcjob-')).every((text) => text.includes('running')), `not only running jobs: ${shown.join(' | ')}`);
    await sidebar(page).locator('.message', { hasText: 'Filter: running' }).waitFor({ timeout: 5_000 }); // the message above the rows
    await ctx.screenshot(page, 'filtered');

    // Cancel two running jobs from the context menu.
    simulator.clearRequests();
    await row(page, running[0].hpcjob_uuid).click();
    await row(page, running[1].hpcjob_uuid).click({ modifiers: ['Control'] });
    await row(page, running[1].hpcjob_uuid).click({ button: 'right' });
    const cancel = page.getByRole('menuitem', { name: 'Cancel Jobs' });
    await cancel.waitFor();
    await page.waitForTimeout(500); // VS Code ignores the first mouse-up after a menu opens
    await cancel.click();
    assert.match(await answerDialog(page, 'Stop 2 Jobs'), /Cancel 2 jobs in cluster/);
    for (const job of running.slice(0, 2)) {
      // Cancelled jobs leave a view filtered to running jobs.
      await row(page, job.hpcjob_uuid).waitFor({ state: 'detached', timeout: 15_000 });
    }
    // Done as asked: said in the status bar, not in a notification (the rows say it too).
    await statusBarItem(page, 'Cancelled 2 jobs.').waitFor({ timeout: 10_000 });
    await ctx.screenshot(page, 'cancelled');
    const toasts = await page.locator('.notification-toast').allInnerTexts();
    assert.deepEqual(toasts.filter((text) => /cancel/i.test(text)), [], 'a notification for a cancel that went as asked');
    const stops = simulator.requests.filter((r) => r.path === '/api/job/stopJobs');
    assert.deepEqual(stops.map((r) => r.body?.job_ids), [running.slice(0, 2).map((job) => job.hpcjob_uuid)]);

    // Clear Filter replaces Filter Jobs while a filter is on, and brings every job back.
    await sidebar(page).getByRole('button', { name: 'Clear Filter' }).click();
    await row(page, running[0].hpcjob_uuid).waitFor();
    await sidebar(page).locator('.message', { hasText: 'Filter: running' }).waitFor({ state: 'detached', timeout: 5_000 });
  } finally {
    await simulator.close();
  }
}
