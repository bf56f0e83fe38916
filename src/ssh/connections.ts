// One SSH connection per login node and user, shared by everything open on it (tabs that
// follow, downloads, terminals), made on first use and closed when nothing has used it for a
// while. A lease is a user's hold on it: while any is held, a lost connection is made again
// on the next use, with no new prompt when the answers are kept.
import type { Duplex } from 'stream';
import type { Client, SFTPWrapper } from 'ssh2';
import { authHandler, AuthPrompts, AuthSources, AuthTrace } from './auth';
import { SshError, sshErrorOf } from './errors';
import type { Clock } from './follower';
import { hostKeyAlgorithms } from './knownHosts';
import { loadSsh2, Ssh2Module } from './load';
import { ProxyExit, ProxyProcess, startProxyCommand } from './proxyCommand';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
}

export interface ConnectRequest {
  target: SshTarget;
  sources: AuthSources;
  prompts: AuthPrompts;
  /** Decides on the host's key (known_hosts, the keys the user accepted, a prompt); true: go on. */
  verifyHostKey(key: Buffer): Promise<boolean>;
  /** The key types already known for the host, asked of the server first. */
  knownKeyTypes?: readonly string[];
  /** A jump host (OpenSSH's ProxyJump): the connection goes through a channel it opens to the target. */
  via?: ConnectRequest;
  /** Without `via`: a ProxyCommand, its tokens put in, whose stdin and stdout carry the connection. */
  proxyCommand?: string;
  /**
   * Whose connection it is (an account's cluster, say): connections are shared within a scope
   * only, so that two clusters whose login nodes have one private address never share one.
   */
  scope?: string;
}

export interface PoolOptions {
  load?: () => Promise<Ssh2Module>;
  /** How long an unused connection stays open. */
  idleMs?: number;
  keepaliveMs?: number;
  /** From the connect to the host's key: a host that does not answer. Prompts are not timed. */
  connectTimeoutMs?: number;
  clock?: Clock;
  /** Where a ProxyCommand's stderr goes, a line at a time. */
  log?: (line: string) => void;
}

export function targetKey(target: SshTarget): string {
  return `${target.username}@${target.host}:${target.port}`;
}

/** A connection's key in the pool: its target, and the jump hosts it goes through. */
function requestKey(request: ConnectRequest): string {
  const own = request.scope === undefined ? targetKey(request.target) : `${request.scope} ${targetKey(request.target)}`;
  return request.via ? `${own} via ${requestKey(request.via)}` : request.proxyCommand ? `${own} through ${request.proxyCommand}` : own;
}

// Key exchanges Electron's BoringSSL handles: no Diffie-Hellman group exchange or group1.
const KEX = [
  'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521',
  'diffie-hellman-group14-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512', 'diffie-hellman-group14-sha1',
];
/** ssh2's host key algorithms; those of the key types known for a host are asked for first. */
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];


interface Entry {
  leases: number;
  client?: Client;
  connecting?: Promise<Client>;
  sftp?: Promise<SFTPWrapper>;
  idle?: unknown;
  /** Ends a connection still being made (its ProxyCommand, its jump host), for dispose(). */
  abort?: () => void;
}

const realClock: Clock = { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) };

export class SshPool {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  /** Connections made, for tests and the bench: a shared one is made once. */
  connects = 0;

  constructor(private readonly options: PoolOptions = {}) {
    this.clock = options.clock ?? realClock;
  }

