// The whole path as a user walks it, in a real VS Code in Chromium: sign in by typing the
// keys, expand two clusters, ctrl-select jobs in both, right-click → Delete Jobs → Delete.
// The menu's titles follow the selection: "Delete Job..." and "Copy Job ID" on one job,
// "Delete Jobs..." and "Copy Job IDs" on several.
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import { testKeyOptions } from '../testKeys';
import type { UiTestContext } from '../harness/run';
import type { Locator, Page } from 'playwright-core';
import { answerDialog, docsImage, openSignedIn, row, saveReadmeScreenshot, sidebar, statusBarItem } from './workbench';

export const timeoutMs = 180_000;

/** Right-clicks `target`; resolves with the titles of the context menu it opens. */
async function menuTitles(page: Page, target: Locator): Promise<string[]> {
  await target.click({ button: 'right' });
  const items = page.locator('.context-view .monaco-menu .action-item .action-label');
  await items.first().waitFor();
  await page.waitForTimeout(500); // VS Code ignores the first mouse-up after a menu opens; the menu settles
  return (await items.allInnerTexts()).map((title) => title.trim()).filter((title) => title !== '');
}

/** Clicks the open context menu's item titled exactly `title`. */
async function clickMenuItem(page: Page, title: string): Promise<void> {
  await page.getByRole('menuitem', { name: title, exact: true }).click();
}

/** The clipboard's text, as the page reads it. */
async function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a', 'jn1b'], clustersPerZone: 2, jobsPerCluster: 5, stopDelayMs: 0 });
  try {
    const page = await openSignedIn(ctx, simulator, 'ui-delete');
    const [clusterA] = simulator.clusters('jn1a');
    const [clusterB] = simulator.clusters('jn1b');
    const jobsA = simulator.jobs('jn1a', clusterA.cluster_id);
    const jobsB = simulator.jobs('jn1b', clusterB.cluster_id);
    await row(page, clusterA.cluster_id).click();
    await row(page, clusterB.cluster_id).click();
    await row(page, jobsA[0].hpcjob_uuid).waitFor();
    await row(page, jobsB[0].hpcjob_uuid).waitFor();
    await ctx.screenshot(page, 'tree');
    if (process.env.UPDATE_SCREENSHOTS) {
      await saveReadmeScreenshot(page, docsImage(ctx, 'tree.png'));
    }

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);

    // One job: the titles name one job, and Copy Job ID copies that job's id.
    const one = jobsA[1].hpcjob_uuid;
    await row(page, one).click();
    const single = await menuTitles(page, row(page, one));
    for (const title of ['Delete Job...', 'Copy Job ID']) {
      assert.ok(single.includes(title), `one job's menu has no "${title}": ${single.join(' | ')}`);
    }
    for (const title of ['Delete Jobs...', 'Cancel Jobs...', 'Copy Job IDs']) {
      assert.ok(!single.includes(title), `one job's menu offers "${title}": ${single.join(' | ')}`);
    }
    await ctx.screenshot(page, 'context-menu-one-job');
    await clickMenuItem(page, 'Copy Job ID');
    await statusBarItem(page, `Copied job ID ${one}`).waitFor({ timeout: 5_000 });
    assert.equal(await clipboardText(page), one);

    // Two jobs: the titles say jobs, and Copy Job IDs copies both, in the tree's order.
    const two = [jobsA[0], jobsA[3]].map((job) => job.hpcjob_uuid);
    await row(page, two[1]).click();
    await row(page, two[0]).click({ modifiers: ['Control'] });
    const several = await menuTitles(page, row(page, two[0]));
    for (const title of ['Delete Jobs...', 'Cancel Jobs...', 'Copy Job IDs']) {
      assert.ok(several.includes(title), `two jobs' menu has no "${title}": ${several.join(' | ')}`);
    }
    for (const title of ['Delete Job...', 'Cancel Job...', 'Copy Job ID']) {
      assert.ok(!several.includes(title), `two jobs' menu offers "${title}": ${several.join(' | ')}`);
    }
    await clickMenuItem(page, 'Copy Job IDs');
    await statusBarItem(page, 'Copied 2 job IDs').waitFor({ timeout: 5_000 });
    assert.equal(await clipboardText(page), two.join('\n'));

    const selected = [jobsA[0], jobsA[2], jobsB[1]].map((job) => job.hpcjob_uuid);
    await row(page, selected[0]).click();
    await row(page, selected[1]).click({ modifiers: ['Control'] });
    await row(page, selected[2]).click({ modifiers: ['Control'] });
    simulator.clearRequests();
    await row(page, selected[2]).click({ button: 'right' });
    const menuItem = page.getByRole('menuitem', { name: 'Delete Jobs...', exact: true });
    await menuItem.waitFor();
    await ctx.screenshot(page, 'context-menu');
    if (process.env.UPDATE_SCREENSHOTS) {
      await page.locator('.context-view .monaco-menu').waitFor();
      const menu = (await page.locator('.context-view .monaco-menu').boundingBox())!;
      const side = (await sidebar(page).boundingBox())!;
      await page.screenshot({ path: docsImage(ctx, 'context-menu.png'), clip: { x: side.x, y: side.y, width: menu.x + menu.width + 8 - side.x, height: Math.max(menu.y + menu.height, 420) + 8 - side.y } });
    }
    await page.waitForTimeout(500); // VS Code ignores the first mouse-up after a menu opens
    await menuItem.click();

    const question = await answerDialog(page, 'Delete', async () => {
      await ctx.screenshot(page, 'confirmation');
      if (process.env.UPDATE_SCREENSHOTS) {
        await page.locator('.monaco-dialog-box').screenshot({ path: docsImage(ctx, 'confirmation.png') });
      }
    });
    assert.match(question, /Delete 3 jobs in 2 clusters\?/);

    for (const uuid of selected) {
      await row(page, uuid).waitFor({ state: 'detached', timeout: 15_000 });
    }
    const deletes = simulator.requests.filter((r) => r.path === '/api/job/deleteJobs');
    assert.deepEqual(
      deletes.map((r) => [r.body?.cluster_id, r.body?.job_ids]).sort(),
      [
        [clusterA.cluster_id, selected.slice(0, 2)],
        [clusterB.cluster_id, [selected[2]]],
      ].sort(),
    );
    await row(page, jobsA[1].hpcjob_uuid).waitFor({ timeout: 5_000 }); // an unselected job is still there
    await ctx.screenshot(page, 'after-delete');
  } finally {
    await simulator.close();
  }
}
