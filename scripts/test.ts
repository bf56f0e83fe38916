/**
 * `npm test` (after `npm run build`): the plain-Node unit tests, the fault matrix
 * (test/faults/matrix.ts), then the real-VS Code tests (test/harness/run.ts), and one closing
 * line `N passed, N failed` that counts them all.
 *
 * EHPC_TEST_LEGS=1.100,1.139 (set by .ci/run) runs the real-VS Code tests on each of these
 * VS Code versions in turn, installing any that is missing; the default is 1.100 alone.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { DEFAULT_FLAVOUR, isCodeServerInstalled, repoRoot, vscodeFlavour } from '../test/harness/vscodeServer';

const out = path.resolve(__dirname, '..');
const SUMMARY = /^(\d+) passed, (\d+) failed$/;

async function unitTests(): Promise<{ passed: number; failed: number }> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 30_000, color: process.stdout.isTTY });
  for (const file of fs.readdirSync(path.join(out, 'test', 'unit'))) {
    if (file.endsWith('.test.js')) {
      mocha.addFile(path.join(out, 'test', 'unit', file));
    }
  }
  let passed = 0;
  const failed = await new Promise<number>((resolve) => mocha.run(resolve).on('pass', () => passed++));
  return { passed, failed };
}

/** Runs a stage's script with its output passed through, and reads its closing line. */
function stage(script: string, args: string[] = []): Promise<{ passed: number; failed: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(out, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-1000);
    });
    child.on('close', (code) => {
      const last = tail.split('\n').filter((line) => line.trim() !== '').pop() ?? '';
      const match = SUMMARY.exec(last.trim());
      const counts = match ? { passed: Number(match[1]), failed: Number(match[2]) } : { passed: 0, failed: 1 };
      resolve(code !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts);
    });
  });
}

/** The real-VS Code tests on one version; installs it first unless it is there. */
async function vscodeLeg(name: string): Promise<{ passed: number; failed: number }> {
  const flavour = vscodeFlavour(name);
  if (!isCodeServerInstalled(flavour)) {
    const install = spawnSync('bash', [path.join(repoRoot, 'scripts', 'install-test-vscode.sh'), flavour.name], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (install.status !== 0) {
      console.log(`installing VS Code ${flavour.name} failed`);
      return { passed: 0, failed: 1 };
    }
  }
  return stage('test/harness/run.js', ['--vscode', flavour.name]);
}

async function main(): Promise<void> {
  // Checked before anything runs: a typo must not cost a whole test run.
  const legs = (process.env.EHPC_TEST_LEGS || DEFAULT_FLAVOUR.name)
    .split(',')
    .map((leg) => leg.trim())
    .filter(Boolean)
    .map((leg) => vscodeFlavour(leg).name);
  console.log('=== Unit tests (plain Node) ===');
  const unit = await unitTests();
  console.log('\n=== Fault matrix (plain Node, against the simulator) ===');
  const faults = await stage('test/faults/matrix.js');
  const results = [
    { name: 'unit', ...unit },
    { name: 'faults', ...faults },
  ];
  for (const leg of legs) {
    if (legs.length > 1) {
      console.log(`\n##### VS Code ${leg} #####`);
    }
    results.push({ name: legs.length > 1 ? `VS Code ${leg}` : 'VS Code', ...(await vscodeLeg(leg)) });
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`\n${results.map((r) => `${r.name}: ${r.passed} passed, ${r.failed} failed`).join('; ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
