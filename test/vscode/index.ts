/**
 * Entry of the extension-host test suite: VS Code `require`s this file (the workbench URL's
 * extensionTestsPath payload) inside the extension host and awaits `run()`.
 * Runs mocha over every compiled out/test/vscode/**\/*.test.js with the real `vscode` API.
 *
 * Output reaches test/harness/run.ts through the workbench log, mixed with the workbench's own
 * messages; so mocha's lines are formatted here (that log does not apply printf-style "%s")
 * and tagged with LOG_TAG, and the last line is `EHPC-TEST-RESULT passed=N failed=M`. Both
 * strings are repeated in run.ts. Other console output of the extension host is shown by the
 * harness only with EHPC_TEST_VERBOSE=1 (the host's console methods cannot be replaced).
 * While a suite runs (extensionTestsPath set), VS Code refuses modal dialogs: a modal
 * showWarningMessage rejects with "DialogService: refused to show dialog in tests", so tests
 * stub the confirmation; the UI tests (test/ui) get real dialogs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import Mocha from 'mocha';

export const LOG_TAG = '[ehpc-exthost] ';
export const RESULT_PREFIX = 'EHPC-TEST-RESULT';

export async function run(): Promise<void> {
  // EHPC_TEST_GREP runs only the tests whose titles match (a developer's shortcut; CI runs all).
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 20_000, ...(process.env.EHPC_TEST_GREP ? { grep: process.env.EHPC_TEST_GREP } : {}) });
  Mocha.reporters.Base.consoleLog = out;
  const files = findTestFiles(__dirname);
  for (const f of files) {
    mocha.addFile(f);
  }

  let passed = 0;
  let failed = 0;
  try {
    failed = await new Promise<number>((resolve) => {
      const runner = mocha.run((failures) => resolve(failures));
      runner.on('pass', () => passed++);
    });
  } catch (err) {
    // A test file that throws while loading lands here, not in mocha's failure count.
    out('Loading the extension-host tests failed:', err);
    failed++;
  }
  if (files.length === 0) {
    out(`No *.test.js files under ${__dirname}`);
    failed++;
  }
  out(`${RESULT_PREFIX} passed=${passed} failed=${failed}`);
  if (failed > 0) {
    throw new Error(`${failed} extension-host test(s) failed`);
  }
}

/** The suite that runs first: it checks that nothing activated the extension before it. */
const FIRST = 'extension.test.js';

function findTestFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .sort((x, y) => Number(y === FIRST) - Number(x === FIRST) || x.localeCompare(y))
    .map((f) => path.join(dir, f));
}

/** console.log with LOG_TAG; mocha's reporters write through it. */
function out(...args: unknown[]): void {
  console.log(LOG_TAG + format(...args));
}
