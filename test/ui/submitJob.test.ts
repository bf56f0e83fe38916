// Submit Job as a user walks it: open a script, the editor title's Submit button, the form
// named after the script (the cluster, then the summary of what #SBATCH gave: a field picked
// opens its step, Back returns), Edit... and Cancel at the modal (the answers offered back
// next time), the new job selected in the tree and watched in the status bar, the notification
// when it ends; then Resubmit from it: the job named, one Enter to the modal, a second job.
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';
import { testKeyOptions } from '../testKeys';
import { acceptQuickInput, answerDialog, atStep, docsImage, notification, openSignedIn, quickInput, quickInputBack, row, sidebar, statusBarItem } from './workbench';
import type { Page } from 'playwright-core';

export const timeoutMs = 120_000;

const SCRIPT = ['#!/bin/bash', '#SBATCH --job-name=train-42', '#SBATCH -n 2', '#SBATCH -t 10', '', 'srun hostname', ''].join('\n');
/** The cmd_line that runs the uploaded script: the run user's home, the job's name, a time stamp and a random suffix. */
const COMMAND = /^bash '\/public\/home\/admin\/\.vscode-ehpc\/train-42-\d{8}-\d{6}-[0-9a-z]{6}\.sh'$/;
const WRITES = ['/api/job/createJobFile', '/api/job/submitJob', '/api/job/deleteJobs', '/api/job/stopJobs'];

