// A whole remote file saved to this machine. Its size is taken once, as it is opened: a running
// job keeps writing, and what it adds later is not part of this copy. The bytes go to a part
// file of this download's own beside the target; the part becomes the target only when it is
// complete, and only where no file is (unless the user agreed to replace the one there).
// Cancelled or failed, the part file goes: nothing is left behind.
//
// Our own reader over `sftp.read` rather than ssh2's `fastGet`: fastGet opens the local file
// with 'w' (emptying whatever is there), can be stopped only by ending the SFTP session that
// every open output tab shares, and reads up to a size of its own finding. The reads here are
// in flight several at once all the same (one at a time is many times slower over a distant
// link), each written at its offset.
import { randomBytes } from 'crypto';
import { createReadStream, promises as fsp } from 'fs';
import type { FileHandle } from 'fs/promises';
import { pipeline } from 'stream/promises';
import type { SFTPWrapper, Stats } from 'ssh2';
import type { SshLease } from './connections';
import { SshError } from './errors';
import { call, readFully } from './sftpSource';

/** Bytes one read asks for: one SFTP request with OpenSSH (which answers up to 256 KiB). */
const CHUNK_SIZE = 64 * 1024;
/**
 * Reads in flight at once: 2 MiB with OpenSSH, ssh2's channel window. Fewer than fastGet's 64,
 * as some servers mishandle many requests at once.
 */
const CONCURRENCY = 32;
/** What `link` answers on a file system without hard links (FAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

export interface DownloadOptions {
  /** Bytes saved so far, of `total` (the size taken at the start). */
  onProgress?(bytes: number, total: number): void;
  signal?: AbortSignal;
  /** The user agreed to replace a file at the target; without it, any file there fails the download. */
  replace?: boolean;
  concurrency?: number;
  chunkSize?: number;
}

/** A file is at the target, and the user did not agree to replace it. */
export class TargetExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists`);
    this.name = 'TargetExistsError';
  }
}

/** Saves `remotePath` as `localPath`; resolves to the bytes saved. */
export async function download(lease: SshLease, remotePath: string, localPath: string, options: DownloadOptions = {}): Promise<number> {
  stopIfCancelled(options.signal);
  if (!options.replace && (await exists(localPath))) {
    throw new TargetExistsError(localPath); // told before any byte moves; checked again at the end
  }
  const sftp = await lease.sftp();
  stopIfCancelled(options.signal);
  const handle = await call<Buffer>(remotePath, (done) => sftp.open(remotePath, 'r', done));
  try {
    const size = (await call<Stats>(remotePath, (done) => sftp.fstat(handle, done))).size;
    const part = await openPart(localPath);
    try {
      try {
        await copy(sftp, remotePath, handle, part.file, size, options);
        const saved = (await part.file.stat()).size;
        if (saved !== size) {
          throw new Error(`${part.path} has ${saved} bytes, not the ${size} read`);
        }
      } finally {
        await part.file.close();
      }
      stopIfCancelled(options.signal);
      await place(part.path, localPath, options.replace === true);
    } catch (error) {
      await fsp.rm(part.path, { force: true });
      throw error;
    }
    return size;
  } finally {
    sftp.close(handle, () => undefined);
  }
}

/** Reads `size` bytes, several reads in flight, each written at its offset; stops at the first failure or the cancel. */
async function copy(sftp: SFTPWrapper, remotePath: string, handle: Buffer, file: FileHandle, size: number, options: DownloadOptions): Promise<void> {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const stop = new AbortController();
  const cancel = () => stop.abort(cancelled());
  options.signal?.addEventListener('abort', cancel, { once: true });
  // A read in flight is left to finish on its own when stopped: its bytes are not written.
  const stopped = new Promise<never>((_, reject) => stop.signal.addEventListener('abort', () => reject(stop.signal.reason as Error), { once: true }));
  stopped.catch(() => undefined);
  let next = 0;
  let copied = 0;
  const worker = async () => {
    try {
      while (next < size && !stop.signal.aborted) {
        const offset = next;
        const length = Math.min(chunkSize, size - offset);
        next += length;
        const data = await Promise.race([readFully(sftp, remotePath, handle, offset, length), stopped]);
        if (data.length < length) {
          throw new SshError('file', `${remotePath} became shorter during the download`);
        }
        stop.signal.throwIfAborted();
        await file.write(data, 0, length, offset);
        copied += length;
        options.onProgress?.(copied, size);
      }
    } catch (error) {
      if (!stop.signal.aborted) {
        stop.abort(error);
      }
    }
  };
  try {
    options.onProgress?.(0, size);
    // Every writer has finished before the file is closed or removed.
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? CONCURRENCY) }, worker));
    stop.signal.throwIfAborted();
  } finally {
    options.signal?.removeEventListener('abort', cancel);
  }
}

/** A new part file beside the target, created by this download (never one already there). */
async function openPart(localPath: string): Promise<{ path: string; file: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const path = `${localPath}.${randomBytes(4).toString('hex')}.part`;
    try {
      return { path, file: await fsp.open(path, 'wx') };
    } catch (error) {
      if (codeOf(error) !== 'EEXIST' || attempt >= 4) {
        throw error;
      }
    }
  }
}

/**
 * The part file becomes the target. A hard link is made only where no name is, in one step
 * (a check before a rename would leave a moment for a file to appear, which the rename would
 * then replace). Without hard links, the target is created exclusively and the bytes copied.
 */
async function place(part: string, target: string, replace: boolean): Promise<void> {
  if (replace) {
    await fsp.rename(part, target);
    return;
  }
  try {
    await fsp.link(part, target);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') {
      throw new TargetExistsError(target);
    }
    if (!NO_HARD_LINKS.has(codeOf(error) ?? '')) {
      throw error;
    }
    await copyExclusively(part, target);
  }
  await fsp.rm(part, { force: true });
}

async function copyExclusively(part: string, target: string): Promise<void> {
  let file: FileHandle;
  try {
    file = await fsp.open(target, 'wx');
  } catch (error) {
    throw codeOf(error) === 'EEXIST' ? new TargetExistsError(target) : error;
  }
  try {
    await pipeline(createReadStream(part), file.createWriteStream());
  } catch (error) {
    await fsp.rm(target, { force: true }); // ours: 'wx' created it
    throw error;
  } finally {
    await file.close().catch(() => undefined);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch (error) {
    if (codeOf(error) === 'ENOENT') {
      return false;
    }
    throw error;
  }
}

function stopIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw cancelled();
  }
}

function cancelled(): SshError {
  return new SshError('cancelled', 'the download was cancelled');
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
