// An account's own menu, as a user with two accounts meets it: the key actions that fit (Sign
// Out and Change Key... with a key, Sign In without); a zone the endpoint does not know says so
// and, from the keyboard, Enter on its row opens Edit Zones..., which fixes the zones for the
// user; Change Endpoint... moves an account to another address.
import * as assert from 'assert/strict';
import type { Page } from 'playwright-core';
import { startSimulator } from '../../simulator/server';
import { testKeyOptions } from '../testKeys';
import type { UiTestContext } from '../harness/run';
import { quickInput, row, sidebar, treeRows, typeInQuickInput } from './workbench';

export const timeoutMs = 180_000;

const LAB = 'Lab';
const HOME = 'Home';
const MISSING = 'Zone nosuch9 does not exist on this endpoint.';

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a', 'jn1b'], clustersPerZone: 1, jobsPerCluster: 2, stopDelayMs: 0 });
  try {
    const [clusterA] = simulator.clusters('jn1a');
    const [clusterB] = simulator.clusters('jn1b');
    ctx.server.setMachineSettings({ 'ehpc.endpoint': simulator.endpoint, 'ehpc.zones': ['jn1a'], 'ehpc.idleClusterMinutes': 0 });
    ctx.server.clearUserSettings({
      'ehpc.accounts': [
        { name: LAB, endpoint: simulator.endpoint, zones: ['jn1a', 'nosuch9'] },
        { name: HOME, endpoint: simulator.endpoint, zones: ['jn1b'] },
      ],
    });
    const page = await ctx.openWorkbench({ folder: ctx.newWorkspace('ui-account-menu') });
    await page.locator('.activitybar a.action-label[aria-label^="EHPC"]').click();
    // Sign in to Lab only: Home stays without a key.
    await sidebar(page).getByRole('button', { name: 'Sign In' }).click();
    await typeInQuickInput(page, LAB);
    await typeInQuickInput(page, simulator.accessKeyId);
    await typeInQuickInput(page, simulator.secretAccessKey);
    const accountRow = (name: string) => sidebar(page).getByRole('treeitem', { name: new RegExp(`^${name}`), level: 1 });
    await row(page, clusterA.cluster_id).waitFor();
    const missing = row(page, escape(MISSING));
    await missing.waitFor();
    await missing.hover();
    assert.equal(await missing.getByRole('button', { name: 'Retry' }).count(), 0, 'no Retry that cannot work');
    assert.equal(await missing.getByRole('button', { name: 'Edit Zones...' }).count(), 1, 'Edit Zones... inline');
    await ctx.screenshot(page, 'account-menu-missing-zone');

    // The account menus: what fits the key each account has.
    const signedIn = await menuOf(page, accountRow(LAB));
    for (const item of ['Sign Out', 'Change Key...', 'Rename Account...', 'Edit Zones...', 'Change Endpoint...', 'Remove Account']) {
      assert.ok(signedIn.includes(item), `${LAB}'s menu has ${item}: ${signedIn.join(' | ')}`);
    }
    assert.ok(!signedIn.includes('Sign In'), `${LAB} has a key: no Sign In (${signedIn.join(' | ')})`);
    const signedOut = await menuOf(page, accountRow(HOME));
    assert.ok(signedOut.includes('Sign In'), `${HOME} has no key: Sign In (${signedOut.join(' | ')})`);
    assert.ok(!signedOut.includes('Sign Out') && !signedOut.includes('Change Key...'), `${HOME} has no key to sign out of or change (${signedOut.join(' | ')})`);

    // From the keyboard: the menu closed, the focus is on Home's row; up to the zone's row, Enter.
    const rows = await treeRows(page);
    const from = rows.findIndex((r) => r.name.startsWith(HOME) && r.level === 1);
    const to = rows.findIndex((r) => r.name.includes(MISSING));
    assert.ok(to >= 0 && from > to, `rows: ${rows.map((r) => r.name).join(' | ')}`);
    for (let i = 0; i < from - to; i++) {
      await page.keyboard.press('ArrowUp');
    }
    await page.keyboard.press('Enter');
    const input = quickInput(page);
    await input.locator('.quick-input-title', { hasText: `Edit Zones of ${LAB}` }).waitFor();
    assert.equal(await input.locator('input[type]').first().inputValue(), 'jn1a, nosuch9');
    await input.locator('.quick-input-message', { hasText: /no zone nosuch9/ }).waitFor();
    await ctx.screenshot(page, 'account-menu-edit-zones');
    await typeInQuickInput(page, 'jn1a, jn1b');
    await missing.waitFor({ state: 'detached', timeout: 15_000 });
    await row(page, clusterB.cluster_id).waitFor({ timeout: 15_000 });

    // Change Endpoint... on Home's row: written for the user, the row shows the new address.
    const other = simulator.endpoint.replace('127.0.0.1', 'localhost');
    await accountRow(HOME).click({ button: 'right' });
    await clickMenuItem(page, 'Change Endpoint...');
    await input.locator('.quick-input-title', { hasText: `Change Endpoint of ${HOME}` }).waitFor();
    assert.equal(await input.locator('input[type]').first().inputValue(), simulator.endpoint);
    await typeInQuickInput(page, other);
    await sidebar(page).getByRole('treeitem', { name: new RegExp(`^${HOME}.*${escape(new URL(other).host)}`), level: 1 }).waitFor({ timeout: 15_000 });
    await row(page, clusterB.cluster_id).waitFor(); // Lab's rows stay
    await ctx.screenshot(page, 'account-menu-endpoint');
  } finally {
    await simulator.close();
  }
}

/** The context menu's items on `target`, then the menu closed (Escape), the focus back on the row. */
async function menuOf(page: Page, target: ReturnType<Page['locator']>): Promise<string[]> {
  // A right-click alone: a left click on an account row would fold it.
  await target.click({ button: 'right' });
  const items = page.locator('.context-view').getByRole('menuitem');
  await items.first().waitFor();
  const names = (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
  await page.keyboard.press('Escape');
  await items.first().waitFor({ state: 'detached' });
  return names;
}

async function clickMenuItem(page: Page, item: string): Promise<void> {
  const menuItem = page.getByRole('menuitem', { name: item });
  await menuItem.waitFor();
  await page.waitForTimeout(500); // VS Code ignores the first mouse-up after a menu opens
  await menuItem.click();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
