/**
 * `npm test` (after `npm run build`): the plain-Node unit tests, the fault matrix
 * (test/faults/matrix.ts), then the real-VS Code tests (test/harness/run.ts), and one closing
 * line `N passed, N failed` that counts them all.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

const out = path.resolve(__dirname, '..');
const SUMMARY = /^(\d+) passed, (\d+) failed$/;

async function unitTests(): Promise<{ passed: number; failed: number }> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 10_000, color: process.stdout.isTTY });
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
function stage(script: string): Promise<{ passed: number; failed: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(out, script)], { stdio: ['ignore', 'pipe', 'inherit'] });
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

async function main(): Promise<void> {
  console.log('=== Unit tests (plain Node) ===');
  const unit = await unitTests();
  console.log('\n=== Fault matrix (plain Node, against the simulator) ===');
  const faults = await stage('test/faults/matrix.js');
  const vscode = await stage('test/harness/run.js');
  const passed = unit.passed + faults.passed + vscode.passed;
  const failed = unit.failed + faults.failed + vscode.failed;
  console.log(
    `\nunit: ${unit.passed} passed, ${unit.failed} failed; faults: ${faults.passed} passed, ${faults.failed} failed; ` +
      `VS Code: ${vscode.passed} passed, ${vscode.failed} failed`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

void main();
