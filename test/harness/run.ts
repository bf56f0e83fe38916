/**
 * Entry of `npm run test:vscode` and `npm run test:vscode:latest` (compiled to
 * out/test/harness/run.js; run `npm run build` first). Runs the tests in a real VS Code (VS Code's
 * own server from the code-server package, installed by scripts/install-test-vscode.sh) driven by
 * headless Debian Chromium, offline: 1.100.3 by default, 1.139.1 with `--vscode 1.139`.
 *
 * 1. Extension-host suite: opens the workbench with the payload
 *    extensionDevelopmentPath = <repo> and extensionTestsPath = <repo>/out/test/vscode/index.js,
 *    prints the extension host's console output (mocha's spec reporter) and counts the results
 *    from its `EHPC-TEST-RESULT passed=N failed=M` line.
 * 2. UI tests: every out/test/ui/*.test.js, in name order. Contract for such a module:
 *
 *      import type { UiTestContext } from '../harness/run';
 *      export const timeoutMs = 120_000;            // optional, default 120 s
 *      export async function run(ctx: UiTestContext): Promise<void> { ... throw to fail ... }
 *
 *    Each module counts as one test: it passes when run() resolves. On failure or time-out the
 *    harness saves a screenshot of each page it opened to test-results/screenshots/<test>-failure-N.png.
 *    Pages opened through ctx are closed after the test. Modal dialogs do show in UI tests
 *    (no smoke-test driver, no extensionTestsPath). On 1.139, which honours the payload only
 *    with the smoke-test driver, the UI tests get a second server without it, with the
 *    extension installed from a .vsix packaged from the build (so no development extension).
 *
 * The last line printed is always `N passed, N failed` (both parts together); the exit code is
 * non-zero if anything failed.
 *
 * Arguments: `--no-suite`, `--no-ui`, `--vscode 1.100|1.139`, and any other words filter UI test
 * files by substring.
 * Environment: EHPC_TEST_VSCODE = the VS Code version when there is no --vscode (default 1.100);
 * EHPC_EXTENSION_PATH = extension folder to load instead of the repo root;
 * EHPC_TEST_TIMEOUT_MS = time limit for the whole run (default 15 min);
 * EHPC_TEST_VERBOSE=1 = print every workbench log message.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { randomBytes } from 'crypto';
import { launchBrowser, openWorkbench } from './browser';
import { findEhpcLogs, missingFromLogs } from './logCheck';
import { scanForSecrets } from './secretScan';
import { createRunDir, DEFAULT_FLAVOUR, isolatedEnv, Payload, repoRoot, startVSCodeServer, VSCodeFlavour, vscodeFlavour, VSCodeServer } from './vscodeServer';

export interface UiTestContext {
  server: VSCodeServer;
  /** The VS Code version under test. */
  vscode: VSCodeFlavour;
  repoRoot: string;
  /** Folder loaded as the development extension (repo root unless EHPC_EXTENSION_PATH). */
  extensionPath: string;
  /** test-results/screenshots: save screenshots here. */
  screenshotsDir: string;
  /**
   * Opens the workbench on `folder` (default: a fresh empty workspace) with
   * extensionDevelopmentPath = extensionPath (on 1.139: the extension installed from a .vsix,
   * and no payload), in a fresh browser context; resolves once `.monaco-workbench` is there.
   */
  openWorkbench(opts?: { folder?: string; payload?: Payload }): Promise<Page>;
  /** Creates an empty workspace folder in the run folder; `settings` go to .vscode/settings.json. */
  newWorkspace(name: string, settings?: Record<string, unknown>): string;
  /** Saves a full-page screenshot to screenshotsDir/<name>.png and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  log(message: string): void;
}

interface UiTestModule {
  run(ctx: UiTestContext): Promise<void>;
  timeoutMs?: number;
}

// Written by test/vscode/index.ts: its tag on the extension host's console output, and its result line.
const EXTHOST_LOG_TAG = '[ehpc-exthost] ';
const RESULT_RE = /^EHPC-TEST-RESULT passed=(\d+) failed=(\d+)$/;
const SUITE_TIMEOUT_MS = 5 * 60_000;
const UI_TEST_TIMEOUT_MS = 120_000;
/** EHPC_TEST_VERBOSE=1 prints every workbench log message, not only the extension host's output. */
const verbose = !!process.env.EHPC_TEST_VERBOSE;

