// Clusters as a user sees and stops them, in a real VS Code in Chromium: a cluster's Queues
// and Nodes expanded; then ctrl-select a cluster in each of two zones, right-click → Stop
// Cluster, type the number of jobs the stop ends, watch the rows say "Stopping..." and end
// shut down.
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import { testKeyOptions } from '../testKeys';
import type { UiTestContext } from '../harness/run';
import { contextMenu, docsImage, notification, openSignedIn, quickInput, row, saveReadmeScreenshot, typeInQuickInput } from './workbench';

export const timeoutMs = 180_000;

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a', 'jn1b'], clustersPerZone: 2, jobsPerCluster: 12, clusterPowerMs: 4000 });
  try {
    const page = await openSignedIn(ctx, simulator, 'ui-cluster-power');
    const [clusterA] = simulator.clusters('jn1a');
    const [clusterB] = simulator.clusters('jn1b');
    const jobs = [...simulator.jobs('jn1a', clusterA.cluster_id), ...simulator.jobs('jn1b', clusterB.cluster_id)];
    const live = jobs.filter((job) => job.job_status === 'running' || job.job_status === 'pending').length;
    assert.ok(live > 0, 'the first cluster of each zone has live jobs');

    // What a cluster is made of: its Queues and Nodes, listed when expanded.
    await row(page, clusterA.cluster_id).click();
    await row(page, '^Queues').click();
    await row(page, '^Nodes').click();
    const [queue] = simulator.queues('jn1a', clusterA.cluster_id);
    const nodes = simulator.nodes('jn1a', clusterA.cluster_id);
    const named = (name: string) => row(page, `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ ,]`);
    await named(queue.name).waitFor();
    for (const node of nodes) {
      await named(node.name).waitFor();
    }
    await ctx.screenshot(page, 'queues-and-nodes');
    if (process.env.UPDATE_SCREENSHOTS) {
      await saveReadmeScreenshot(page, docsImage(ctx, 'queues-nodes.png'));
    }
    await row(page, '^Queues').click();
    await row(page, '^Nodes').click();

    await row(page, clusterB.cluster_id).click();
    await row(page, clusterA.cluster_id).click({ modifiers: ['Control'] });
    simulator.clearRequests();
    await contextMenu(page, row(page, clusterB.cluster_id), 'Stop Cluster');

    // Jobs would end with the clusters: their number is typed, as for a large deletion.
    await quickInput(page).locator('.quick-input-title', { hasText: 'Stop 2 clusters?' }).waitFor();
    const prompt = await quickInput(page).locator('.quick-input-message').innerText();
    assert.match(prompt, new RegExp(`Type ${live} to confirm`));
    assert.match(prompt, /stopped with them/);
    await ctx.screenshot(page, 'typed-confirmation');
    await typeInQuickInput(page, String(live));

    await row(page, `Stopping\\.\\.\\. · .*${clusterA.cluster_id}`).waitFor({ timeout: 10_000 });
    await row(page, `Stopping\\.\\.\\. · .*${clusterB.cluster_id}`).waitFor({ timeout: 10_000 });
    await ctx.screenshot(page, 'stopping');
    if (process.env.UPDATE_SCREENSHOTS) {
      await saveReadmeScreenshot(page, docsImage(ctx, 'cluster-power.png'));
    }
    await row(page, `shut down · .*${clusterA.cluster_id}`).waitFor({ timeout: 30_000 });
    await row(page, `shut down · .*${clusterB.cluster_id}`).waitFor({ timeout: 30_000 });
    await notification(page, /^Stopped /).waitFor();
    await ctx.screenshot(page, 'stopped');

    const stops = simulator.requests.filter((r) => r.path === '/api/cluster/stopCluster');
    assert.deepEqual(stops.map((r) => [r.body?.zone, r.body?.cluster_ids]).sort(), [['jn1a', [clusterA.cluster_id]], ['jn1b', [clusterB.cluster_id]]]);
    assert.deepEqual([simulator.clusters('jn1a')[0].cluster_status, simulator.clusters('jn1b')[0].cluster_status], ['stopped', 'stopped']);
  } finally {
    await simulator.close();
  }
}
