// Steps UI tests share: open the workbench on a simulator, sign in as a user would, find rows.
import type { Locator, Page } from 'playwright-core';
import type { Simulator } from '../../simulator/server';
import type { UiTestContext } from '../harness/run';

/**
 * Opens VS Code pointed at `simulator` (the endpoint in the server's settings, as no
 * workspace may set it; the zones in the workspace's), opens the EHPC view and signs in.
 */
export async function openSignedIn(ctx: UiTestContext, simulator: Simulator, name: string): Promise<Page> {
  ctx.server.setMachineSettings({ 'ehpc.endpoint': simulator.endpoint });
  const folder = ctx.newWorkspace(name, { 'ehpc.zones': [...simulator.zones] });
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
