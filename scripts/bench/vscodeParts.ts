/**
 * The bench's parts that need the package and a real VS Code, alone (about three minutes, one
 * of them following a job's output): `node out/scripts/bench/vscodeParts.js [--latency N]`
 * after a build. Prints sections 2-6, 10 and 13 of `npm run bench`, the build of the commit
 * compared with beside them.
 */
import { createRunDir, repoRoot } from '../../test/harness/vscodeServer';
import { benchBaseline } from './baseline';
import { benchBundle } from './bundle';
import { parseLatency } from './latency';
import { activationSection, autoRefreshSection, bigClusterSection, bundleSection, jobOutputSection, refreshSection, submitSection } from './rows';
import { budgetCounts, formatTable } from './table';
import { benchInVSCode } from './vscodeBench';

async function main(): Promise<void> {
  const latencyMs = parseLatency(process.argv.slice(2), 'node out/scripts/bench/vscodeParts.js');
  const runDir = createRunDir('bench-vscode');
  const bundle = await benchBundle(runDir);
  const baseline = await benchBaseline(runDir);
  const f = await benchInVSCode(runDir, bundle.extensionPath ?? repoRoot, latencyMs);
  const sections = [bigClusterSection(f.firstPage), refreshSection(f.batch), autoRefreshSection(f.autoRefresh), bundleSection(bundle, baseline), activationSection(f, latencyMs, baseline), submitSection(f.submit, latencyMs), jobOutputSection(f.jobOutput)];
  const { met, missed } = budgetCounts(sections);
  console.log(`${formatTable(sections)}\n\n${met} budgets met, ${missed} missed`);
  console.log(`after the confirmation (ms): requests ${JSON.stringify(f.submit.afterConfirm.arrivals)}, reveals ${JSON.stringify(f.submit.afterConfirm.reveals)}`);
  process.exit(missed > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
