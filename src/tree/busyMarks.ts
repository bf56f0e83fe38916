// Which jobs a batch is working on ("Deleting...", "Cancelling..." in the tree). Marking is
// also the guard against sending a job twice: only the jobs a batch could mark may be sent.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { Job } from '../ehpc/types';

export type BusyKind = 'deleting' | 'cancelling';

type JobRef = Pick<Job, 'account' | 'zone' | 'clusterId' | 'hpcjobUuid'>;

export class BusyMarks implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a mark is added or removed (the tree redraws). */
  readonly onDidChange: vscode.Event<void> = this.changed.event;
  private readonly marks = new Map<string, BusyKind>();

  kind(job: JobRef): BusyKind | undefined {
    return this.marks.get(jobKey(job));
  }

  /** Marks the jobs not marked yet and returns them: only they may be sent. */
  mark(jobs: readonly Job[], kind: BusyKind): Job[] {
    const fresh: Job[] = [];
    for (const job of jobs) {
      // A job named twice in one call is marked (and sent) once.
      if (!this.marks.has(jobKey(job))) {
        this.marks.set(jobKey(job), kind);
        fresh.push(job);
      }
    }
    if (fresh.length > 0) {
      this.changed.fire();
    }
    return fresh;
  }

  clear(jobs: readonly JobRef[]): void {
    const removed = jobs.filter((job) => this.marks.delete(jobKey(job)));
    if (removed.length > 0) {
      this.changed.fire();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function jobKey(job: JobRef): string {
  return `${clusterKey(job)}/${job.hpcjobUuid}`;
}
