/**
 * `npm run bench` (builds, installs the test VS Code if needed, runs with --expose-gc):
 * performance and API calls against the local simulator, each
 * comparison measured side by side in one run, since absolute times vary between machines.
 * Every simulator answer waits a fixed latency (`--latency N` ms, default 50). Prints a table
 * with each budget's pass/FAIL, writes the figures to test-results/bench.json, and exits
 * non-zero when a budget is missed. The parts: scripts/bench/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createRunDir, repoRoot } from '../test/harness/vscodeServer';
import { benchAccounts, type AccountFigures } from './bench/accounts';
import { BASELINE_COMMIT, benchBaseline, type BaselineFigures } from './bench/baseline';
import { benchBatchDelete, type BatchFigures } from './bench/batchDelete';
import { benchBundle, type BundleFigures } from './bench/bundle';
import { benchCalls, type CallFigures } from './bench/calls';
import { accountsSections, activationSection, autoRefreshSection, batchSection, bigClusterSection, bundleSection, callsSection, failedSection, JOB_OUTPUT_TITLE, jobOutputSection, memorySection, refreshSection, submitSection, watchSection } from './bench/rows';
import { parseLatency } from './bench/latency';
import { budgetCounts, formatTable, type Section } from './bench/table';
import { benchInVSCode, type VSCodeFigures } from './bench/vscodeBench';
import { benchWatch, type WatchFigures } from './bench/watch';
import { benchMemory, SLOPE_BUDGET_BYTES_PER_HOUR, type MemoryFigures } from './benchMemory';

/** Simulated hours of auto-refresh the bench watches memory over (bench:memory: 24). */
const MEMORY_HOURS = 24; // six hours are still warming up: the slope is noise there

/** Runs one part; a part that throws becomes a failing row, and the others still run. */
async function part<T>(label: string, measure: () => Promise<T>): Promise<{ figures?: T; error?: unknown }> {
  const started = performance.now();
  process.stdout.write(`${label}... `);
  try {
    const figures = await measure();
    console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { figures };
  } catch (error) {
    console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    return { error };
  }
}

async function main(): Promise<void> {
  const latencyMs = parseLatency(process.argv.slice(2), 'npm run bench --');
  const started = performance.now();
  const runDir = createRunDir('bench');
  console.log(`Bench: ${latencyMs} ms added to every simulator answer, ${os.cpus().length} cores, Node ${process.version}`);

  const batch = await part('batch delete, three ways', () => benchBatchDelete(latencyMs));
  const accounts = await part('several accounts: opening the tree, a batch across them', () => benchAccounts(latencyMs));
  const bundle = await part('production bundle and .vsix', () => benchBundle(runDir));
  const baseline = await part(`the build of ${BASELINE_COMMIT}: its bundle, its activation in real VS Code`, () => benchBaseline(runDir));
  // The VS Code part loads the extension as packaged; without the package, the repository's.
  const extensionPath = bundle.figures?.extensionPath ?? repoRoot;
  const vscode = await part('real VS Code: activation, view, big cluster, refreshes, submit, job output', () => benchInVSCode(runDir, extensionPath, latencyMs));
  const calls = await part('API calls per action', () => benchCalls());
  const watch = await part('watching 50 jobs to their end', () => benchWatch());
  const memory = await part(`memory over ${MEMORY_HOURS} simulated hours of auto-refresh`, () => benchMemory(MEMORY_HOURS));

  const inVSCode = (title: string, build: (f: VSCodeFigures) => Section) => (vscode.figures ? build(vscode.figures) : failedSection(title, vscode.error));
  const sections: Section[] = [
    batch.figures ? batchSection(batch.figures, latencyMs) : failedSection('1. Batch delete', batch.error),
    inVSCode('2. A cluster with 20,000 jobs', (f) => bigClusterSection(f.firstPage)),
    inVSCode('3. Refresh after a batch', (f) => refreshSection(f.batch)),
    inVSCode('4. Auto-refresh while hidden', (f) => autoRefreshSection(f.autoRefresh)),
    bundle.figures ? bundleSection(bundle.figures, baseline.figures) : failedSection('5. The package', bundle.error),
    inVSCode('6. Activation and opening the view', (f) => activationSection(f, latencyMs, baseline.figures)),
    calls.figures ? callsSection(calls.figures) : failedSection('7. API calls per action', calls.error),
    memory.figures ? memorySection(memory.figures, SLOPE_BUDGET_BYTES_PER_HOUR, vscode.figures?.memory) : failedSection('8. Memory over auto-refresh', memory.error),
    watch.figures ? watchSection(watch.figures) : failedSection('9. Watching jobs to their end', watch.error),
    inVSCode('10. Submit Job', (f) => submitSection(f.submit, latencyMs)),
    ...(accounts.figures ? accountsSections(accounts.figures, latencyMs) : [failedSection('11-12. Several accounts', accounts.error)]),
    inVSCode(JOB_OUTPUT_TITLE, (f) => jobOutputSection(f.jobOutput)),
  ];
  const seconds = (performance.now() - started) / 1000;
  const { met, missed } = budgetCounts(sections);
  console.log(`\n${formatTable(sections)}\n\n${met} budgets met, ${missed} missed (${seconds.toFixed(0)} s)`);
  writeJson({ latencyMs, seconds, met, missed, sections, baseline: baseline.figures, batch: batch.figures, accounts: accounts.figures, bundle: bundle.figures, vscode: vscode.figures, calls: calls.figures, memory: memory.figures, watch: watch.figures });
  process.exit(missed > 0 ? 1 : 0);
}

function writeJson(report: {
  latencyMs: number;
  seconds: number;
  met: number;
  missed: number;
  sections: Section[];
  baseline?: BaselineFigures;
  batch?: BatchFigures;
  accounts?: AccountFigures;
  bundle?: BundleFigures;
  vscode?: VSCodeFigures;
  calls?: CallFigures;
  memory?: MemoryFigures;
  watch?: WatchFigures;
}): void {
  const file = path.join(repoRoot, 'test-results', 'bench.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The staged extension's path says where this checkout is: not worth keeping.
  const bundle = report.bundle && { ...report.bundle, extensionPath: undefined };
  const json = { date: new Date().toISOString(), node: process.version, cores: os.cpus().length, ...report, bundle };
  fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
}

main().catch((error: unknown) => {
  console.error(`npm run bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
