/**
 * The harness's half of "job output over SSH": two running jobs on one cluster, whose files
 * this side writes straight into the simulator's storage (the cluster's shared file system on
 * this machine). One holds 100 MB before VS Code starts; the other grows at 1 MB/s for a
 * minute during the extension host's 'follow' step. The jobs write nothing of their own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { setTimeout as sleep } from 'timers/promises';
import type { Simulator } from '../../simulator/server';
import type { ClusterRef, JobOutputConfig } from './protocol';

const MB = 1024 * 1024;
export const BIG_OUTPUT_BYTES = 100 * MB;
export const FOLLOW_BYTES_PER_SECOND = MB;
export const FOLLOW_SECONDS = 60;
/** The jobs run far longer than the bench: they are followed, never ended. */
const RUN_MS = 3_600_000;
/** A job's own step lines this rarely: never, within the bench. */
const SILENT_STEP_MS = 24 * 3_600_000;
/** Every line written here is this long, newline included. */
const LINE_BYTES = 128;

export interface JobOutputBench {
  config: JobOutputConfig;
  /** Appends to the followed file for the minute; resolves with what it appended. */
  follow(): Promise<Appended>;
}

export interface Appended {
  /** The followed file's growth while appending. */
  bytes: number;
  ms: number;
}

/** Makes the jobs and the 100 MB file on `cluster`'s storage. */
export function prepareJobOutputs(simulator: Simulator, cluster: ClusterRef): JobOutputBench {
  const fileOf = (job: ReturnType<Simulator['addRunningJob']>) => {
    simulator.setJobOutput(cluster.zone, cluster.clusterId, job.hpcjob_uuid, { stepMs: SILENT_STEP_MS });
    // Settling writes the job's first line: the file exists from now on.
    return path.join(simulator.storageFolder(cluster.clusterId), job.stdout_redirect_path);
  };
  const big = simulator.addRunningJob(cluster.zone, cluster.clusterId, 'bench-big-output', RUN_MS);
  const bigFile = fileOf(big);
  const lines = Math.floor((BIG_OUTPUT_BYTES - fs.statSync(bigFile).size) / LINE_BYTES);
  const perChunk = MB / LINE_BYTES;
  for (let done = 0; done < lines; done += perChunk) {
    fs.appendFileSync(bigFile, text(1 + done, Math.min(perChunk, lines - done)));
  }
  const followed = simulator.addRunningJob(cluster.zone, cluster.clusterId, 'bench-followed-output', RUN_MS);
  const followedFile = fileOf(followed);
  return {
    config: {
      cluster,
      password: simulator.loginNodes.password,
      big: { hpcjobUuid: big.hpcjob_uuid, name: big.job_name, bytes: fs.statSync(bigFile).size, firstLine: line(1), lastLine: line(lines) },
      followed: { hpcjobUuid: followed.hpcjob_uuid, name: followed.job_name },
      followSeconds: FOLLOW_SECONDS,
    },
    follow: () => appendAtRate(followedFile, FOLLOW_BYTES_PER_SECOND, FOLLOW_SECONDS),
  };
}

/** Appends whole lines to `file`, keeping up with `bytesPerSecond` from now for `seconds`. */
async function appendAtRate(file: string, bytesPerSecond: number, seconds: number): Promise<Appended> {
  const sizeBefore = fs.statSync(file).size;
  const total = Math.floor((bytesPerSecond * seconds) / LINE_BYTES);
  let written = 0;
  let number = 1;
  const started = performance.now();
  while (written < total) {
    await sleep(50);
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * (bytesPerSecond / LINE_BYTES)));
    if (due > written) {
      fs.appendFileSync(file, text(number, due - written));
      number += due - written;
      written = due;
    }
  }
  return { bytes: fs.statSync(file).size - sizeBefore, ms: performance.now() - started };
}

function line(number: number): string {
  return `line ${String(number).padStart(8, '0')} `.padEnd(LINE_BYTES - 1, '.');
}

function text(from: number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    out += line(from + i) + '\n';
  }
  return out;
}
