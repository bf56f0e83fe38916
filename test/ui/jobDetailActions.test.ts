// A job's details from the mouse: Copy Path over the output file says so in the status bar
// (the extension-host test reads the clipboard); the document's title offers Refresh Job
// Details, and Resubmit... only on an ended job's details.
import * as assert from 'assert/strict';
import type { Page } from 'playwright-core';
import { startSimulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';
import { testKeyOptions } from '../testKeys';
import { openSignedIn, row, statusBarItem } from './workbench';

export const timeoutMs = 180_000;

function titleAction(page: Page, name: RegExp) {
  return page.locator('.editor-actions').getByRole('button', { name });
}

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 20, stopDelayMs: 0 });
  try {
    const page = await openSignedIn(ctx, simulator, 'ui-job-detail-actions');
    const [cluster] = simulator.clusters('jn1a');
    const jobs = simulator.jobs('jn1a', cluster.cluster_id);
    const ended = jobs.find((job) => job.job_status === 'finished' || job.job_status === 'exited');
    const live = jobs.find((job) => job.job_status === 'running' || job.job_status === 'pending');
    assert.ok(ended && live, 'the simulator has no ended or no live job');
    await row(page, cluster.cluster_id).click();

    // A click opens the details; the lenses sit over the files.
    await row(page, ended.hpcjob_uuid).click();
    await page.locator('.tabs-container .tab', { hasText: `(${ended.hpcjob_uuid}).md` }).waitFor({ timeout: 15_000 });
    const copy = page.locator('.codelens-decoration a', { hasText: 'Copy Path' });
    await copy.first().waitFor({ timeout: 15_000 });
    assert.deepEqual(await page.locator('.codelens-decoration a').allInnerTexts(), ['Copy Path', 'Open Output', 'Copy Path', 'Open Error']);
    await titleAction(page, /^Refresh Job Details/).waitFor({ timeout: 10_000 });
    await titleAction(page, /^Resubmit\.\.\./).waitFor({ timeout: 10_000 });

    await copy.first().click();
    await statusBarItem(page, `Copied the output path of "${ended.job_name}"`).waitFor({ timeout: 10_000 });

    // A live job's details: Refresh, no Resubmit.
    await row(page, live.hpcjob_uuid).click();
    await page.locator('.tabs-container .tab', { hasText: `(${live.hpcjob_uuid}).md` }).waitFor({ timeout: 15_000 });
    await titleAction(page, /^Refresh Job Details/).waitFor({ timeout: 10_000 });
    await page.locator('.codelens-decoration a', { hasText: 'Open Output' }).first().waitFor({ timeout: 15_000 });
    assert.equal(await titleAction(page, /^Resubmit\.\.\./).count(), 0, 'Resubmit... on a live job\'s details');
  } finally {
    await simulator.close();
  }
}
