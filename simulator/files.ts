// Files written on a cluster's shared storage by POST /api/job/createJobFile (an SDK-only
// action the docs do not describe): kept per cluster, path → content, so a job's command can
// run a script written just before it.
//
// The target path must be absolute: the action names only "path and name on the cluster's
// storage", with no user to resolve a relative path against, so the simulator refuses one
// rather than guess. `.` and `..` segments and empty ones (`//`, a trailing `/`) are refused
// too: a write outside the path it names, or to a directory, is never what a client meant.
import type { SimCluster } from './data';
import { ApiError, RetCode } from './errors';

export const FILE_TYPES = ['plain', 'tar'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export interface SimFile {
  path: string;
  content: string;
  fileType: FileType;
}

export class JobFiles {
  private readonly byCluster = new Map<SimCluster, Map<string, SimFile>>();

  /** Writes (or overwrites) one file. */
  write(cluster: SimCluster, file: SimFile): void {
    let files = this.byCluster.get(cluster);
    if (!files) {
      files = new Map();
      this.byCluster.set(cluster, files);
    }
    files.set(file.path, { ...file });
  }

  read(cluster: SimCluster, path: string): SimFile | undefined {
    const file = this.byCluster.get(cluster)?.get(path);
    return file && { ...file };
  }

  /** Copies, by path. */
  list(cluster: SimCluster): SimFile[] {
    return [...(this.byCluster.get(cluster)?.values() ?? [])]
      .map((file) => ({ ...file }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** Throws 1100 unless `path` is an absolute file path without `.`, `..` or empty segments. */
export function checkTargetFile(path: string): void {
  if (!path.startsWith('/')) {
    throw new ApiError(RetCode.BadParameter, `target_file must be an absolute path, got [${path}]`);
  }
  if (path.includes('\0')) {
    throw new ApiError(RetCode.BadParameter, 'target_file must not contain a NUL character');
  }
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new ApiError(RetCode.BadParameter, `target_file must name a file without ".", ".." or empty segments, got [${path}]`);
  }
}
