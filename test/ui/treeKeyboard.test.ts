// The tree from the keyboard: the outline stays in the tree after Delete (on the next job) and
// after Load More (on the first job it added); Enter on a job previews its details in one tab;
// a selection mixing ended and running jobs still offers Cancel Jobs.
import * as assert from 'assert/strict';
import type { Page } from 'playwright-core';
import { startSimulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';
import { testKeyOptions } from '../testKeys';
import { answerDialog, row, openSignedIn, sidebar } from './workbench';

export const timeoutMs = 180_000;

/** The accessible name of the row the keyboard outline is on. */
async function outlined(page: Page): Promise<string> {
  const focused = sidebar(page).locator('.monaco-list-row.focused');
  await focused.first().waitFor({ timeout: 10_000 });
  return (await focused.first().getAttribute('aria-label')) ?? '';
}

async function waitForOutline(page: Page, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let name = '';
  while (Date.now() < deadline) {
    name = await outlined(page).catch(() => '');
    if (name.includes(text)) {
      return;
    }
    await page.waitForTimeout(200);
  }
  assert.fail(`the outline is on "${name}", not on ${text}`);
}

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 130, stopDelayMs: 0 });
  try {
    const page = await openSignedIn(ctx, simulator, 'ui-tree-keyboard');
    const [cluster] = simulator.clusters('jn1a');
    const jobs = simulator.jobs('jn1a', cluster.cluster_id);
    await row(page, cluster.cluster_id).click();
    await row(page, jobs[1].hpcjob_uuid).waitFor();

    // A selection of a running and an ended job offers Cancel Jobs.
    const live = jobs.slice(0, 100).find((job) => job.job_status === 'running' || job.job_status === 'pending');
    const ended = jobs.slice(0, 100).find((job) => job.job_status === 'finished' || job.job_status === 'exited');
    if (live && ended) {
      await row(page, live.hpcjob_uuid).click();
      await row(page, ended.hpcjob_uuid).click({ modifiers: ['Control'] });
      await row(page, ended.hpcjob_uuid).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Cancel Jobs' }).waitFor({ timeout: 5_000 });
      await page.keyboard.press('Escape');
    }

    // Delete from the keyboard: the outline goes to the job after the one deleted.
    await row(page, jobs[1].hpcjob_uuid).click();
    await page.keyboard.press('ArrowDown');
    await waitForOutline(page, jobs[2].hpcjob_uuid);
    await page.keyboard.press(process.platform === 'darwin' ? 'Meta+Backspace' : 'Delete');
    await answerDialog(page, 'Delete');
    await row(page, jobs[2].hpcjob_uuid).waitFor({ state: 'detached', timeout: 15_000 });
    await waitForOutline(page, jobs[3].hpcjob_uuid);
    await page.keyboard.press('ArrowDown');
    await waitForOutline(page, jobs[4].hpcjob_uuid); // the keys still move in the tree

    // Enter previews the job's details, the tree keeping the keyboard; the next Enter reuses the tab.
    await page.keyboard.press('Enter');
    const tabOf = (job: (typeof jobs)[number]) => page.locator('.tabs-container .tab', { hasText: `(${job.hpcjob_uuid}).md` });
    await tabOf(jobs[4]).waitFor({ timeout: 15_000 });
    const tabClass = (await tabOf(jobs[4]).getAttribute('class')) ?? '';
    const labelClass = (await tabOf(jobs[4]).locator('.monaco-icon-label').first().getAttribute('class')) ?? '';
    assert.match(`${tabClass} ${labelClass}`, /\b(preview|italic)\b/, `the details open in the preview tab: ${tabClass} / ${labelClass}`);
    await page.keyboard.press('ArrowDown');
    await waitForOutline(page, jobs[5].hpcjob_uuid);
    await page.keyboard.press('Enter');
    await tabOf(jobs[5]).waitFor({ timeout: 15_000 });
    assert.equal(await tabOf(jobs[4]).count(), 0, 'one preview tab, reused');

    // Load More says what it brings; Enter on it leaves the outline on the first job it added.
    const more = row(page, 'Load 29 More');
    await page.keyboard.press('End');
    await more.waitFor({ timeout: 10_000 });
    assert.match((await more.getAttribute('aria-label')) ?? '', /100 of 129 shown/);
    await waitForOutline(page, 'Load 29 More');
    await page.keyboard.press('Enter');
    await more.waitFor({ state: 'detached', timeout: 15_000 });
    await waitForOutline(page, jobs[101].hpcjob_uuid);
  } finally {
    await simulator.close();
  }
}