  lease(request: ConnectRequest): SshLease {
    const key = requestKey(request);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { leases: 0 };
      this.entries.set(key, entry);
    }
    entry.leases++;
    this.clock.clearTimeout(entry.idle);
    entry.idle = undefined;
    return new SshLease(this, entry, request);
  }

  /** Whether a connection for the request is open now. */
  isOpen(request: Pick<ConnectRequest, 'target' | 'via' | 'scope'>): boolean {
    return this.entries.get(requestKey(request as ConnectRequest))?.client !== undefined;
  }

  dispose(): void {
    for (const entry of this.entries.values()) {
      this.clock.clearTimeout(entry.idle);
      entry.client?.end();
      entry.abort?.(); // one still connecting (a prompt open, a ProxyCommand not answering) ends too
    }
    this.entries.clear();
  }

  /** @internal The entry's connection, made when there is none (one handshake for many callers). */
  client(entry: Entry, request: ConnectRequest): Promise<Client> {
    if (entry.client) {
      return Promise.resolve(entry.client);
    }
    entry.connecting ??= this.connect(entry, request).finally(() => (entry.connecting = undefined));
    return entry.connecting;
  }

  /** @internal One SFTP session per connection, shared. */
  sftp(entry: Entry, request: ConnectRequest): Promise<SFTPWrapper> {
    entry.sftp ??= this.client(entry, request).then(
      (client) =>
        new Promise<SFTPWrapper>((resolve, reject) =>
          client.sftp((error, sftp) => {
            if (error) {
              return reject(sshErrorOf(error, true));
            }
            sftp.on('close', () => entry.sftp === opened && (entry.sftp = undefined));
            resolve(sftp);
          }),
        ),
    );
    const opened = entry.sftp;
    opened.catch(() => entry.sftp === opened && (entry.sftp = undefined));
    return opened;
  }

  /** @internal */
  release(entry: Entry, request: ConnectRequest): void {
    entry.leases--;
    if (entry.leases > 0) {
      return;
    }
    entry.idle = this.clock.setTimeout(() => {
      if (entry.leases === 0) {
        this.entries.delete(requestKey(request));
        entry.client?.end();
      }
    }, this.options.idleMs ?? 5 * 60_000);
  }

  private async connect(entry: Entry, request: ConnectRequest): Promise<Client> {
    const ssh2 = await (this.options.load ?? loadSsh2)();
    // Through a jump host: a channel from it to the target carries this connection, and the
    // jump host's connection is held as long as this one lives.
    const jump = request.via && this.lease(request.via);
    let sock: Duplex | undefined;
    if (jump) {
      try {
        sock = await forward(await jump.client(), request.target);
      } catch (error) {
        jump.release();
        const failed = sshErrorOf(error, false);
        // Which host refused: a jump host's refused password is not the node's to forget.
        throw failed.jumpHost || (failed.kind !== 'auth' && failed.kind !== 'hostKey')
          ? failed
          : new SshError(failed.kind, failed.message, { passwordSent: failed.passwordSent, jumpHost: targetKey(request.via!.target) });
      }
    }
    const where = `${request.target.host}:${request.target.port}`;
    let proxy: ProxyProcess | undefined;
    if (!jump && request.proxyCommand !== undefined) {
      // No /bin/sh on Windows to run it with, as OpenSSH there runs it: not run, and said so.
      if (process.platform === 'win32') {
        throw new SshError('unreachable', `the ProxyCommand of ${where} is not run on Windows`, { proxyFailure: { host: where, unsupported: true } });
      }
      proxy = startProxyCommand(request.proxyCommand, (line) => this.options.log?.(`SSH: ProxyCommand of ${where}: ${line}`));
      sock = proxy.sock;
    }
    this.connects++;
    const client = new ssh2.Client();
    client.on('close', () => (jump?.release(), proxy?.kill()));
    const trace: AuthTrace = { passwordSent: false, cancelled: false };
    let accepted: Buffer | undefined;
    let ready = false;
    entry.abort = () => {
      client.destroy();
      proxy?.kill();
      fail(new SshError('cancelled', 'the connection was no longer wanted'));
    };
    let fail: (error: SshError) => void = () => undefined;
    return new Promise<Client>((resolve, reject) => {
      fail = (error: SshError) => {
        entry.abort = undefined;
        this.clock.clearTimeout(timer);
        if (proxy && !ready) {
          proxy.kill();
        }
        reject(error);
      };
      /**
       * A connection that could not be made through a ProxyCommand: when the command ended
       * (its stdout closing is often seen first), that is the reason to give.
       */
      const failBeforeLogin = (error: SshError) => {
        if (!proxy || error.kind !== 'unreachable') {
          return fail(error);
        }
        void proxy.exited(1000).then((exit) => fail(exit ? proxyError(where, exit) : error));
      };
      const timer = this.clock.setTimeout(() => {
        client.end();
        fail(new SshError('unreachable', `${where} did not answer`));
      }, this.options.connectTimeoutMs ?? 30_000);
      proxy?.onExit((exit) => {
        // Ended before any login was offered: the command failed. After one, the server ending
        // the connection (a refused login) may have ended the command: that is said by the login.
        if (!ready && !trace.attempted) {
          fail(proxyError(where, exit));
          client.end();
        }
      });
      client.on('ready', () => {
        this.clock.clearTimeout(timer);
        ready = true;
        entry.abort = undefined;
        if (this.entries.get(requestKey(request)) !== entry) {
          client.end(); // every lease was released while it logged in, and the idle time ran out
          fail(new SshError('cancelled', 'the connection was no longer wanted'));
          return;
        }
        entry.client = client;
        resolve(client);
      });
      // Always listened to: an error with no listener would end the extension host.
      client.on('error', (error) => (ready ? this.lost(entry, client) : failBeforeLogin(sshErrorOf(error, false, trace))));
      client.on('close', () => {
        this.lost(entry, client);
        const closed = `${where} closed the connection`;
        // Closed after a login was offered: the server refused it (sshd's MaxAuthTries), not the network.
        if (ready) {
          fail(new SshError('dropped', closed));
        } else {
          failBeforeLogin(sshErrorOf(new Error(closed), false, trace));
        }
      });
      const { host, port, username } = request.target;
      client.connect({
        host,
        port,
        username,
        sock,
        readyTimeout: 0, // a password prompt may take long; our timer ends at the host's key
        keepaliveInterval: this.options.keepaliveMs ?? 15_000,
        keepaliveCountMax: 3,
        algorithms: { kex: KEX as never, serverHostKey: hostKeyAlgorithms(request.knownKeyTypes ?? [], HOST_KEY_ALGORITHMS) as never },
        authHandler: authHandler(ssh2, username, request.sources, request.prompts, trace),
        // Called back, never answered by a returned promise (ssh2 would take a promise for yes).
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          this.clock.clearTimeout(timer);
          if (accepted) {
            return verify(key.equals(accepted)); // a key exchange again on this connection: the same key only
          }
          request.verifyHostKey(Buffer.from(key)).then(
            (ok) => {
              accepted = ok ? Buffer.from(key) : undefined;
              if (!ok) {
                fail(new SshError('hostKey', `the host key of ${host} was not accepted`));
              }
              verify(ok);
            },
            (error) => {
              fail(sshErrorOf(error, false));
              verify(false);
            },
          );
        },
      });
    });
  }

  private lost(entry: Entry, client: Client): void {
    if (entry.client === client) {
      entry.client = undefined;
      entry.sftp = undefined;
    }
  }
}

