// What the bench's two halves tell each other: the harness (plain Node: simulator, browser)
// and the module that runs inside VS Code's extension host (exthost.ts). The extension host
// speaks through its console (the workbench forwards it while extensionTestsPath is set);
// the harness answers by creating files in a folder both can see.
import * as fs from 'fs';
import * as path from 'path';

/** Prefix of the extension host's messages on the workbench log. */
export const MESSAGE_TAG = '[ehpc-bench] ';
/** Environment variable that carries ExtHostConfig (JSON) to the extension host. */
export const CONFIG_ENV = 'EHPC_BENCH_CONFIG';

export interface ClusterRef {
  zone: string;
  clusterId: string;
}

export interface ExtHostConfig {
  /** Where the harness creates a file named after each step once it has seen it through. */
  signalsDir: string;
  accessKeyId: string;
  secretAccessKey: string;
  zones: string[];
  bigCluster: ClusterRef;
  /** The clusters the batch touches. */
  touched: ClusterRef[];
  /** Seconds of the auto-refresh windows (see exthost.ts). */
  visibleSeconds: number;
  hiddenSeconds: number;
  /** Where Submit Job sends its script, and the job's name (the page watches for its row). */
  submitTo: ClusterRef;
  submitName: string;
  /** Job output over SSH: two running jobs on one cluster's login node (jobOutput.ts). */
  jobOutput: JobOutputConfig;
  /** Only activate, and let the harness read VS Code's activation time (the older build's session). */
  activationOnly?: boolean;
}

export interface OutputJob {
  hpcjobUuid: string;
  name: string;
}

export interface JobOutputConfig {
  cluster: ClusterRef;
  /** Every cluster user's SSH password on the simulator's login nodes. */
  password: string;
  /** A running job whose output holds `bytes` already: its first line (not to be shown) and its last. */
  big: OutputJob & { bytes: number; firstLine: string; lastLine: string };
  /** A running job whose output the harness appends to during the 'follow' step. */
  followed: OutputJob;
  /** How long the harness appends: the extension host waits this and more for the step. */
  followSeconds: number;
}

/** Milliseconds since the epoch: the harness, the extension host and the page share the clock. */
export interface Window {
  from: number;
  to: number;
}

/**
 * A step the extension host took; it waits until the harness has seen it through on the
 * page and created the file `signalsDir/<name>`.
 */
export type StepName = 'ready' | 'open-view' | 'first-page' | 'follow' | 'runtime-status';

export interface ExtHostResult {
  /** Whether something had activated the extension before the bench did. */
  wasActive: boolean;
  /** Wall time of `getExtension().activate()`: loading the bundle, then activate(). */
  activateMs: number;
  /** The extension's files under dist/ that were loaded once activate() returned. */
  loadedAtActivation: string[];
  openView: Window;
  firstPage: Window & { heapDeltaBytes: number; jobsLoaded: number; gcExposed: boolean };
  /** From just before the batch command to well after it returned. */
  batch: Window & { requested: number; done: number };
  autoRefresh: { visible: Window; hidden: Window };
  /** Heap used after GC before and after `refreshes` reloads of everything shown. */
  memory: { refreshes: number; heapBefore: number; heapAfter: number; gcExposed: boolean };
  /**
   * Submit Job on the script being edited: the form's look-ups (`form`), from the confirmation
   * until the job was revealed and selected (`afterConfirm`), then the form opened again for
   * the same cluster and closed (`formAgain`). `reveals`: each treeView.reveal the extension
   * made after the confirmation (from it, how long it took, whether it worked).
   */
  submit: {
    form: Window;
    afterConfirm: Window & { hpcjobUuid: string; selectedMs: number; reveals: { atMs: number; ms: number; ok: boolean }[] };
    formAgain: Window;
  };
  /** Job output over SSH, or why it could not be measured (the other parts still report). */
  jobOutput: JobOutputResult | { error: string };
}

/** What a tab's follower had received, and in how many reads. */
export interface Transfer {
  bytesRead: number;
  reads: number;
}

export interface JobOutputResult {
  /** Open Output on the 100 MB file: until its first text, and its last line, showed in the tab (ms). */
  big: Transfer & { firstTextMs: number; lastLineMs: number; windowBytes: number; firstLineShown: boolean };
  /**
   * The followed tab while the harness appended: from just before the 'follow' step to the
   * follower caught up. Bytes and reads are those of the window; heap after GC at both ends.
   */
  follow: Window & Transfer & { heapBefore: number; heapAfter: number; gcExposed: boolean };
}

/** What an activation-only session reports. */
export type ActivationResult = Pick<ExtHostResult, 'wasActive' | 'activateMs' | 'loadedAtActivation'>;

export type ExtHostMessage =
  | { kind: 'step'; name: StepName; at: number }
  | { kind: 'result'; result: ExtHostResult }
  | { kind: 'activation'; result: ActivationResult }
  | { kind: 'error'; message: string };

export function signalFile(dir: string, name: StepName): string {
  return path.join(dir, name);
}

export function sendSignal(dir: string, name: StepName): void {
  fs.writeFileSync(signalFile(dir, name), '');
}
