/**
 * Debian's Chromium driven by playwright-core (no browser download: executablePath points at
 * the apt package installed by scripts/install-test-vscode.sh).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { isolatedEnv } from './vscodeServer';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium with HOME/TMPDIR/XDG_* inside `<runDir>/browser`. */
export async function launchBrowser(runDir: string): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found; run: bash scripts/install-test-vscode.sh`);
  }
  const env = isolatedEnv(path.join(runDir, 'browser'));
  // Chromium puts a Unix socket in TMPDIR, and such a path may hold at most 107 bytes: under a
  // deep checkout the run folder is too long, so the browser gets a short one of its own.
  if (env.TMPDIR.length > 48) {
    env.TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-browser-'));
  }
  // Playwright makes its temporary profile and artifacts folders in this process's tmpdir.
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = env.TMPDIR;
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...stringEnv(process.env), ...env },
      // The harness handles these itself (Playwright's handler would exit before its cleanup).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } finally {
    if (savedTmp === undefined) {
      delete process.env.TMPDIR;
    } else {
      process.env.TMPDIR = savedTmp;
    }
  }
}

export interface OpenWorkbenchOptions {
  /** Receives the extension host's console output (only sent when extensionTestsPath is set). */
  onLog?: (type: string, message: string) => void;
  /** Receives the extension test run's exit code. */
  onExit?: (code: number) => void;
  /** Milliseconds to wait for `.monaco-workbench`; default 60 s. */
  timeoutMs?: number;
  viewport?: { width: number; height: number };
}

/**
 * Opens a workbench URL in a fresh browser context (fresh localStorage/IndexedDB, so each
 * page starts with empty VS Code state) and waits for the workbench to render.
 */
export async function openWorkbench(browser: Browser, url: string, opts: OpenWorkbenchOptions = {}): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  const page = await context.newPage();
  // The workbench looks these up on window; they must exist before the page loads.
  if (opts.onLog) {
    const onLog = opts.onLog;
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => onLog(type, formatLogArgs(args)));
  }
  if (opts.onExit) {
    const onExit = opts.onExit;
    await page.exposeFunction('codeAutomationExit', (code: number) => onExit(code));
  }
  await page.goto(url);
  await waitForWorkbench(page, opts.timeoutMs);
  return page;
}

export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
}

function formatLogArgs(args: unknown): string {
  if (typeof args === 'string') {
    return args;
  }
  if (Array.isArray(args)) {
    return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  }
  return JSON.stringify(args);
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
