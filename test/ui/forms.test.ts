// The multi-step forms from the keyboard: Sign In (Back from the secret keeps the id; a
// rejected secret opens the secret step again, saying why) and Filter Jobs (each state
// explained; Back from the name returns to the status chosen).
import * as assert from 'assert/strict';
import { startSimulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';
import { testKeyOptions } from '../testKeys';
import { acceptQuickInput, atStep, quickInput, quickInputBack, sidebar, typeInQuickInput } from './workbench';

export const timeoutMs = 120_000;

export async function run(ctx: UiTestContext): Promise<void> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 12 });
  try {
    ctx.server.setMachineSettings({ 'ehpc.endpoint': simulator.endpoint, 'ehpc.zones': [...simulator.zones], 'ehpc.idleClusterMinutes': 0 });
    ctx.server.clearUserSettings({});
    const page = await ctx.openWorkbench({ folder: ctx.newWorkspace('ui-forms') });
    await page.locator('.activitybar a.action-label[aria-label^="EHPC"]').click();

    // Sign In: the id, the secret; Back keeps the id; a wrong secret keeps the flow open.
    await sidebar(page).getByRole('button', { name: 'Sign In' }).click();
    const signIn = 'Sign In to QingCloud EHPC';
    await atStep(page, signIn, 1, 2);
    await typeInQuickInput(page, simulator.accessKeyId);
    await atStep(page, signIn, 2, 2);
    await quickInputBack(page);
    assert.equal((await atStep(page, signIn, 1, 2)).value, simulator.accessKeyId, 'Back from the secret keeps the id typed');
    await acceptQuickInput(page);
    await atStep(page, signIn, 2, 2);
    await typeInQuickInput(page, 'not-the-secret');
    await quickInput(page).locator('.quick-input-message', { hasText: 'rejected this key pair' }).waitFor({ timeout: 15_000 });
    await atStep(page, signIn, 2, 2);
    await ctx.screenshot(page, 'signin-rejected');
    await typeInQuickInput(page, simulator.secretAccessKey);
    await sidebar(page).getByRole('treeitem').first().waitFor();

    // Filter Jobs: "exited" says what it means; Back from the name returns to it.
    await sidebar(page).getByRole('button', { name: 'Filter Jobs...' }).click();
    const filter = 'Filter Jobs';
    await atStep(page, filter, 1, 2, true);
    await quickInput(page).locator('.monaco-list-row', { hasText: 'Ended with an error' }).waitFor();
    await ctx.screenshot(page, 'filter-status');
    await quickInput(page).locator('input[type]').first().fill('exited');
    await quickInput(page).locator('.monaco-list-row.focused', { hasText: 'exited' }).waitFor();
    await acceptQuickInput(page);
    await atStep(page, filter, 2, 2);
    await quickInputBack(page);
    assert.match((await atStep(page, filter, 1, 2, true)).active ?? '', /^exited/, 'Back returns to the status, the one chosen focused');
    await acceptQuickInput(page);
    await atStep(page, filter, 2, 2);
    await typeInQuickInput(page, '');
    await sidebar(page).locator('.message', { hasText: 'Filter: exited' }).waitFor({ timeout: 5_000 });
  } finally {
    await simulator.close();
  }
}
