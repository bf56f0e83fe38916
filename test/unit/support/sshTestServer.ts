// An SSH server in the test's process, for the SSH room's tests: password, publickey and
// keyboard-interactive logins, and a read-only SFTP over files kept in memory. It counts what
// it sees, so tests assert at the server: connections made, logins tried.
import { timingSafeEqual } from 'crypto';
import { AddressInfo, connect as netConnect } from 'net';
import { Connection, ParsedKey, Server, utils } from 'ssh2';
import * as ssh2 from 'ssh2';

const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;

export interface TestUser {
  password?: string;
  /** Public keys (OpenSSH text) the user logs in with. */
  keys?: string[];
  /** Only keyboard-interactive with a "Password:" prompt, as many HPC sites do. */
  keyboardOnly?: boolean;
}

export interface TestServerOptions {
  hostKeyType?: 'ed25519' | 'ecdsa';
  /** As sshd's MaxAuthTries: after this many refused logins, the connection is closed. */
  maxAuthTries?: number;
}

export interface TestSshServer {
  port: number;
  /** The host key's public blob, as a client's host verifier receives it. */
  hostKey: Buffer;
  files: Map<string, Buffer>;
  users: Map<string, TestUser>;
  connections: number;
  /** The channels asked of it as a jump host, `host:port`. */
  forwards: string[];
  /** Logins tried per method, and refused. */
  attempts: string[];
  failures: number;
  /** Ends every open connection, as a network drop would. */
  drop(): void;
  close(): Promise<void>;
}

export async function startTestSshServer(users: Record<string, TestUser>, { hostKeyType = 'ed25519', maxAuthTries }: TestServerOptions = {}): Promise<TestSshServer> {
  const hostKey = readableKeyPair(() => (hostKeyType === 'ecdsa' ? utils.generateKeyPairSync('ecdsa', { bits: 256 }) : utils.generateKeyPairSync('ed25519')));
  const open = new Set<Connection>();
  const state = {
    files: new Map<string, Buffer>(),
    users: new Map(Object.entries(users)),
    connections: 0,
    forwards: [] as string[],
    attempts: [] as string[],
    failures: 0,
  };
  const server = new Server({ hostKeys: [hostKey.private] }, (connection) => {
    state.connections++;
    open.add(connection);
    connection.on('close', () => open.delete(connection));
    connection.on('error', () => undefined);
    let refused = 0;
    connection.on('authentication', (ctx) => {
      state.attempts.push(ctx.method);
      const user = state.users.get(ctx.username);
      const reject = () => {
        if (ctx.method !== 'none') {
          state.failures++;
          if (maxAuthTries !== undefined && ++refused >= maxAuthTries) {
            return connection.end(); // "Too many authentication failures"
          }
        }
        ctx.reject(user?.keyboardOnly ? ['keyboard-interactive'] : ['publickey', 'password', 'keyboard-interactive']);
      };
      if (!user) {
        return reject();
      }
      if (ctx.method === 'password' && !user.keyboardOnly && user.password !== undefined && same(ctx.password, user.password)) {
        return ctx.accept();
      }
      if (ctx.method === 'keyboard-interactive' && user.password !== undefined) {
        return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => (same(answers[0] ?? '', user.password ?? '') ? ctx.accept() : reject()));
      }
      if (ctx.method === 'publickey' && !user.keyboardOnly) {
        const allowed = (user.keys ?? []).map((text) => utils.parseKey(text) as ParsedKey).find((key) => key.getPublicSSH().equals(ctx.key.data) && key.type === ctx.key.algo.replace(/^rsa-sha2-(256|512)$/, 'ssh-rsa'));
        if (allowed && (!ctx.signature || allowed.verify(ctx.blob as Buffer, ctx.signature, ctx.hashAlgo) === true)) {
          return ctx.accept();
        }
      }
      reject();
    });
    connection.on('ready', () => {
      // As a jump host: a channel to another host and port of this machine.
      connection.on('tcpip', (accept, reject, info) => {
        state.forwards.push(`${info.destIP}:${info.destPort}`);
        const socket = netConnect(info.destPort, info.destIP);
        socket.on('error', () => reject?.());
        socket.on('connect', () => {
          const channel = accept();
          channel.pipe(socket).pipe(channel);
        });
      });
      connection.on('session', (accept) => {
        accept().on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          const handles = new Map<number, string>();
          let next = 0;
          sftp.on('STAT', (id, path) => {
            const file = state.files.get(path);
            return file ? sftp.attrs(id, { mode: 0o100644, uid: 0, gid: 0, size: file.length, atime: 0, mtime: 0 }) : sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
          });
          sftp.on('OPEN', (id, path, flags) => {
            if (!(flags & OPEN_MODE.READ) || flags & OPEN_MODE.WRITE) {
              return sftp.status(id, STATUS_CODE.PERMISSION_DENIED);
            }
            if (!state.files.has(path)) {
              return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
            }
            const handle = Buffer.alloc(4);
            handle.writeUInt32BE(next);
            handles.set(next++, path);
            sftp.handle(id, handle);
          });
          sftp.on('READ', (id, handle, offset, length) => {
            const file = state.files.get(handles.get(handle.readUInt32BE(0)) ?? '');
            if (!file) {
              return sftp.status(id, STATUS_CODE.FAILURE);
            }
            return offset >= file.length ? sftp.status(id, STATUS_CODE.EOF) : sftp.data(id, file.subarray(offset, offset + length));
          });
          sftp.on('CLOSE', (id, handle) => {
            handles.delete(handle.readUInt32BE(0));
            sftp.status(id, STATUS_CODE.OK);
          });
          sftp.on('REALPATH', (id) => sftp.name(id, [{ filename: '/home/alice', longname: '/home/alice', attrs: {} as never }]));
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const parsed = utils.parseKey(hostKey.public) as ParsedKey;
  return Object.assign(state, {
    port: (server.address() as AddressInfo).port,
    hostKey: parsed.getPublicSSH(),
    drop: () => open.forEach((connection) => connection.end()),
    close: () => {
      open.forEach((connection) => connection.end());
      // close() waits for every socket; one still in its handshake is not in `open` yet.
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        setTimeout(resolve, 1000).unref();
      });
    },
  });
}

/** A key pair ssh2 reads back: about one in two hundred ed25519 keys ssh2 1.17 makes, it then refuses. */
export function readableKeyPair(generate: () => { private: string; public: string }, passphrase?: string): { private: string; public: string } {
  for (;;) {
    const pair = generate();
    if (!(utils.parseKey(pair.private, passphrase) instanceof Error)) {
      return pair;
    }
  }
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
