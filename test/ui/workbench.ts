// Steps UI tests share: open the workbench on a simulator, sign in as a user would, find rows,
// answer the quick inputs and dialogs, read notifications.
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import type { Simulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';

/** More user settings besides the zones, and the workspace's files by relative path. */
export interface WorkspaceContent {
  settings?: Record<string, unknown>;
  files?: Record<string, string>;
}

/**
 * Opens VS Code pointed at `simulator` (the endpoint and the zones in the server's settings,
 * `content.settings` in the user's: no workspace may set them), opens the EHPC view and signs in.
 */
export async function openSignedIn(ctx: UiTestContext, simulator: Simulator, name: string, content: WorkspaceContent = {}): Promise<Page> {
  // The zones beside the endpoint, in the machine's settings, which outrank the user's: a
  // window of an earlier test may still write its zones into the user's settings file.
  ctx.server.setMachineSettings({ 'ehpc.endpoint': simulator.endpoint, 'ehpc.zones': [...simulator.zones], 'ehpc.idleClusterMinutes': 0 });
  // One account, from ehpc.endpoint: whatever accounts an earlier test added are gone.
  ctx.server.clearUserSettings({ ...content.settings });
  const folder = ctx.newWorkspace(name);
  for (const [file, text] of Object.entries(content.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), text);
  }
  const page = await ctx.openWorkbench({ folder });
  await page.locator('.activitybar a.action-label[aria-label^="EHPC"]').click();
  await sidebar(page).getByRole('button', { name: 'Sign In' }).click();
  await typeInQuickInput(page, simulator.accessKeyId);
  await typeInQuickInput(page, simulator.secretAccessKey);
  await sidebar(page).getByRole('treeitem').first().waitFor();
  return page;
}

export function sidebar(page: Page): Locator {
  return page.locator('#workbench\\.parts\\.sidebar');
}

/** A tree row whose label or description contains `text` (an id, say). */
export function row(page: Page, text: string): Locator {
  return sidebar(page).getByRole('treeitem', { name: new RegExp(text) });
}

/** The modal dialog; resolves after clicking `button` in it. Returns the dialog's text. */
export async function answerDialog(page: Page, button: string, screenshot?: () => Promise<unknown>): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  const text = await dialog.innerText();
  await screenshot?.();
  await dialog.getByRole('button', { name: button, exact: true }).click();
  return text;
}

export async function typeInQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input[type]').first();
  await input.waitFor();
  await input.fill(text);
  await input.press('Enter');
  // Wait until this input box is hidden or has moved on to the next step.
  await page.waitForFunction(
    (typed) => {
      const widget = document.querySelector<HTMLElement>('.quick-input-widget');
      return !widget || widget.style.display === 'none' || widget.querySelector('input')?.value !== typed;
    },
    text,
  );
}

/** The quick input showing. */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/**
 * Waits for step `step` of a multi-step quick input ("Title (3/7)"; a step without a count,
 * "Title" alone, when `step` is undefined); resolves with what it shows: its input's value (a
 * text step's answer, a pick step's filter), its prompt, and the focused row of a pick step
 * once its items are there (`pick`).
 */
export async function atStep(page: Page, title: string, step: number | undefined, totalSteps: number | undefined, pick = false): Promise<{ value: string; prompt: string; active?: string }> {
  const widget = quickInput(page);
  const shown = step === undefined ? new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : `${title} (${step}/${totalSteps})`;
  await widget.locator('.quick-input-title', { hasText: shown }).waitFor();
  const active = pick ? await widget.locator('.monaco-list-row.focused').first().innerText() : undefined;
  return {
    value: await widget.locator('input[type]').first().inputValue(),
    prompt: await widget.locator('.quick-input-message').innerText().catch(() => ''),
    active,
  };
}

/** Presses Enter in the quick input: accepts its value, or a pick step's focused row. */
export async function acceptQuickInput(page: Page): Promise<void> {
  await quickInput(page).locator('input[type]').first().press('Enter');
}

/** A notification toast whose message matches `message`. */
export function notification(page: Page, message: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: message });
}

/** The status bar item whose text contains `text`. */
export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: text });
}

/** Where the README's pictures live (refreshed with UPDATE_SCREENSHOTS=1). */
export function docsImage(ctx: UiTestContext, name: string): string {
  return path.join(ctx.repoRoot, 'docs', 'images', name);
}

/** A README picture of the tree: the sidebar widened so descriptions show in full, down to the last row. */
export async function saveReadmeScreenshot(page: Page, file: string): Promise<void> {
  const box = (await sidebar(page).boundingBox())!;
  await page.mouse.move(box.x + box.width + 1, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width + 260, box.y + 200, { steps: 5 });
  await page.mouse.up();
  const rows = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row');
  const last = (await rows.last().boundingBox())!;
  const wide = (await sidebar(page).boundingBox())!;
  await page.screenshot({ path: file, clip: { x: wide.x, y: wide.y, width: wide.width, height: last.y + last.height + 8 - wide.y } });
}

/** Right-clicks `target` (or clicks it: a "..." button) and clicks the menu's `item`. */
export async function contextMenu(page: Page, target: Locator, item: string, button: 'left' | 'right' = 'right'): Promise<void> {
  await target.click({ button });
  const menuItem = page.getByRole('menuitem', { name: item });
  await menuItem.waitFor();
  await page.waitForTimeout(500); // VS Code ignores the first mouse-up after a menu opens
  await menuItem.click();
}

/** The tree's rendered rows, top to bottom: each row's accessible name and depth (1 = top level). */
export async function treeRows(page: Page): Promise<{ name: string; level: number }[]> {
  const rows = await sidebar(page)
    .getByRole('treeitem')
    .evaluateAll((items) => items.map((r) => ({ index: Number(r.getAttribute('data-index')), name: r.getAttribute('aria-label') ?? '', level: Number(r.getAttribute('aria-level')) })));
  // The list reuses row elements: the DOM order is not the order shown.
  return rows.sort((a, b) => a.index - b.index).map(({ name, level }) => ({ name, level }));
}

/** The quick input's Back, from the keyboard (Ctrl+Alt+- on Linux, where the tests run). */
export async function quickInputBack(page: Page): Promise<void> {
  await quickInput(page).locator('input[type]').first().press('Control+Alt+Minus');
}
