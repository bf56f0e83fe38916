// From the notification of a job that finished to what it printed: Show Output, the login
// node's host key trusted in the real modal (its fingerprint shown), the password typed, and
// the job's output in a tab titled by the job.
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';
import { testKeyOptions } from '../testKeys';
import { answerDialog, contextMenu, docsImage, notification, openSignedIn, row, typeInQuickInput } from './workbench';

export const timeoutMs = 120_000;

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 3, jobOutput: { stepMs: 500 } });
  try {
    const [cluster] = simulator.clusters('jn1a');
    const login = simulator.loginNodes.address(cluster.cluster_id);
    // The simulator's login node listens on a port of its own: the host is the one listNodes names.
    const settings = { 'ehpc.watchIntervalSeconds': 10, 'ehpc.ssh.loginNodes': { [cluster.cluster_id]: `:${login.port}` } };
    const page = await openSignedIn(ctx, simulator, 'ui-output', { settings });
    // A job that starts now and runs 8 s, listed when the cluster is expanded.
    const job = simulator.addRunningJob('jn1a', cluster.cluster_id, 'train-42', 8_000);
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
  } finally {
    await simulator.close();
  }
}
