// Each cluster's login node: an SSH server in the simulator's process (ssh2's server side),
// on 127.0.0.1 and a port of its own, over the cluster's shared storage. It authenticates the
// cluster's users by password, keyboard-interactive (one "Password:" prompt) and public key,
// and serves SFTP (read-only, sftp.ts) and a small line shell (shell.ts), never the host's own.
//
// The port is held by a plain TCP server that hands each connection to the current ssh2
// server: a test that replaces the host key gets new connections served with the new key on
// the same port, and one that drops the connections closes their sockets as a network would.
// While the cluster is not active (stopped, or starting) the node is off: a connection is
// closed as soon as it is made, and a stop closes those open.
import { timingSafeEqual } from 'crypto';
import * as net from 'net';
import { Server, utils, type AuthContext, type Connection, type ParsedKey } from 'ssh2';
import type { SimUser } from './accounts';
import type { HostKey, HostKeys } from './hostKeys';
import { LOGIN_NODE_ADDRESS } from './nodes';
import { serveSftp } from './sftp';
import { serveExec, serveShell, type TerminalSize } from './shell';
import type { SharedStorage } from './storage';

export type AuthMethod = 'password' | 'keyboard-interactive' | 'publickey';

/** One authentication the login node decided (a client's probe with no credentials is not one). */
export interface AuthAttempt {
  username: string;
  method: AuthMethod;
  accepted: boolean;
}

export interface LoginNodeContext {
  storage: SharedStorage;
  hostKeys: HostKeys;
  /** The password every user has until a test sets another. */
  password: string;
  /** Brings the simulator to now (a job's output to its current size). */
  settle: () => void;
  /** Whether the cluster is up (active), once settled. */
  poweredOn: () => boolean;
}

const METHODS: AuthMethod[] = ['publickey', 'password', 'keyboard-interactive'];

export class LoginNode {
  private tcp?: net.Server;
  private ssh: Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly passwords = new Map<string, string>();
  private readonly authorized = new Map<string, ParsedKey[]>();
  /** Every authentication decided, oldest first. */
  readonly attempts: AuthAttempt[] = [];
  /** The terminal sizes clients asked for, `pty` and `window-change` alike, oldest first. */
  readonly terminalSizes: TerminalSize[] = [];
  /** How many connections it has accepted so far. */
  connectionCount = 0;

  constructor(
    readonly clusterId: string,
    private readonly users: () => readonly SimUser[],
    private readonly ctx: LoginNodeContext,
  ) {
    this.ssh = this.sshServer(ctx.hostKeys.of(clusterId));
  }

  get port(): number {
    const address = this.tcp?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get hostKey(): HostKey {
    return this.ctx.hostKeys.of(this.clusterId);
  }

  async listen(): Promise<void> {
    const tcp = net.createServer((socket) => {
      this.ctx.settle();
      if (!this.ctx.poweredOn()) {
        socket.destroy();
        return;
      }
      this.connectionCount++;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      this.ssh.injectSocket(socket);
    });
    this.tcp = tcp;
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, LOGIN_NODE_ADDRESS, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
  }

  /** A new host key, for the connections from now on. */
  replaceHostKey(): HostKey {
    const key = this.ctx.hostKeys.replace(this.clusterId);
    this.ssh = this.sshServer(key);
    return key;
  }

  setPassword(username: string, password: string): void {
    this.passwords.set(username, password);
  }

  /** `publicKey` as an authorized_keys line (`ssh-ed25519 AAAA… comment`) or a key ssh2 parses. */
  authorizeKey(username: string, publicKey: string | Buffer): void {
    const parsed = utils.parseKey(publicKey);
    if (parsed instanceof Error) {
      throw parsed;
    }
    this.authorized.set(username, [...(this.authorized.get(username) ?? []), parsed]);
  }

  /** Closes every open connection's socket at once, as a network that drops them. */
  dropConnections(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) {
      socket.destroy();
    }
    return count;
  }

  openConnections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    this.dropConnections();
    const tcp = this.tcp;
    if (tcp?.listening) {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  }

  private sshServer(key: HostKey): Server {
    return new Server({ hostKeys: [key.privateKey], ident: 'OpenSSH_9.2p1' }, (conn) => this.serve(conn));
  }

  private serve(conn: Connection): void {
    let user: SimUser | undefined;
    conn.on('error', () => undefined);
    conn.on('authentication', (auth) => {
      const found = this.users().find((u) => u.username === auth.username);
      this.authenticate(auth, found, (accepted) => {
        if (accepted) {
          user = found;
        }
      });
    });
    conn.on('ready', () => {
      conn.on('session', (accept) => {
        const session = accept();
        const home = user?.nas_mount_point ?? '/';
        const username = user?.username ?? '';
        let pty: TerminalSize | undefined;
        session.on('pty', (ok, _reject, info) => {
          pty = { cols: info.cols, rows: info.rows };
          this.terminalSizes.push(pty);
          ok?.();
        });
        session.on('window-change', (ok, _reject, info) => {
          pty = { cols: info.cols, rows: info.rows };
          this.terminalSizes.push(pty);
          ok?.();
        });
        session.on('env', (ok) => ok?.());
        const shellContext = () => ({ storage: this.ctx.storage, clusterId: this.clusterId, home, username, settle: this.ctx.settle, pty: pty !== undefined });
        session.on('shell', (ok) => serveShell(ok(), shellContext()));
        session.on('exec', (ok, _reject, info) => serveExec(ok(), shellContext(), info.command));
        session.on('sftp', (ok) => serveSftp(ok(), { storage: this.ctx.storage, clusterId: this.clusterId, home, settle: this.ctx.settle }));
      });
    });
  }

  /** Decides one authentication request as sshd would; `done` is told whether it let the user in. */
  private authenticate(auth: AuthContext, user: SimUser | undefined, done: (accepted: boolean) => void): void {
    const decide = (method: AuthMethod, accepted: boolean) => {
      this.attempts.push({ username: auth.username, method, accepted });
      done(accepted);
      if (accepted) {
        auth.accept();
      } else {
        auth.reject(METHODS);
      }
    };
    const passwordMatches = (given: string) => user !== undefined && same(given, this.passwords.get(user.username) ?? this.ctx.password);
    switch (auth.method) {
      case 'password':
        return decide('password', passwordMatches(auth.password));
      case 'keyboard-interactive':
        return auth.prompt([{ prompt: 'Password: ', echo: false }], (answers) => decide('keyboard-interactive', passwordMatches(answers[0] ?? '')));
      case 'publickey': {
        const key = user && (this.authorized.get(user.username) ?? []).find((k) => k.getPublicSSH().equals(auth.key.data));
        if (!key) {
          return decide('publickey', false);
        }
        if (!auth.signature) {
          // The client asks whether this key would do; it signs with it next.
          return auth.accept();
        }
        return decide('publickey', key.verify(auth.blob as Buffer, auth.signature, auth.hashAlgo) === true);
      }
      default:
        // `none`, or a method not offered: not an attempt, just the list of methods.
        return auth.reject(METHODS);
    }
  }
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
