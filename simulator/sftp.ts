// The login node's SFTP subsystem over the cluster's shared storage, read-only: what a client
// needs to find, stat, read and follow files (OPEN for reading, READ, FSTAT, STAT, LSTAT,
// CLOSE, REALPATH, OPENDIR, READDIR). Every write is refused with PERMISSION_DENIED. A READ at
// the end of a file answers EOF, as OpenSSH's sftp-server does. Each request settles the
// simulator first, so a job's output has grown to the simulator's now.
import * as fs from 'fs';
import * as path from 'path';
import { utils, type Attributes, type FileEntry, type SFTPWrapper } from 'ssh2';
import { OutsideStorageError, type SharedStorage } from './storage';

const { OPEN_MODE, STATUS_CODE } = utils.sftp;
/** What one READ answers at most (OpenSSH's sftp-server: 256 KiB). */
const MAX_READ = 256 * 1024;

export interface SftpContext {
  storage: SharedStorage;
  clusterId: string;
  /** The user's home: where `.` and relative paths start. */
  home: string;
  settle: () => void;
}

type Handle = { kind: 'file'; fd: number } | { kind: 'dir'; clusterPath: string; listed: boolean };

export function serveSftp(sftp: SFTPWrapper, ctx: SftpContext): void {
  const handles = new Map<number, Handle>();
  let nextHandle = 0;
  const clusterPath = (p: string) => path.posix.resolve(ctx.home, p);
  /** The file of this machine, or a status already sent. */
  const hostPathOf = (reqid: number, p: string): string | undefined => {
    ctx.settle();
    try {
      return ctx.storage.safeHostPath(ctx.clusterId, clusterPath(p));
    } catch (err) {
      sftp.status(reqid, err instanceof OutsideStorageError ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE);
      return undefined;
    }
  };
  const handleOf = (buffer: Buffer): [number, Handle | undefined] => {
    const id = buffer.length === 4 ? buffer.readUInt32BE(0) : -1;
    return [id, handles.get(id)];
  };
  const newHandle = (handle: Handle): Buffer => {
    const id = nextHandle++;
    handles.set(id, handle);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(id);
    return buffer;
  };
  const fail = (reqid: number, err: unknown) => sftp.status(reqid, statusOf(err));
  const denied = (reqid: number) => sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'read-only');

  sftp.on('OPEN', (reqid, filename, flags) => {
    if (flags & (OPEN_MODE.WRITE | OPEN_MODE.APPEND | OPEN_MODE.CREAT | OPEN_MODE.TRUNC | OPEN_MODE.EXCL)) {
      return denied(reqid);
    }
    const host = hostPathOf(reqid, filename);
    if (host === undefined) {
      return;
    }
    try {
      if (fs.statSync(host).isDirectory()) {
        return sftp.status(reqid, STATUS_CODE.FAILURE, 'is a directory');
      }
      sftp.handle(reqid, newHandle({ kind: 'file', fd: fs.openSync(host, 'r') }));
    } catch (err) {
      fail(reqid, err);
    }
  });

  sftp.on('READ', (reqid, buffer, offset, length) => {
    const [, handle] = handleOf(buffer);
    if (handle?.kind !== 'file') {
      return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    }
    ctx.settle();
    try {
      const data = Buffer.alloc(Math.min(length, MAX_READ));
      const read = fs.readSync(handle.fd, data, 0, data.length, offset);
      if (read === 0) {
        return sftp.status(reqid, STATUS_CODE.EOF);
      }
      sftp.data(reqid, data.subarray(0, read));
    } catch (err) {
      fail(reqid, err);
    }
  });

  sftp.on('FSTAT', (reqid, buffer) => {
    const [, handle] = handleOf(buffer);
    if (handle?.kind !== 'file') {
      return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    }
    ctx.settle();
    try {
      sftp.attrs(reqid, attrsOf(fs.fstatSync(handle.fd)));
    } catch (err) {
      fail(reqid, err);
    }
  });

  sftp.on('STAT', (reqid, p) => {
    const host = hostPathOf(reqid, p);
    if (host !== undefined) {
      try {
        sftp.attrs(reqid, attrsOf(fs.statSync(host)));
      } catch (err) {
        fail(reqid, err);
      }
    }
  });

  sftp.on('LSTAT', (reqid, p) => {
    // The link itself lies inside: only the folder it is in must not lead out.
    const dir = hostPathOf(reqid, path.posix.dirname(clusterPath(p)));
    if (dir !== undefined) {
      try {
        const name = path.posix.basename(clusterPath(p));
        sftp.attrs(reqid, attrsOf(fs.lstatSync(name === '' ? dir : path.join(dir, name))));
      } catch (err) {
        fail(reqid, err);
      }
    }
  });

  sftp.on('CLOSE', (reqid, buffer) => {
    const [id, handle] = handleOf(buffer);
    if (!handle) {
      return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    }
    handles.delete(id);
    if (handle.kind === 'file') {
      fs.closeSync(handle.fd);
    }
    sftp.status(reqid, STATUS_CODE.OK);
  });

  sftp.on('REALPATH', (reqid, p) => {
    const resolved = clusterPath(p);
    sftp.name(reqid, [{ filename: resolved, longname: resolved, attrs: {} as Attributes }]);
  });

  sftp.on('OPENDIR', (reqid, p) => {
    const host = hostPathOf(reqid, p);
    if (host === undefined) {
      return;
    }
    try {
      if (!fs.statSync(host).isDirectory()) {
        return sftp.status(reqid, STATUS_CODE.FAILURE, 'not a directory');
      }
      sftp.handle(reqid, newHandle({ kind: 'dir', clusterPath: clusterPath(p), listed: false }));
    } catch (err) {
      fail(reqid, err);
    }
  });

  sftp.on('READDIR', (reqid, buffer) => {
    const [, handle] = handleOf(buffer);
    if (handle?.kind !== 'dir') {
      return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    }
    if (handle.listed) {
      return sftp.status(reqid, STATUS_CODE.EOF);
    }
    handle.listed = true;
    try {
      const dir = ctx.storage.safeHostPath(ctx.clusterId, handle.clusterPath);
      const entries: FileEntry[] = ['.', '..', ...fs.readdirSync(dir)].map((name) => {
        const attrs = attrsOf(fs.lstatSync(path.join(dir, name)));
        return { filename: name, longname: longname(name, attrs), attrs };
      });
      sftp.name(reqid, entries);
    } catch (err) {
      fail(reqid, err);
    }
  });

  for (const write of ['WRITE', 'FSETSTAT', 'SETSTAT', 'REMOVE', 'RMDIR', 'MKDIR', 'RENAME', 'SYMLINK'] as const) {
    sftp.on(write, (reqid: number) => denied(reqid));
  }
  sftp.on('READLINK', (reqid: number) => sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED));

  sftp.on('close', () => {
    for (const handle of handles.values()) {
      if (handle.kind === 'file') {
        fs.closeSync(handle.fd);
      }
    }
    handles.clear();
  });
}

