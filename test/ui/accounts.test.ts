// Two accounts side by side, as a user sets them up: sign in to the first (the single-account
// settings), add a second on another endpoint with its own key through the view's "..." menu,
// rename the first; one Delete Jobs across both accounts sends each server its own request,
// signed with its own key; Remove Account takes the second away and leaves the first signed in.
import * as assert from 'assert/strict';
import type { Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../simulator/server';
import { testKeyOptions } from '../testKeys';
import type { UiTestContext } from '../harness/run';
import { acceptQuickInput, answerDialog, atStep, contextMenu, docsImage, openSignedIn, quickInput, quickInputBack, row, saveReadmeScreenshot, sidebar, statusBarItem, treeRows, typeInQuickInput } from './workbench';

export const timeoutMs = 240_000;

const SECOND = 'Shanhe';
const FIRST = 'Personal'; // the first account's name after the rename

export async function run(ctx: UiTestContext): Promise<void> {
  const first = await startSimulator({ ...testKeyOptions(), zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: 4, stopDelayMs: 0 });
  // Another seed: other cluster and job ids, so that no row of one account names the other's.
  const second = await startSimulator({ ...testKeyOptions(1), seed: 4242, zones: ['sd1a', 'sd1b'], clustersPerZone: 1, jobsPerCluster: 4, stopDelayMs: 0 });
  try {
    assert.ok(first.accessKeyId !== second.accessKeyId && first.secretAccessKey !== second.secretAccessKey, 'the two simulators have different key pairs');
    const [clusterA, clusterA2] = first.clusters('jn1a');
    const [clusterB] = second.clusters('sd1a');
    const [clusterB2] = second.clusters('sd1b');
    const jobsA = first.jobs('jn1a', clusterA.cluster_id);
    const jobsB = second.jobs('sd1a', clusterB.cluster_id);

    // One account (the single-account settings): signed in as today, no account rows.
    const page = await openSignedIn(ctx, first, 'ui-accounts');
    await row(page, clusterA.cluster_id).waitFor();
    const firstHost = new URL(first.endpoint).host;
    const firstName = new URL(first.endpoint).hostname; // the first account is named after its host, without the port
    const secondHost = new URL(second.endpoint).host;

    // Add Account... from the view's "..." menu: name, endpoint, zones, then the key pair.
    await contextMenu(page, sidebar(page).locator('.title-actions a.codicon-toolbar-more'), 'Add Account...', 'left');
    // One flow of five steps, Back throughout: from the key back to the zones and on again.
    const add = 'Add EHPC Account';
    await atStep(page, add, 1, 5);
    await typeInQuickInput(page, SECOND);
    assert.equal((await atStep(page, add, 2, 5)).value, 'https://hpc.api.qingcloud.com', 'the endpoint step offers QingCloud\'s');
    await typeInQuickInput(page, second.endpoint);
    await atStep(page, add, 3, 5);
    await typeInQuickInput(page, 'sd1a, sd1b');
    await atStep(page, add, 4, 5);
    await typeInQuickInput(page, second.accessKeyId);
    await atStep(page, add, 5, 5);
    await quickInputBack(page);
    assert.equal((await atStep(page, add, 4, 5)).value, second.accessKeyId, 'Back from the secret keeps the id');
    await quickInputBack(page);
    assert.equal((await atStep(page, add, 3, 5)).value, 'sd1a, sd1b', 'Back from the key returns to the zones, kept');
    await acceptQuickInput(page);
    assert.equal((await atStep(page, add, 4, 5)).value, second.accessKeyId, 'the id comes back with the form');
    await acceptQuickInput(page);
    // A wrong secret: the secret step opens again, saying why; the right one then adds the account.
    await atStep(page, add, 5, 5);
    await typeInQuickInput(page, 'not-the-secret');
    await quickInput(page).locator('.quick-input-message', { hasText: 'rejected this key pair' }).waitFor({ timeout: 15_000 });
    await atStep(page, add, 5, 5);
    assert.deepEqual(second.requests.map((r) => r.retCode), [1200, 1200], 'the wrong key was checked with one list per zone');
    second.clearRequests(); // from here on, every request carries the right key
    await typeInQuickInput(page, second.secretAccessKey);
    // Its row says so: a word in the status bar, no notification.
    await statusBarItem(page, `Added the EHPC account ${SECOND}.`).waitFor({ timeout: 15_000 });
    assertOwnKey(second, 'second'); // the key check on Add, and the listing since

    // Both accounts as top-level rows: the first under its host's name, the host and port as description.
    const firstRow = sidebar(page).getByRole('treeitem', { name: new RegExp(`^${escape(firstName)}\\b`), level: 1 });
    await firstRow.waitFor();
    await row(page, `^${SECOND}`).waitFor();

    // Rename the first account: its key goes along, it stays signed in.
    await contextMenu(page, firstRow, 'Rename Account...');
    await quickInput(page).locator('.quick-input-title', { hasText: `Rename Account ${firstName}` }).waitFor();
    await typeInQuickInput(page, FIRST);
    const accountRow = (name: string) => sidebar(page).getByRole('treeitem', { name: new RegExp(`^${name}`), level: 1 });
    await accountRow(FIRST).waitFor();
    await firstRow.waitFor({ state: 'detached' });

    // Each account with its own clusters: the second's under its two zones.
    await row(page, clusterA.cluster_id).click();
    await row(page, clusterB.cluster_id).click();
    await row(page, jobsA[0].hpcjob_uuid).waitFor();
    await row(page, jobsB[0].hpcjob_uuid).waitFor();
    await row(page, clusterB2.cluster_id).waitFor();
    const tree = await accountsInTree(page, [FIRST, SECOND]);
    assert.deepEqual(Object.keys(tree), [FIRST, SECOND], 'the two account rows, in the order added');
    assert.match(tree[FIRST].description, new RegExp(escape(firstHost)));
    assert.match(tree[SECOND].description, new RegExp(escape(secondHost)));
    assert.ok(owns(tree[FIRST].below, [clusterA.cluster_id, clusterA2.cluster_id, ...jobsA.map((j) => j.hpcjob_uuid)]), `the first account's rows: ${tree[FIRST].below.join(' | ')}`);
    assert.ok(owns(tree[SECOND].below, ['sd1a', 'sd1b', clusterB.cluster_id, clusterB2.cluster_id, ...jobsB.map((j) => j.hpcjob_uuid)]), `the second account's rows: ${tree[SECOND].below.join(' | ')}`);
    assert.ok(!owns(tree[FIRST].below, [clusterB.cluster_id]) && !owns(tree[SECOND].below, [clusterA.cluster_id]), 'no cluster under the other account');
    await ctx.screenshot(page, 'accounts');
    if (process.env.UPDATE_SCREENSHOTS) {
      await saveReadmeScreenshot(page, docsImage(ctx, 'accounts.png'));
    }

    // One Delete Jobs across both accounts: each server gets its own request, with its own key.
    const selected = [jobsA[0], jobsA[2], jobsB[1]].map((job) => job.hpcjob_uuid);
    await row(page, selected[0]).click();
    await row(page, selected[1]).click({ modifiers: ['Control'] });
    await row(page, selected[2]).click({ modifiers: ['Control'] });
    first.clearRequests();
    second.clearRequests();
    await contextMenu(page, row(page, selected[2]), 'Delete Jobs');
    const question = await answerDialog(page, 'Delete', () => ctx.screenshot(page, 'accounts-confirmation'));
    assert.match(question, /Delete 3 jobs in 2 clusters\?/);
    for (const named of [`${clusterA.cluster_name} (${FIRST})`, `${clusterB.cluster_name} (${SECOND})`]) {
      assert.ok(question.includes(named), `the question names ${named}, each cluster with its account: ${question}`);
    }
    for (const uuid of selected) {
      await row(page, uuid).waitFor({ state: 'detached', timeout: 15_000 });
    }
    assert.deepEqual(deletesTo(first), [[clusterA.cluster_id, selected.slice(0, 2)]]);
    assert.deepEqual(deletesTo(second), [[clusterB.cluster_id, [selected[2]]]]);
    assertOwnKey(first, 'first');
    assertOwnKey(second, 'second');
    assert.deepEqual(
      first.jobs('jn1a', clusterA.cluster_id).map((job) => job.hpcjob_uuid),
      jobsA.map((job) => job.hpcjob_uuid).filter((uuid) => !selected.includes(uuid)),
    );
    assert.deepEqual(
      second.jobs('sd1a', clusterB.cluster_id).map((job) => job.hpcjob_uuid),
      jobsB.map((job) => job.hpcjob_uuid).filter((uuid) => !selected.includes(uuid)),
    );

    // Remove Account on the second's row: it goes; the first stays, signed in.
    // A click first: with the deleted rows gone, VS Code still holds listMultiSelection true,
    // which hides every item of an account row's menu (all `!listMultiSelection`): a
    // right-click alone opens no menu.
    await accountRow(SECOND).click();
    await contextMenu(page, accountRow(SECOND), 'Remove Account');
    assert.match(await answerDialog(page, 'Remove'), new RegExp(`Remove the EHPC account ${SECOND}\\?`));
    await statusBarItem(page, `Removed the EHPC account ${SECOND}.`).waitFor({ timeout: 15_000 });
    await accountRow(SECOND).waitFor({ state: 'detached' });
    await row(page, clusterA.cluster_id).waitFor();
    await row(page, clusterA2.cluster_id).waitFor();
    assert.equal(await row(page, clusterB.cluster_id).count(), 0, 'the second account\'s clusters left the view');
    assert.equal(await sidebar(page).getByRole('button', { name: 'Sign In' }).count(), 0, 'still signed in: no Sign In button');

    // A refresh asks the first server only, still with its key.
    first.clearRequests();
    second.clearRequests();
    await sidebar(page).getByRole('button', { name: 'Refresh' }).first().click();
    await waitFor(() => first.requests.some((r) => r.retCode === 0), 'a request to the first server after the refresh');
    await row(page, clusterA.cluster_id).waitFor();
    assertOwnKey(first, 'first');
    assert.equal(second.requests.length, 0, 'nothing more went to the removed account\'s server');
    await ctx.screenshot(page, 'accounts-after-remove');
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
}

/** The rows under each top-level account row (their accessible names), and what follows its name. */
async function accountsInTree(page: Page, names: string[]): Promise<Record<string, { description: string; below: string[] }>> {
  const accounts: Record<string, { description: string; below: string[] }> = {};
  let current: string[] | undefined;
  for (const { name, level } of await treeRows(page)) {
    if (level === 1) {
      const label = names.find((n) => name.startsWith(n)) ?? name;
      current = [];
      accounts[label] = { description: name.slice(label.length), below: current };
    } else {
      current?.push(name);
    }
  }
  return accounts;
}

/** Whether every id shows in one of the rows. */
function owns(rows: string[], ids: string[]): boolean {
  return ids.every((id) => rows.some((name) => name.includes(id)));
}

function deletesTo(simulator: Simulator): unknown[] {
  return simulator.requests.filter((r) => r.path === '/api/job/deleteJobs').map((r) => [r.body?.cluster_id, r.body?.job_ids]);
}

/** Every request the simulator received carried its key id and passed its signature check (no key in the message). */
function assertOwnKey(simulator: Simulator, which: string): void {
  const foreign = simulator.requests.filter((r) => r.query.access_key_id !== simulator.accessKeyId || r.retCode !== 0);
  assert.equal(foreign.length, 0, `requests to the ${which} server without its key or refused: ${foreign.map((r) => `${r.path} retCode ${r.retCode}`).join(', ')}`);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
