// A followed file's reads over the lease's shared SFTP session: each read opens, reads and
// closes (a long-held handle may see a stale size on the NFS homes of clusters), and a
// connection lost since the last read is made again by the lease.
import type { SFTPWrapper } from 'ssh2';
import { SshError, sshErrorOf } from './errors';
import type { FileSource } from './follower';
import type { SshLease } from './connections';

/** SFTP status codes (draft-ietf-secsh-filexfer-02). */
const EOF = 1;
const NO_SUCH_FILE = 2;

export function sftpFileSource(lease: SshLease): FileSource {
  return {
    async size(path) {
      const sftp = await lease.sftp();
      return new Promise((resolve, reject) =>
        sftp.stat(path, (error, stats) => (error ? (codeOf(error) === NO_SUCH_FILE ? resolve(undefined) : reject(fileError(error, path))) : resolve(stats.size))),
      );
    },
    async read(path, offset, length) {
      const sftp = await lease.sftp();
      const handle = await call<Buffer>(path, (done) => sftp.open(path, 'r', done));
      try {
        return await readFully(sftp, path, handle, offset, length);
      } finally {
        sftp.close(handle, () => undefined);
      }
    },
  };
}

/** Reads until `length` bytes or the end of the file (SFTP answers reads in pieces). */
export async function readFully(sftp: SFTPWrapper, path: string, handle: Buffer, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const read = await call<number>(path, (done) =>
      sftp.read(handle, buffer, filled, length - filled, offset + filled, (error, bytesRead) => (codeOf(error) === EOF ? done(null, 0) : done(error, bytesRead))),
    );
    if (read === 0) {
      break;
    }
    filled += read;
  }
  return buffer.subarray(0, filled);
}

/** One SFTP request as a promise; a refusal about `path` becomes a 'file' SshError. */
export function call<T>(path: string, start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, value) => (error ? reject(fileError(error, path)) : resolve(value))));
}

function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A status the server answered is about the file; anything else (no answer) is the connection. */
function fileError(error: unknown, path: string): SshError {
  const code = codeOf(error);
  if (code !== undefined && code !== 0) {
    return new SshError('file', `${path}: ${(error as Error).message}`, { code });
  }
  return sshErrorOf(error, true);
}

/** The login user's home, as the server resolves `.`: where relative paths start. */
export async function homeOf(lease: SshLease): Promise<string> {
  const sftp = await lease.sftp();
  return call<string>('.', (done) => sftp.realpath('.', done));
}