function proxyError(where: string, exit: ProxyExit): SshError {
  const how = exit.code !== null ? `exit code ${exit.code}` : exit.signal ? `signal ${exit.signal}` : `not started: ${exit.error?.message ?? ''}`;
  return new SshError('unreachable', `the ProxyCommand of ${where} ended before the connection was made (${how})`, {
    proxyFailure: { host: where, ...(exit.code !== null ? { exitCode: exit.code } : {}), ...(exit.signal ? { signal: exit.signal } : {}) },
  });
}

/** A channel from the jump host to the target: what the target's connection runs over. */
function forward(jump: Client, target: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    jump.forwardOut('127.0.0.1', 0, target.host, target.port, (error, channel) =>
      error ? reject(new SshError('unreachable', `the jump host could not reach ${target.host}:${target.port}: ${error.message}`)) : resolve(channel),
    ),
  );
}

/** A hold on a login node's connection; release() when done with it. */
export class SshLease {
  private released = false;

  constructor(
    private readonly pool: SshPool,
    private readonly entry: Entry,
    readonly request: ConnectRequest,
  ) {}

  client(): Promise<Client> {
    this.check();
    return this.pool.client(this.entry, this.request);
  }

  sftp(): Promise<SFTPWrapper> {
    this.check();
    return this.pool.sftp(this.entry, this.request);
  }

  release(): void {
    if (!this.released) {
      this.released = true;
      this.pool.release(this.entry, this.request);
    }
  }

  private check(): void {
    if (this.released) {
      throw new SshError('cancelled', 'the connection was released');
    }
  }
}