interface Counts {
  passed: number;
  failed: number;
}

async function main(): Promise<void> {
  const { flags, vscodeName, uiFilters } = parseArgs(process.argv.slice(2));
  const runSuite = !flags.includes('--no-suite');
  const runUi = !flags.includes('--no-ui');
  const flavour = vscodeFlavour(vscodeName ?? process.env.EHPC_TEST_VSCODE);
  const isDefault = flavour === DEFAULT_FLAVOUR;

  const extensionPath = path.resolve(process.env.EHPC_EXTENSION_PATH || repoRoot);
  const suitePath = path.join(repoRoot, 'out', 'test', 'vscode', 'index.js');
  // Each version its own screenshots and run folder, so one leg does not wipe the other's.
  const screenshotsDir = path.join(repoRoot, 'test-results', isDefault ? 'screenshots' : `screenshots-${flavour.name}`);
  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  fs.mkdirSync(screenshotsDir, { recursive: true });

  const runDir = createRunDir(isDefault ? 'test' : `test-${flavour.name}`);
  const counts: Counts = { passed: 0, failed: 0 };
  const keys = freshTestKeys(runDir);
  const output = captureOutput();
  let server: VSCodeServer | undefined;
  let browser: Browser | undefined;

  const cleanup = async () => {
    await Promise.allSettled([withTimeout(browser?.close() ?? Promise.resolve(), 10_000, 'closing the browser'), server?.stop()]);
  };
  // Ctrl-C, a CI cancel or the overall time limit: count one failure, stop everything, report.
  const abort = (why: string) => {
    console.error(`\ntest:vscode: ${why}; stopping`);
    aborted = true;
    counts.failed++;
    void cleanup().finally(() => finish(counts));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => abort(sig));
  }
  const limitMs = Number(process.env.EHPC_TEST_TIMEOUT_MS) || 15 * 60_000;
  const overall = setTimeout(() => abort(`the whole run exceeded ${limitMs} ms`), limitMs);
  overall.unref();

  const start = async (opts: { name?: string; smokeTestDriver?: boolean; installExtensions?: string[] } = {}) => {
    const t0 = Date.now();
    server = await startVSCodeServer({ runDir, env: keys.env, flavour, ...opts });
    console.log(`VS Code ${flavour.codeServerVersion.replace(/^4\./, '1.')} server at ${server.baseUrl} (log: ${path.relative(repoRoot, server.logFile)}) in ${Date.now() - t0} ms`);
    return server;
  };

  try {
    // 1.100: one server for the suite and the UI tests, both through the payload.
    // 1.139: this one, with the smoke-test driver, for the suite only.
    if (runSuite || !flavour.payloadNeedsSmokeTestDriver) {
      await start({ smokeTestDriver: flavour.payloadNeedsSmokeTestDriver });
    }
    browser = await launchBrowser(runDir);

    if (runSuite) {
      add(counts, await runExtensionHostSuite(browser, server!, runDir, extensionPath, suitePath, screenshotsDir));
    }
    if (runUi) {
      let usePayload = true;
      if (flavour.payloadNeedsSmokeTestDriver && !aborted) {
        // The smoke-test driver changes the workbench a user sees (no notification toasts, for
        // one): the UI tests get a server without it, and the extension from a .vsix.
        await server?.stop();
        const vsix = packageExtension(extensionPath, runDir);
        await start({ name: 'server-ui', installExtensions: [vsix] });
        usePayload = false;
      }
      await runUiTests(browser, { server: server!, vscode: flavour, repoRoot, extensionPath, screenshotsDir, runDir }, uiFilters, counts, usePayload);
    }
    // Before the browser closes: its profile is part of what the session wrote.
    if (!aborted) {
      add(counts, scanStep(keys, [runDir, path.dirname(screenshotsDir)], output()));
      if (runSuite) {
        add(counts, logStep(runDir)); // the suite's batches are what the log must show
      }
    }
  } catch (err) {
    // After an abort, errors from the closed browser are expected and already counted.
    if (!aborted) {
      console.error(`test:vscode: ${(err as Error).stack ?? String(err)}`);
      counts.failed++;
    }
  } finally {
    clearTimeout(overall);
    await cleanup();
  }
  finish(counts);
}

