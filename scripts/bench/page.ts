// Watching the workbench page: when rows appear, and what VS Code itself shows.
import type { Page } from 'playwright-core';

const EXTENSION_ID = 'qingcloud-ehpc.qingcloud-ehpc';

/** Set in the page: when a row with each watched text first appeared (ms since the epoch). */
type Shown = Record<string, number>;
type WatchedWindow = { ehpcBenchShown?: Shown };

/**
 * Notes, in the page, when a row whose text contains each target first appears in the side
 * bar: a MutationObserver sees it as the DOM changes, without polling from here.
 */
export function watchRows(page: Page, targets: string[]): Promise<void> {
  return page.evaluate((texts) => {
    const shown: Shown = {};
    (window as unknown as WatchedWindow).ehpcBenchShown = shown;
    const check = () => {
      const rows = document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row');
      for (const text of texts) {
        if (shown[text] === undefined && Array.from(rows).some((row) => (row.textContent ?? '').includes(text))) {
          shown[text] = Date.now();
        }
      }
      if (texts.every((text) => shown[text] !== undefined)) {
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    check();
  }, targets);
}

export async function shownAt(page: Page, text: string): Promise<number> {
  const handle = await page.waitForFunction(
    (target) => (window as unknown as WatchedWindow).ehpcBenchShown?.[target],
    text,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * VS Code's own figure from Developer: Show Running Extensions: "Activation: N ms", the time
 * to load the extension's code plus the time its activate() took (activationTimes in the
 * extension host).
 */
export async function readActivationTime(page: Page): Promise<number | undefined> {
  await page.keyboard.press('F1');
  await page.keyboard.type('Developer: Show Running Extensions');
  await page.locator('.quick-input-widget .monaco-list-row:visible', { hasText: 'Show Running Extensions' }).first().click();
  const row = page.locator('.runtime-extensions-editor .extension', { has: page.locator('.name', { hasText: EXTENSION_ID }) });
  const text = await row.locator('.activation-time').innerText({ timeout: 15_000 });
  const match = /(\d+)\s*ms/.exec(text);
  return match ? Number(match[1]) : undefined;
}

export function shownSoFar(page: Page): Promise<Shown> {
  return page.evaluate(() => (window as unknown as WatchedWindow).ehpcBenchShown ?? {});
}
