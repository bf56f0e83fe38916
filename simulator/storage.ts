// The clusters' shared file system: a folder of this machine per cluster, standing for the
// storage every node of the cluster mounts (users' homes at /public/home/<user>). Files
// createJobFile writes and the output jobs write are here, and the login node's SFTP and
// shell read them.
//
// A cluster path is always absolute inside the cluster: it is resolved on its own (`..` stops
// at the cluster's `/`), then placed under the cluster's folder, so no name leaves it; and a
// symlink whose target lies outside the folder is refused, so no link leaves it either.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SimCluster } from './data';

export class OutsideStorageError extends Error {
  constructor(clusterPath: string) {
    super(`${clusterPath} leads outside the cluster's storage`);
  }
}

export class SharedStorage {
  /**
   * Fills a cluster's folder the first time anything uses it (so a simulator whose files
   * nobody reads writes none): called after the folder is emptied and the homes are made.
   */
  onPrepare?: (clusterId: string) => void;
  private readonly clusters = new Map<string, SimCluster>();
  private readonly prepared = new Set<string>();

  private constructor(
    /** The folder of this machine that holds every cluster's. */
    readonly root: string,
    /** A temporary folder of the simulator's own, removed when it closes. */
    private readonly temporary: boolean,
  ) {}

  /** In `dir` (made if missing), or in a fresh temporary folder removed by `close()`. */
  static open(dir?: string): SharedStorage {
    if (dir === undefined) {
      return new SharedStorage(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-sim-storage-'))), true);
    }
    fs.mkdirSync(dir, { recursive: true });
    return new SharedStorage(fs.realpathSync(dir), false);
  }

  /**
   * The cluster has a folder here: on first use a fresh one (what an earlier run left there
   * goes), with its users' homes.
   */
  add(cluster: SimCluster): void {
    this.clusters.set(cluster.info.cluster_id, cluster);
  }

  /** The cluster's folder, ready. */
  clusterDir(clusterId: string): string {
    const cluster = this.clusters.get(clusterId);
    if (!cluster) {
      throw new Error(`no storage for cluster ${clusterId}`);
    }
    const dir = path.join(this.root, clusterId);
    if (!this.prepared.has(clusterId)) {
      this.prepared.add(clusterId);
      fs.rmSync(dir, { recursive: true, force: true });
      for (const user of cluster.users) {
        fs.mkdirSync(this.hostPath(clusterId, user.nas_mount_point), { recursive: true });
      }
      this.onPrepare?.(clusterId);
    }
    return dir;
  }

  /** The file of this machine a cluster path names, by name only (symlinks not followed). */
  hostPath(clusterId: string, clusterPath: string): string {
    if (clusterPath.includes('\0')) {
      throw new OutsideStorageError(clusterPath);
    }
    return path.join(this.clusterDir(clusterId), ...path.posix.resolve('/', clusterPath).split('/').filter(Boolean));
  }

  /**
   * Like `hostPath`, and throws `OutsideStorageError` when the deepest part of it that exists
   * resolves, through symlinks, outside the cluster's folder.
   */
  safeHostPath(clusterId: string, clusterPath: string): string {
    const host = this.hostPath(clusterId, clusterPath);
    const dir = this.clusterDir(clusterId);
    let existing = host;
    while (!fs.existsSync(existing) && existing.startsWith(dir + path.sep)) {
      existing = path.dirname(existing);
    }
    let real: string;
    try {
      real = fs.realpathSync(existing);
    } catch {
      // A dangling link: where it points is its own business, but reading it is refused.
      throw new OutsideStorageError(clusterPath);
    }
    if (real !== dir && !real.startsWith(dir + path.sep)) {
      throw new OutsideStorageError(clusterPath);
    }
    return host;
  }

  /** Writes (or replaces) a file, making its folders. */
  writeFile(clusterId: string, clusterPath: string, data: string | Uint8Array): void {
    const host = this.safeHostPath(clusterId, clusterPath);
    fs.mkdirSync(path.dirname(host), { recursive: true });
    fs.writeFileSync(host, data);
  }

  appendFile(clusterId: string, clusterPath: string, data: string | Uint8Array): void {
    const host = this.safeHostPath(clusterId, clusterPath);
    fs.mkdirSync(path.dirname(host), { recursive: true });
    fs.appendFileSync(host, data);
  }

  /** Removes the temporary folder; a folder the simulator was given stays for the next run. */
  close(): void {
    if (this.temporary) {
      fs.rmSync(this.root, { recursive: true, force: true });
    }
  }
}
