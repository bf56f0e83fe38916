// From the notification of a job that finished to what it printed: Show Output, the login
// node's host key trusted in the real modal (its fingerprint shown), the password typed, and
// the job's output in a tab titled by the job. Then two jobs on two clusters watched: the
// status bar's picker names each one's cluster, and its Stop Watching button lets one go
// while the picker stays open on the other.
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';
import { testKeyOptions } from '../testKeys';
import type { Page } from 'playwright-core';
import { acceptQuickInput, answerDialog, contextMenu, docsImage, notification, openSignedIn, quickInput, row, sidebar, statusBarItem, typeInQuickInput } from './workbench';

export const timeoutMs = 120_000;

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: 3, jobOutput: { stepMs: 500 } });
  try {
    const [cluster, other] = simulator.clusters('jn1a');
    const login = simulator.loginNodes.address(cluster.cluster_id);
    // The simulator's login node listens on a port of its own: the host is the one listNodes names.
    const settings = { 'ehpc.watchIntervalSeconds': 10, 'ehpc.ssh.loginNodes': { [cluster.cluster_id]: `:${login.port}` } };
    const page = await openSignedIn(ctx, simulator, 'ui-output', { settings });
    // A job that starts now and runs 8 s, listed when the cluster is expanded.
    const job = simulator.addRunningJob('jn1a', cluster.cluster_id, 'train-42', 8_000);
    // Two long jobs, one on each cluster, for the Watched Jobs picker afterwards.
    const longJobs = [simulator.addRunningJob('jn1a', cluster.cluster_id, 'md-long', 600_000), simulator.addRunningJob('jn1a', other.cluster_id, 'cfd-long', 600_000)];
    await row(page, cluster.cluster_id).click();
    await contextMenu(page, row(page, job.hpcjob_uuid), 'Watch');

    const ended = notification(page, /Job "train-42" finished/);
    await ended.waitFor({ timeout: 40_000 });
    await ended.locator('.monaco-button', { hasText: 'Show Output' }).click();
    const question = await answerDialog(page, 'Trust and Connect', () => ctx.screenshot(page, 'output-host-key'));
    assert.match(question, /The login node 127\.0\.0\.1:\d+ is not known yet\./);
    assert.ok(question.includes(login.fingerprint), `the fingerprint ${login.fingerprint} is not in: ${question}`);
    await typeInQuickInput(page, simulator.loginNodes.password);

    await page.locator('.tabs-container .tab', { hasText: `train-42 (${job.hpcjob_uuid}).out` }).waitFor({ timeout: 15_000 });
    await page.locator('.editor-instance .view-line', { hasText: /step\s1\// }).first().waitFor({ timeout: 10_000 });
    await page.locator('.editor-instance .view-line', { hasText: /done:\sjob\s\d+/ }).first().waitFor({ timeout: 10_000 });
    await ctx.screenshot(page, 'output');
    if (process.env.UPDATE_SCREENSHOTS) {
      await page.screenshot({ path: docsImage(ctx, 'output.png') });
    }

    await watchedJobsPicker(ctx, page, longJobs, [cluster, other]);
  } finally {
    await simulator.close();
  }
}

/**
 * Both jobs watched from their rows; the status bar item clicked: the picker shows each job with
 * its cluster. Stop Watching on the first: it is no longer watched (the count and its row say
 * so) and the picker stays open on the second, which Enter reveals in the tree.
 */
async function watchedJobsPicker(ctx: UiTestContext, page: Page, jobs: { hpcjob_uuid: string; job_name: string }[], clusters: { cluster_id: string; cluster_name: string }[]): Promise<void> {
  await row(page, clusters[1].cluster_id).click(); // expands the second cluster
  for (const job of jobs) {
    await row(page, job.hpcjob_uuid).waitFor({ timeout: 10_000 });
    await contextMenu(page, row(page, job.hpcjob_uuid), 'Watch');
    await row(page, `watching · ${job.hpcjob_uuid}`).waitFor({ timeout: 5_000 });
  }
  await statusBarItem(page, 'EHPC: 2 running').click();
  const picker = quickInput(page);
  await picker.locator('.quick-input-title', { hasText: 'Watched Jobs' }).waitFor();
  const items = picker.locator('.monaco-list-row');
  const item = (job: { job_name: string }) => items.filter({ hasText: job.job_name });
  await item(jobs[1]).waitFor();
  assert.equal(await items.count(), 2);
  for (const [i, job] of jobs.entries()) {
    const text = (await item(job).innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes(clusters[i].cluster_name), `the item of ${job.job_name} names its cluster ${clusters[i].cluster_name}: ${text}`);
    assert.ok(text.includes(job.hpcjob_uuid), `the item of ${job.job_name} shows its id: ${text}`);
  }
  await ctx.screenshot(page, 'watched-jobs');

  await item(jobs[0]).hover();
  await item(jobs[0]).getByRole('button', { name: 'Stop Watching' }).click();
  await statusBarItem(page, 'EHPC: 1 running').waitFor({ timeout: 5_000 });
  await row(page, `watching · ${jobs[0].hpcjob_uuid}`).waitFor({ state: 'detached', timeout: 5_000 });
  await row(page, jobs[0].hpcjob_uuid).waitFor(); // still listed, no longer watched
  await item(jobs[0]).waitFor({ state: 'detached' });
  assert.ok(await picker.isVisible(), 'the picker closed after Stop Watching');
  assert.equal(await items.count(), 1);
  await acceptQuickInput(page);
  await picker.waitFor({ state: 'hidden' });
  await sidebar(page).locator('.monaco-list-row[aria-selected="true"]', { hasText: jobs[1].hpcjob_uuid }).waitFor({ timeout: 5_000 });
}
