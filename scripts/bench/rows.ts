// The budgets, and the rows each part of the bench prints.
import type { BatchFigures } from './batchDelete';
import type { BundleFigures } from './bundle';
import { kb, ms, times, type Section } from './table';
import type { VSCodeFigures } from './vscodeBench';

export const BUDGETS = {
  fasterThanJobByJob: 50,
  fasterThanClusterByCluster: 4,
  bundleBytes: 150 * 1024,
  vsixBytes: 200 * 1024,
  activateMs: 50,
} as const;

const MIN_LATENCY_FOR_ROUND_TRIPS = 20;
/** Auto-refresh while hidden is reported for this long. */
const SIMULATED_SECONDS = 60;

export function batchSection(f: BatchFigures, latencyMs: number): Section {
  const how = (d: BatchFigures['ours']) => `${d.deletes} deletes + ${d.lists} lists`;
  const { jobByJob, clusterByCluster } = f.fasterThan;
  return {
    title: `1. Batch delete: ${f.selected} jobs selected in ${f.clusters} clusters, ${latencyMs} ms per request (median of ${f.ours.runs} runs)`,
    rows: [
      { measure: `ours: ${how(f.ours)}, clusters at once`, value: ms(f.ours.wallMs) },
      { measure: `console, cluster by cluster: ${how(f.clusterByCluster)}`, value: ms(f.clusterByCluster.wallMs) },
      { measure: `script, job by job: ${how(f.jobByJob)} (${f.jobByJob.runs} run)`, value: ms(f.jobByJob.wallMs) },
      { measure: 'delete requests, ours', value: String(f.ours.deletes), budget: `= clusters (${f.clusters})`, pass: f.ours.deletes === f.clusters },
      { measure: 'ours vs job by job', value: `${times(jobByJob)} faster`, budget: `≥ ${BUDGETS.fasterThanJobByJob}×`, pass: jobByJob >= BUDGETS.fasterThanJobByJob },
      {
        measure: 'ours vs cluster by cluster',
        value: `${times(clusterByCluster)} faster`,
        budget: `≥ ${BUDGETS.fasterThanClusterByCluster}×`,
        pass: clusterByCluster >= BUDGETS.fasterThanClusterByCluster,
      },
    ],
  };
}

export function bigClusterSection(f: VSCodeFigures['firstPage']): Section {
  return {
    title: `2. A cluster with ${f.jobs.toLocaleString('en')} jobs (real VS Code)`,
    rows: [
      { measure: 'requests until its first page shows', value: String(f.requests), budget: '1', pass: f.requests === 1 },
      { measure: 'time from expanding it to its first page shown', value: ms(f.ms) },
      {
        measure: `extension host heap held after 5 pages (${f.jobsLoaded} jobs)`,
        value: f.gcExposed ? `${kb(f.heapDeltaBytes)}, ${kb(f.heapDeltaBytes / Math.max(1, f.jobsLoaded))}/job` : 'not measured (no gc)',
      },
    ],
  };
}

export function refreshSection(f: VSCodeFigures['batch']): Section {
  return {
    title: `3. Refresh after a batch that touched ${f.touched} of ${f.clusters} expanded clusters (real VS Code)`,
    rows: [
      { measure: `delete requests (${f.done} of ${f.requested} jobs deleted)`, value: String(f.deletes) },
      {
        measure: 'then: job lists + any other request',
        value: `${f.jobLists} + ${f.otherRequests}`,
        budget: `${f.touched} + 0`,
        pass: f.jobLists === f.touched && f.otherRequests === 0,
      },
    ],
  };
}

export function autoRefreshSection(f: VSCodeFigures['autoRefresh']): Section {
  const scale = SIMULATED_SECONDS / f.hiddenSeconds;
  return {
    title: '4. Auto-refresh every 1 s (real VS Code)',
    rows: [
      // Without refreshes while visible, none while hidden would prove nothing.
      { measure: `requests while the view shows, ${f.visibleSeconds.toFixed(0)} s`, value: String(f.visibleRequests), budget: '> 0', pass: f.visibleRequests > 0 },
      {
        measure: `requests while hidden, ${SIMULATED_SECONDS} simulated s (${f.hiddenSeconds.toFixed(0)} s × ${scale.toFixed(0)})`,
        value: String(Math.round(f.hiddenRequests * scale)),
        budget: '0',
        pass: f.hiddenRequests === 0,
      },
    ],
  };
}

export function bundleSection(f: BundleFigures): Section {
  // The stand-in for whatwg-url weighs a few bytes: only parts worth a line.
  const top = f.sources.filter((source) => source.bytes >= 1024).slice(0, 4);
  return {
    title: '5. The package, as `npm run package` builds it',
    rows: [
      { measure: 'dist/extension.js, minified', value: kb(f.bundleBytes), budget: `≤ ${BUDGETS.bundleBytes / 1024} KB`, pass: f.bundleBytes <= BUDGETS.bundleBytes },
      { measure: '.vsix', value: kb(f.vsixBytes), budget: `≤ ${BUDGETS.vsixBytes / 1024} KB`, pass: f.vsixBytes <= BUDGETS.vsixBytes },
      ...top.map((source) => ({ measure: `in the bundle: ${source.name}`, value: kb(source.bytes) })),
    ],
  };
}

export function activationSection(f: VSCodeFigures, latencyMs: number): Section {
  const { activation, openView } = f;
  const activateMs = activation.vscodeMs ?? activation.extHostMs;
  // Below this, requests sent together and requests sent one after another look alike.
  const roundTripsReadable = latencyMs >= MIN_LATENCY_FOR_ROUND_TRIPS;
  return {
    title: `6. Activation and opening the view (real VS Code, ${latencyMs} ms per request)`,
    rows: [
      {
        measure: activation.vscodeMs === undefined ? 'activation, timed in the extension host' : "activation: code loading + activate() (VS Code's figure)",
        value: ms(activateMs),
        budget: `< ${BUDGETS.activateMs} ms`,
        pass: activateMs < BUDGETS.activateMs && !activation.wasActive,
      },
      { measure: 'getExtension().activate(), timed in the extension host', value: ms(activation.extHostMs) },
      { measure: 'open the view → first clusters shown', value: ms(openView.ms) },
      {
        measure: 'requests before they show: cluster lists of all',
        value: `${openView.clusterLists} of ${openView.requests}`,
        budget: `${f.zones} of ${f.zones} (zones)`,
        pass: openView.clusterLists === f.zones && openView.requests === f.zones,
      },
      roundTripsReadable
        ? { measure: 'round trips before they show', value: String(openView.roundTrips), budget: '1', pass: openView.roundTrips === 1 }
        : { measure: `round trips before they show (needs --latency ${MIN_LATENCY_FOR_ROUND_TRIPS} or more)`, value: '-' },
    ],
  };
}

/** A part that could not be measured: one failing row that says why. */
export function failedSection(title: string, error: unknown): Section {
  // The first line says enough for the table; bench.json is not the place for stacks either.
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);
  return { title, rows: [{ measure: `not measured: ${reason}`, value: '', budget: 'measured', pass: false }] };
}