/**
 * Fresh keys for this run, handed to every simulator the tests start (test/testKeys.ts):
 * two pairs, for the tests of two accounts side by side; the login nodes' SSH password; and a file where those simulators
 * note each signature they receive.
 */
function freshTestKeys(runDir: string) {
  const signaturesFile = `${runDir}.signatures`; // beside the run folder: not part of the scan
  fs.rmSync(signaturesFile, { force: true });
  const env = {
    EHPC_TEST_ACCESS_KEY_ID: `AKTEST${randomBytes(8).toString('hex').toUpperCase()}`,
    EHPC_TEST_SECRET_ACCESS_KEY: randomBytes(24).toString('base64url'),
    EHPC_TEST_ACCESS_KEY_ID_2: `AKTEST${randomBytes(8).toString('hex').toUpperCase()}`,
    EHPC_TEST_SECRET_ACCESS_KEY_2: randomBytes(24).toString('base64url'),
    EHPC_TEST_SSH_PASSWORD: randomBytes(18).toString('base64url'),
    EHPC_TEST_SIGNATURES_FILE: signaturesFile,
  };
  Object.assign(process.env, env); // for the UI tests, which run in this process
  return { env, signaturesFile };
}

/** Everything this process prints from now on, for the secret scan. */
function captureOutput(): () => string {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(String(chunk));
      return write(chunk, ...rest);
    });
  }
  return () => chunks.join('');
}

/** One test: nothing the session wrote or printed holds either secret, either key id or a signature. */
function scanStep(keys: ReturnType<typeof freshTestKeys>, roots: string[], printed: string): Counts {
  console.log('\n=== Secret scan (everything the session wrote and printed) ===');
  const signatures = fs.existsSync(keys.signaturesFile) ? fs.readFileSync(keys.signaturesFile, 'utf8').split('\n').filter(Boolean) : [];
  const needles = new Map<string, string>([
    ['the secret access key', keys.env.EHPC_TEST_SECRET_ACCESS_KEY],
    ['the access key id', keys.env.EHPC_TEST_ACCESS_KEY_ID],
    ["the second account's secret access key", keys.env.EHPC_TEST_SECRET_ACCESS_KEY_2],
    ["the second account's access key id", keys.env.EHPC_TEST_ACCESS_KEY_ID_2],
    ["the login nodes' SSH password", keys.env.EHPC_TEST_SSH_PASSWORD],
    ...signatures.map((signature, i): [string, string] => [`signature #${i + 1}`, signature]),
  ]);
  const { leaks, filesScanned } = scanForSecrets(roots, { 'the test output': printed }, needles);
  const label = `${filesScanned} files and the test output, for both key pairs and ${signatures.length} signatures`;
  if (signatures.length === 0 || leaks.length > 0) {
    console.log(`  ✗ secret scan: ${label}`);
    for (const leak of leaks) {
      console.log(`      ${leak.what} found in ${path.relative(repoRoot, leak.where) || leak.where}`);
    }
    if (signatures.length === 0) {
      console.log('      no signatures were noted: the scan would prove nothing');
    }
    return { passed: 0, failed: 1 };
  }
  console.log(`  ✓ secret scan: ${label}`);
  return { passed: 1, failed: 0 };
}