function attrsOf(stat: fs.Stats): Attributes {
  return {
    mode: stat.mode,
    uid: stat.uid,
    gid: stat.gid,
    size: stat.size,
    atime: Math.floor(stat.atimeMs / 1000),
    mtime: Math.floor(stat.mtimeMs / 1000),
  };
}

/** `ls -l`'s line, roughly, as OpenSSH's READDIR gives it. */
function longname(name: string, attrs: Attributes): string {
  const type = (attrs.mode & fs.constants.S_IFMT) === fs.constants.S_IFDIR ? 'd' : (attrs.mode & fs.constants.S_IFMT) === fs.constants.S_IFLNK ? 'l' : '-';
  const bits = 'rwxrwxrwx'.split('').map((c, i) => (attrs.mode & (0o400 >> i) ? c : '-')).join('');
  const date = new Date(attrs.mtime * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return `${type}${bits} 1 ${attrs.uid} ${attrs.gid} ${attrs.size} ${date} ${name}`;
}

function statusOf(err: unknown): number {
  if (err instanceof OutsideStorageError) {
    return STATUS_CODE.PERMISSION_DENIED;
  }
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return STATUS_CODE.NO_SUCH_FILE;
    case 'EACCES':
    case 'EPERM':
      return STATUS_CODE.PERMISSION_DENIED;
    default:
      return STATUS_CODE.FAILURE;
  }
}
