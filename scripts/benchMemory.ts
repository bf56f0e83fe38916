/**
 * `npm run bench:memory` (node --expose-gc, after `npm run build`): does anything pile up per
 * auto-refresh? The real tree model, provider, accounts and AutoRefresh (setting 5 s),
 * with the small vscode stand-in of the unit tests, against the in-process simulator: three
 * expanded clusters, one with two pages loaded. A fake clock runs many simulated hours in
 * minutes; after each refresh every row is drawn again, as VS Code does. Prints the heap in use
 * after a forced GC at simulated times, the slope per hour, and exits non-zero when the slope
 * is over budget. Flags: --hours N (simulated, default 24).
 */
import { settings } from '../test/unit/support/fakeVscode';
import type * as vscode from 'vscode';
import { AutoRefresh } from '../src/tree/autoRefresh';
import { startSimulator } from '../simulator/server';
import { FakeClock } from '../test/unit/support/fakeClock';
import { drawAll, standIn, visibleView } from './bench/standIn';

const ZONE = 'jn1a';
const SETTING_SECONDS = 5;
/** Heap growth per simulated hour that counts as a leak (a refresh's garbage is ~100 KB). */
export const SLOPE_BUDGET_BYTES_PER_HOUR = 64 * 1024;
/** Samples before this are warm-up (code compiled, caches filled): the slope starts here. */
const WARM_UP_MINUTES = 60;

export interface MemoryFigures {
  simulatedHours: number;
  refreshes: number;
  callsPerRefresh: number;
  intervalSeconds: number;
  samples: { minute: number; refreshes: number; heapUsed: number }[];
  slopeBytesPerHour: number;
}

export async function benchMemory(hours: number): Promise<MemoryFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    throw new Error('run with node --expose-gc (npm run bench:memory does)');
  }
  const simulator = await startSimulator({ zones: [ZONE], clustersPerZone: 3, jobsPerCluster: [250, 30, 30] });
  const clock = new FakeClock();
  const parts: vscode.Disposable[] = [];
  try {
    settings.set('ehpc.autoRefreshSeconds', SETTING_SECONDS);
    const shown = standIn(simulator, [ZONE]);
    const { model, accounts, log } = shown;
    parts.push(shown);

    // What the user did: three clusters expanded, the first with a second page.
    const clusters = await model.clusters(shown.account, ZONE);
    for (const cluster of clusters) {
      model.setExpanded(cluster, true);
      await model.jobs(cluster);
    }
    await model.loadMore(clusters[0]);
    await drawAll(shown);

    let refreshes = 0;
    let refreshing = false;
    const counted = {
      get loading() {
        return model.loading;
      },
      reloadShown: async () => {
        refreshing = true;
        try {
          await model.reloadShown();
          await drawAll(shown);
          simulator.clearRequests(); // the simulator's own log is not the extension's memory
          refreshes++;
        } finally {
          refreshing = false;
        }
      },
    };
    clock.install();
    const sentBefore = accounts.requestsSent;
    const autoRefresh = new AutoRefresh(counted, visibleView(), log, accounts);
    parts.push(autoRefresh);

    const samples: MemoryFigures['samples'] = [];
    const sampleAt = new Set([1, 10, ...Array.from({ length: hours }, (_, i) => (i + 1) * 60)]);
    const lastMinute = hours * 60;
    for (let minute = 1; minute <= lastMinute; minute++) {
      await runFor(clock, 60_000, () => refreshing);
      if (sampleAt.has(minute)) {
        samples.push({ minute, refreshes, heapUsed: heapAfterGc(gc) });
      }
    }
    const calls = accounts.requestsSent - sentBefore;
    return {
      simulatedHours: hours,
      refreshes,
      callsPerRefresh: refreshes > 0 ? calls / refreshes : 0,
      intervalSeconds: refreshes > 0 ? (lastMinute * 60) / refreshes : 0,
      samples,
      slopeBytesPerHour: slope(samples.filter((s) => s.minute >= WARM_UP_MINUTES).map((s) => [s.minute / 60, s.heapUsed])),
    };
  } finally {
    for (const part of parts) {
      part.dispose();
    }
    clock.uninstall();
    await simulator.close();
  }
}

/**
 * Moves the fake clock on by `ms`, a simulated second at a time, letting each refresh's real
 * requests finish before the clock moves on (the simulator answers at once).
 */
async function runFor(clock: FakeClock, ms: number, busy: () => boolean): Promise<void> {
  for (let step = 0; step < ms; step += 1000) {
    await clock.advance(1000);
    while (busy()) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc(); // a second pass collects what the first one's finalizers released
  return process.memoryUsage().heapUsed;
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  if (points.length < 2) {
    return 0;
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  const num = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const den = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return num / den;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--hours');
  const hours = at >= 0 ? Number(args[at + 1]) : 24;
  if (!Number.isInteger(hours) || hours < 2 || args.length !== (at >= 0 ? 2 : 0)) {
    throw new Error('usage: npm run bench:memory -- [--hours N] (N ≥ 2 simulated hours)');
  }
  const f = await benchMemory(hours);
  console.log(`Auto-refresh set to ${SETTING_SECONDS} s, 3 clusters expanded (one with 2 pages), ${f.simulatedHours} simulated hours:`);
  console.log(`  ${f.refreshes} refreshes, ${f.callsPerRefresh.toFixed(1)} requests each, one every ${f.intervalSeconds.toFixed(1)} s on average`);
  for (const sample of f.samples) {
    console.log(`  heap used after GC at ${String(sample.minute).padStart(5)} min (${String(sample.refreshes).padStart(5)} refreshes): ${mb(sample.heapUsed)}`);
  }
  const pass = f.slopeBytesPerHour <= SLOPE_BUDGET_BYTES_PER_HOUR;
  console.log(`  slope from ${WARM_UP_MINUTES} min on: ${(f.slopeBytesPerHour / 1024).toFixed(1)} KB/hour (budget ≤ ${SLOPE_BUDGET_BYTES_PER_HOUR / 1024} KB/hour): ${pass ? 'pass' : 'FAIL'}`);
  process.exit(pass ? 0 : 1);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`npm run bench:memory: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