/** One test: the EHPC log shows what happened (requests, batches, outcomes). */
function logStep(runDir: string): Counts {
  const logs = findEhpcLogs(runDir);
  const missing = missingFromLogs(logs);
  if (missing.length > 0) {
    console.log(`  ✗ EHPC log (${logs.length} files): ${missing.join('; ')}`);
    return { passed: 0, failed: 1 };
  }
  console.log(`  ✓ EHPC log: ${logs.length} files show requests, batches and their outcomes`);
  return { passed: 1, failed: 0 };
}

let aborted = false;
let finished = false;
/** Prints the closing line once (the run and an abort may both get here) and exits. */
function finish(counts: Counts): void {
  if (finished) {
    return;
  }
  finished = true;
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed > 0 ? 1 : 0);
}

async function runExtensionHostSuite(
  browser: Browser,
  server: VSCodeServer,
  runDir: string,
  extensionPath: string,
  suitePath: string,
  screenshotsDir: string,
): Promise<Counts> {
  console.log('\n=== Extension-host tests (mocha in the VS Code extension host) ===');
  if (!fs.existsSync(suitePath)) {
    console.error(`${suitePath} not found: run \`npm run build\` first`);
    return { passed: 0, failed: 1 };
  }
  const workspace = makeWorkspace(runDir, 'suite-workspace');
  let result: Counts | undefined;
  let exitCode: number | undefined;
  let resolveExit!: () => void;
  const exited = new Promise<void>((r) => (resolveExit = r));

  const page = await openWorkbench(browser, server.workbenchUrl(workspace, { extensionDevelopmentPath: extensionPath, extensionTestsPath: suitePath }), {
    onLog: (type, message) => {
      if (!message.startsWith(EXTHOST_LOG_TAG)) {
        if (verbose) {
          console.log(`[workbench ${type}] ${message}`);
        }
        return;
      }
      const line = message.slice(EXTHOST_LOG_TAG.length);
      const m = RESULT_RE.exec(line);
      if (m) {
        result = { passed: Number(m[1]), failed: Number(m[2]) };
      } else {
        console.log(line);
      }
    },
    onExit: (code) => {
      exitCode = code;
      resolveExit();
    },
  });
  try {
    await withTimeout(exited, SUITE_TIMEOUT_MS, 'the extension-host suite');
  } catch (err) {
    console.error(`${(err as Error).message}`);
    await page.screenshot({ path: path.join(screenshotsDir, 'extension-host-suite-timeout.png') }).catch(() => undefined);
  } finally {
    await page.context().close().catch(() => undefined);
  }
  if (result) {
    console.log(`extension-host suite: ${result.passed} passed, ${result.failed} failed (exit code ${exitCode})`);
    // A crash after mocha finished still has to fail the run.
    if (exitCode !== 0 && result.failed === 0) {
      return { passed: result.passed, failed: 1 };
    }
    return result;
  }
  console.error(`extension-host suite ended without a result line (exit code ${exitCode ?? 'none'}); see ${path.relative(repoRoot, server.logFile)}`);
  return { passed: 0, failed: 1 };
}