export async function run(ctx: UiTestContext): Promise<void> {
  // Jobs start at once and run 4 s: the watch's first look-up (10 s, its shortest interval) sees the end.
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 3, lifecycle: { startAfterMs: 0, runMs: 4_000 } });
  try {
    const page = await openSignedIn(ctx, simulator, 'ui-submit', { settings: { 'ehpc.watchIntervalSeconds': 10 }, files: { 'train.sh': SCRIPT } });
    const [cluster] = simulator.clusters('jn1a');
    const jobsBefore = simulator.jobs('jn1a', cluster.cluster_id).length;
    simulator.clearRequests();

    // Open the script with Quick Open; its editor title offers Submit Job...
    await page.keyboard.press('Control+P');
    await quickInput(page).locator('input[type]').first().fill('train.sh');
    await quickInput(page).locator('.monaco-list-row', { hasText: 'train.sh' }).first().waitFor();
    await acceptQuickInput(page);
    await page.locator('.editor-instance .view-line', { hasText: 'srun hostname' }).waitFor();
    await page.locator('.editor-actions').getByRole('button', { name: /^Submit Job\.\.\./ }).click();

    // The form, named after the script: the cluster, then the summary of what #SBATCH gave,
    // "Submit with these settings" first (a path of 2 steps); a field picked opens its step (no
    // count: it is off that path), then the summary again.
    const title = 'Submit train.sh';
    assert.match((await atStep(page, title, 1, 2, true)).active ?? '', /cfd-prod|ehpc-/);
    await acceptQuickInput(page);
    assert.match((await atStep(page, title, 2, 2, true)).active ?? '', /Submit with these settings/);
    const summary = await summaryRows(page);
    for (const [field, value] of [['Queue', '默认队列'], ['Run as', 'admin'], ['Job name', 'train-42'], ['Cores', '2'], ['Memory limit', 'none'], ['Time limit', '10 minutes']]) {
      assert.ok(summary.some((text) => text.startsWith(field) && text.includes(value)), `the summary shows ${field} ${value}: ${summary.join(' | ')}`);
    }
    await ctx.screenshot(page, 'submit-summary');
    await pickInQuickInput(page, 'Queue');
    assert.match((await atStep(page, title, undefined, undefined, true)).active ?? '', /default/, 'the default queue is offered first');
    // Each queue's free slots join it as describeQueue answers, one request per queue.
    await quickInput(page).locator('.monaco-list-row', { hasText: /\d+ free slots?/ }).first().waitFor({ timeout: 5_000 });
    assert.match((await atStep(page, title, undefined, undefined, true)).active ?? '', /default/, 'the default queue stays active as the slots arrive');
    assert.equal(simulator.requests.filter((r) => r.path === '/api/queue/describeQueue').length, simulator.queues('jn1a', cluster.cluster_id).length);
    await acceptQuickInput(page);
    await atStep(page, title, 2, 2, true); // back at the summary
    await pickInQuickInput(page, 'Cores');
    const cores = await atStep(page, title, undefined, undefined);
    assert.equal(cores.value, '2', 'the cores come from #SBATCH -n 2 (× 1 cpu per task)');
    assert.match(cores.prompt, /queue 默认队列: at most \d+, \d+ nodes of \d+ cores/, 'the prompt names what the chosen queue can run');
    await quickInputBack(page);
    assert.match((await atStep(page, title, 2, 2, true)).active ?? '', /Submit with these settings/, 'Back returns to the summary');
    await acceptQuickInput(page);

    // Edit... at the question opens the form again with its answers; Cancel keeps them for the next Submit.
    await answerDialog(page, 'Edit...');
    await atStep(page, title, 1, 2, true);
    await acceptQuickInput(page);
    await atStep(page, title, 2, 2, true);
    await acceptQuickInput(page);
    await answerDialog(page, 'Cancel');
    await quickInput(page).waitFor({ state: 'hidden' });
    await page.locator('.editor-actions').getByRole('button', { name: /^Submit Job\.\.\./ }).click();
    await atStep(page, title, 1, 2, true);
    await acceptQuickInput(page);
    assert.match((await atStep(page, title, 2, 2, true)).active ?? '', /Submit with these settings.*your answers from last time/s, 'the answers are offered back');
    await acceptQuickInput(page);

    const question = await answerDialog(page, 'Submit', () => ctx.screenshot(page, 'submit-confirmation'));
    assert.match(question, /Submit job "train-42" to cfd-prod\?/);
    assert.match(question, /Queue: 默认队列/);
    assert.match(question, /Run as: admin/);
    assert.match(question, /Cores: 2\b/);
    assert.match(question, /Time limit: 10\b/);
    assert.match(question, /Script: train\.sh/);
    const command = /Command: (.*)/.exec(question)?.[1].trim() ?? '';
    assert.match(command, COMMAND);

    // The new job: selected in the tree, watched in the status bar, then told when it ends.
    const first = await submittedJob(simulator, cluster.cluster_id, 1);
    const firstRow = row(page, first);
    await firstRow.waitFor({ timeout: 15_000 });
    await sidebar(page).locator('.monaco-list-row[aria-selected="true"]', { hasText: first }).waitFor({ timeout: 5_000 }); // revealed and selected
    await statusBarItem(page, 'EHPC: 1 running').waitFor({ timeout: 10_000 });
    const ended = notification(page, /Job "train-42" finished on \S+ after \d+ s\./);
    await ended.waitFor({ timeout: 30_000 });
    assert.deepEqual(await ended.locator('.monaco-button').allInnerTexts(), ['Show Output', 'Show Details', 'Resubmit']);
    await statusBarItem(page, 'EHPC: 1 running').waitFor({ state: 'detached', timeout: 5_000 });
    await ctx.screenshot(page, 'submit');
    if (process.env.UPDATE_SCREENSHOTS) {
      await page.screenshot({ path: docsImage(ctx, 'submit.png') });
    }

    // Resubmit from the notification: the job named, its settings summed up, one Enter to the question;
    // the script it came from is offered to upload again.
    await ended.locator('.monaco-button', { hasText: 'Resubmit' }).click();
    const again = 'Resubmit train-42';
    assert.match((await atStep(page, again, undefined, undefined, true)).active ?? '', /Resubmit with these settings/);
    const resubmitted = await summaryRows(page);
    assert.ok(resubmitted.some((text) => text.includes('Upload train.sh again and submit it')), `the script is offered: ${resubmitted.join(' | ')}`);
    assert.ok(resubmitted.some((text) => text.startsWith('Command') && text.includes(command)), 'the command the job ran');
    await acceptQuickInput(page);
    const second = await answerDialog(page, 'Submit');
    assert.match(second, /Submit job "train-42" to cfd-prod\?/);
    assert.equal(/Command: (.*)/.exec(second)?.[1].trim(), command);
    assert.doesNotMatch(second, /Script:/, 'nothing is uploaded again');
    const secondId = await submittedJob(simulator, cluster.cluster_id, 2);
    await row(page, secondId).waitFor({ timeout: 15_000 });
    await firstRow.waitFor(); // both are listed

    // Resubmit... on a job another user ran: it runs as that user again, though admin was
    // the last run user chosen on this cluster; then the form is closed, nothing sent.
    const other = simulator.jobs('jn1a', cluster.cluster_id).find((job) => job.job_status === 'finished' && job.run_user === 'hpcuser');
    assert.ok(other, 'the seeded cluster has a finished job of hpcuser');
    await row(page, other.hpcjob_uuid).click({ button: 'right' });
    const resubmit = page.getByRole('menuitem', { name: 'Resubmit...' });
    await resubmit.waitFor();
    await page.waitForTimeout(500); // VS Code ignores the first mouse-up after a menu opens
    await resubmit.click();
    await atStep(page, again.replace('train-42', other.job_name), undefined, undefined, true);
    const otherRows = await summaryRows(page);
    assert.ok(otherRows.some((text) => text.startsWith('Command') && text.includes(other.cmd_line)), `its command: ${otherRows.join(' | ')}`);
    assert.ok(otherRows.some((text) => text.startsWith('Queue') && text.includes(other.queue_name)), `its queue: ${otherRows.join(' | ')}`);
    assert.ok(otherRows.some((text) => text.startsWith('Run as') && text.includes('hpcuser')), 'the job\'s own run user, not the last one chosen');
    assert.ok(!otherRows.some((text) => text.includes('Upload')), 'no script to upload again for a job not submitted from one');
    await page.keyboard.press('Escape');
    await quickInput(page).waitFor({ state: 'hidden' });

    // What the cluster received: one file, the script as it is, and two jobs running it.
    const writes = simulator.requests.filter((r) => WRITES.includes(r.path));
    assert.deepEqual(writes.map((r) => r.path), ['/api/job/createJobFile', '/api/job/submitJob', '/api/job/submitJob']);
    const files = simulator.files('jn1a', cluster.cluster_id);
    assert.deepEqual(files.map((file) => [file.path, file.content, file.fileType]), [[command.slice("bash '".length, -1), SCRIPT, 'plain']]);
    for (const submit of writes.slice(1)) {
      assert.equal(submit.body?.cmd_line, command);
      assert.equal(submit.body?.core_limit, 2);
      assert.equal(submit.body?.run_user, 'admin');
      assert.equal(submit.body?.name, 'train-42');
    }
    assert.equal(simulator.jobs('jn1a', cluster.cluster_id).length, jobsBefore + 2);
  } finally {
    await simulator.close();
  }
}

/** The rows of the quick pick showing, as read: label and description. */
async function summaryRows(page: Page): Promise<string[]> {
  await quickInput(page).locator('.monaco-list-row', { hasText: 'Cores' }).first().waitFor();
  return (await quickInput(page).locator('.monaco-list-row').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** Types `label` into the quick pick's filter and takes the row it leaves. */
async function pickInQuickInput(page: Page, label: string): Promise<void> {
  await quickInput(page).locator('input[type]').first().fill(label);
  await quickInput(page).locator('.monaco-list-row.focused', { hasText: label }).waitFor();
  await acceptQuickInput(page);
}

/** The uuid of the `count`-th job named train-42 once the cluster lists it. */
async function submittedJob(simulator: Awaited<ReturnType<typeof startSimulator>>, clusterId: string, count: number): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const jobs = simulator.jobs('jn1a', clusterId).filter((job) => job.job_name === 'train-42');
    if (jobs.length >= count) {
      return jobs[0].hpcjob_uuid; // newest first
    }
    if (Date.now() > deadline) {
      throw new Error(`the cluster lists ${jobs.length} job(s) named train-42, not ${count}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