async function runUiTests(
  browser: Browser,
  base: Omit<UiTestContext, 'openWorkbench' | 'newWorkspace' | 'screenshot' | 'log'> & { runDir: string },
  filters: string[],
  counts: Counts, // updated as each test ends, so an abort still reports them
  usePayload: boolean, // false: the extension is installed in the server, the URL has no payload
): Promise<void> {
  console.log('\n=== UI tests (Playwright in the workbench) ===');
  const dir = path.join(repoRoot, 'out', 'test', 'ui');
  const files = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.js') && (filters.length === 0 || filters.some((s) => f.includes(s)))).sort()
    : [];
  for (const file of files) {
    if (aborted) {
      break;
    }
    const name = file.replace(/\.test\.js$/, '');
    const pages: Page[] = [];
    const ctx: UiTestContext = {
      ...base,
      async openWorkbench(opts = {}) {
        const folder = opts.folder ?? makeWorkspace(base.runDir, `ui-${name}-${pages.length + 1}`);
        const url = base.server.workbenchUrl(folder, usePayload ? { extensionDevelopmentPath: base.extensionPath, ...opts.payload } : undefined);
        const page = await openWorkbench(browser, url);
        pages.push(page);
        return page;
      },
      newWorkspace: (wsName, settings) => makeWorkspace(base.runDir, `ui-${name}-${wsName}`, settings),
      async screenshot(page, shotName) {
        const file = path.join(base.screenshotsDir, `${shotName}.png`);
        await page.screenshot({ path: file, fullPage: true });
        return file;
      },
      log: (message) => console.log(`  [${name}] ${message}`),
    };
    const t0 = Date.now();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- test modules are found at run time
      const mod = require(path.join(dir, file)) as Partial<UiTestModule>;
      if (typeof mod.run !== 'function') {
        throw new Error(`${file} does not export async function run(ctx)`);
      }
      await withTimeout(mod.run(ctx), mod.timeoutMs ?? UI_TEST_TIMEOUT_MS, `UI test ${name}`);
      counts.passed++;
      console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    } catch (err) {
      if (aborted) { // the browser was closed under it; the abort is already counted
        break;
      }
      counts.failed++;
      console.log(`  ✗ ${name} (${Date.now() - t0} ms)`);
      console.log(indent(firstLines(stripAnsi((err as Error).stack ?? String(err)), 25), 6));
      for (const [i, page] of pages.entries()) {
        const shot = path.join(base.screenshotsDir, `${name}-failure-${i + 1}.png`);
        await withTimeout(page.screenshot({ path: shot }), 10_000, 'screenshot')
          .then(() => console.log(`      screenshot: ${path.relative(repoRoot, shot)}`))
          .catch(() => undefined);
      }
    } finally {
      await Promise.allSettled(pages.map((p) => p.context().close()));
    }
  }
  if (files.length === 0) {
    console.log('  (no UI tests found)');
  }
}

/** `--vscode 1.139` / `--vscode=1.139`, the other `--` flags, and the remaining words. */
function parseArgs(args: string[]): { flags: string[]; vscodeName?: string; uiFilters: string[] } {
  const flags: string[] = [];
  const uiFilters: string[] = [];
  let vscodeName: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--vscode') {
      vscodeName = args[++i];
      if (!vscodeName) {
        throw new Error('--vscode needs a version, e.g. --vscode 1.139');
      }
    } else if (arg.startsWith('--vscode=')) {
      vscodeName = arg.slice('--vscode='.length);
    } else if (arg.startsWith('--')) {
      flags.push(arg);
    } else {
      uiFilters.push(arg);
    }
  }
  return { flags, vscodeName, uiFilters };
}

/** The extension as users get it: a .vsix of the build (`npm run build` already ran). */
function packageExtension(extensionPath: string, runDir: string): string {
  const vsix = path.join(runDir, 'ext.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const t0 = Date.now();
  // No stdin: a question from vsce fails the run instead of hanging it.
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], {
    cwd: extensionPath,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...isolatedEnv(path.join(runDir, 'vsce')) },
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  if (r.status !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`vsce package failed (${r.error?.message ?? `exit code ${r.status}`}):\n${r.stdout}${r.stderr}`);
  }
  console.log(`packaged ${path.relative(repoRoot, vsix)} in ${Date.now() - t0} ms`);
  return vsix;
}

function makeWorkspace(runDir: string, name: string, settings?: Record<string, unknown>): string {
  const dir = path.join(runDir, 'workspaces', name);
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  if (settings) {
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  }
  return dir;
}

function add(total: Counts, c: Counts): void {
  total.passed += c.passed;
  total.failed += c.failed;
}

/** Playwright's call logs can run to hundreds of lines (browser stderr included). */
function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.length <= n ? text : [...lines.slice(0, n), `… (${lines.length - n} more lines)`].join('\n');
}

/** Playwright colours its call logs; keep the output plain. */
function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- ESC starts the colour codes being removed
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

/** Rejects with a clear message when `p` does not settle within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  p.catch(() => undefined); // a late rejection after the time-out must not crash the harness
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
}
