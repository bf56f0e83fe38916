// Logging in to a cluster's login node for the user: which node (listNodes, once per cluster
// per window, or the user's own way in), which host key is trusted (known_hosts, read only,
// and the keys the user accepted here), and the user's agent, keys and password. A password
// is kept in SecretStorage only when the user asks, and forgotten when the server refuses it.
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { Accounts } from '../accounts/registry';
import { JobRef } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { ClusterMachine } from '../ehpc/types';
import { readLoginNodes } from '../settings';
import { AuthPrompts, KeyFile } from '../ssh/auth';
import { ConnectRequest, SshLease, SshPool, SshTarget } from '../ssh/connections';
import { SshError } from '../ssh/errors';
import { homeOf } from '../ssh/sftpSource';
import { hostKeyVerdict, keyTypes, KnownHostEntry, knownHostsLine, parseKnownHosts } from '../ssh/knownHosts';
import { expandProxyCommand, MAX_HOPS, parseWayIn, ResolvedHost, resolveHost, resolveRoute, RouteError } from '../ssh/target';
import type { HostRole, Prompts } from '../ui/prompts';

/** Where the keys the user accepted are kept (known_hosts lines), on this machine only. */
export const ACCEPTED_HOST_KEYS = 'ehpc.ssh.acceptedHostKeys';
/** The source of those keys' entries, as messages and the log name it. */
const ACCEPTED_SOURCE = 'VS Code';

export interface LoginDeps {
  readonly accounts: Pick<Accounts, 'connection'>;
  /** Read at each question: tests replace the prompts after activation. */
  prompts(): Pick<Prompts, 'trustHostKey' | 'sshPassword' | 'sshPassphrase' | 'sshAnswer' | 'keepSshPassword' | 'keepSshPassphrase'>;
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
  /** How a host is looked up in ~/.ssh/config (resolveHost); tests give a config of their own. */
  readonly resolveHost?: (given: { host: string; port?: number; username?: string; defaultUser?: string }) => Promise<ResolvedHost>;
}

/** A login held for a job: the lease on the node's connection, where it goes, and the user's home there. */
export interface Login {
  lease: SshLease;
  target: ResolvedHost;
  home: string;
}

export class LoginNodes implements vscode.Disposable {
  private readonly pool: SshPool;
  private readonly nodes = new Map<string, Promise<ClusterMachine | undefined>>();
  /**
   * Passwords typed in this window, per account, cluster and user@host:port (passwordKey): a
   * dropped connection is made again without asking, and no other cluster's node is offered one.
   */
  private readonly typed = new Map<string, string>();
  /** Passphrases typed in this window, per key file, until kept or the window closes. */
  private readonly passphrases = new Map<string, string>();

  constructor(private readonly deps: LoginDeps) {
    this.pool = new SshPool({ log: (line) => deps.log.info(line) });
  }

  /**
   * A lease on the connection to the job's login node, as `runUser` (the job's run user),
   * logged in: the prompts (host key, password) are over when it resolves.
   */
  async login(job: JobRef, runUser: string): Promise<Login> {
    const target = await this.resolve({ ...(await this.target(job)), defaultUser: runUser });
    const request = await this.request(job, target);
    const lease = this.pool.lease(request);
    let home: string;
    try {
      // The home is the first question; a connection that died unnoticed (a laptop's network
      // changed) fails it at once, and is made again once.
      home = await homeOf(lease).catch((error: unknown) => {
        if (error instanceof SshError && error.kind === 'dropped') {
          return homeOf(lease);
        }
        throw error;
      });
    } catch (error) {
      lease.release();
      throw await this.refused(job, target, error);
    }
    // Asked beside the tab, not before it: a notification may wait unanswered.
    void this.offerToKeep(job, request).catch((error: unknown) => this.deps.log.warn(`SSH: the password could not be kept: ${String(error)}`));
    void this.offerToKeepPassphrases().catch((error: unknown) => this.deps.log.warn(`SSH: a passphrase could not be kept: ${String(error)}`));
    return { lease, target, home };
  }

  /**
   * A login refused while in use (a following tab's reconnection): the kept or typed password
   * is forgotten, and the error said in the user's words.
   */
  async refusedInUse(job: JobRef, target: ResolvedHost, error: unknown): Promise<unknown> {
    return this.refused(job, target, error);
  }

  dispose(): void {
    this.pool.dispose();
  }

  /**
   * Where to: the setting's way in for the cluster, else the node listNodes names; the port and
   * user only when the setting names them (else ~/.ssh/config's, then 22 and the run user).
   */
  private async target(job: JobRef): Promise<{ host: string; port?: number; username?: string }> {
    const setting = readLoginNodes()[job.clusterId];
    const way = setting === undefined ? {} : parseWayIn(setting);
    if (way === undefined) {
      throw new SshError('unreachable', vscode.l10n.t('The setting ehpc.ssh.loginNodes gives cluster {0} a way in that is not [user@][host][:port]: {1}', job.clusterId, setting ?? ''));
    }
    let host = way.host;
    if (!host) {
      const node = await this.loginNode(job);
      host = [node?.eip, node?.privateIp].find((address) => address !== undefined && isHostName(address));
      if (!host) {
        throw new SshError('unreachable', vscode.l10n.t('Cluster {0} lists no login node with an address. Name a way in for it in the setting ehpc.ssh.loginNodes.', job.clusterId));
      }
    }
    return { host, port: way.port, username: way.user };
  }

  private loginNode(job: JobRef): Promise<ClusterMachine | undefined> {
    const key = `${job.account}/${job.zone}/${job.clusterId}`;
    let node = this.nodes.get(key);
    if (!node) {
      node = this.deps.accounts
        .connection(job.account)
        .client()
        .then((client) => client.loginNode(job.zone, job.clusterId));
      this.nodes.set(key, node);
      node.catch(() => this.nodes.delete(key)); // a failure is asked again next time
    }
    return node;
  }

  /**
   * The login, through the jump hosts ~/.ssh/config names (ProxyJump, each jump host's own
   * config followed) or its ProxyCommand, each host checked and logged in to as the node is.
   */
  private async request(job: JobRef, target: ResolvedHost): Promise<ConnectRequest> {
    let route: ResolvedHost[];
    try {
      route = await resolveRoute(target, (given) => this.resolve(given));
    } catch (error) {
      if (error instanceof RouteError) {
        throw new SshError(
          'unreachable',
          error.kind === 'badHop'
            ? vscode.l10n.t('The jump host {0} in your SSH config is not [user@]host[:port].', error.hop)
            : vscode.l10n.t('The jump hosts in your SSH config lead back to themselves or go on too long (at {0}, more than {1} hosts). Check ProxyJump in ~/.ssh/config.', error.hop, MAX_HOPS),
        );
      }
      throw error;
    }
    let via: ConnectRequest | undefined;
    for (const [index, host] of route.entries()) {
      via = { ...this.hop(job, host, index === route.length - 1 ? 'loginNode' : 'jumpHost'), via };
    }
    return via!;
  }

  private resolve(given: { host: string; port?: number; username?: string; defaultUser?: string }): Promise<ResolvedHost> {
    return (this.deps.resolveHost ?? resolveHost)(given);
  }

  /** Connections are shared per account and cluster: see ConnectRequest.scope. */
  private scope(job: JobRef): string {
    return `${job.account}/${job.zone}/${job.clusterId}`;
  }

  private hop(job: JobRef, target: ResolvedHost, role: HostRole): ConnectRequest {
    const known = this.knownHosts(target);
    return {
      target,
      ...(target.proxyCommand === undefined ? {} : { proxyCommand: proxyCommandOf(target) }),
      scope: this.scope(job),
      sources: { agent: process.env.SSH_AUTH_SOCK || undefined, keyFiles: readKeyFiles(target.identityFiles) },
      prompts: this.authPrompts(job, target, role),
      knownKeyTypes: keyTypes(known, ...keyPlace(target)),
      verifyHostKey: (key) => this.verify(target, key, role),
    };
  }

  /** The user's known_hosts files (read only) and the keys accepted here. A file that cannot be read stops the login. */
  private knownHosts(target: ResolvedHost): KnownHostEntry[] {
    const entries: KnownHostEntry[] = [];
    for (const file of target.knownHostsFiles) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          continue;
        }
        throw new SshError('hostKey', vscode.l10n.t('Could not read {0}, which says which host keys to trust: {1}', file, (error as Error).message));
      }
      entries.push(...parseKnownHosts(text, file).entries);
    }
    const accepted = this.deps.globalState.get<string[]>(ACCEPTED_HOST_KEYS, []);
    entries.push(...parseKnownHosts(accepted.join('\n'), ACCEPTED_SOURCE).entries);
    return entries;
  }

  /**
   * Match: go on. Unknown: the user decides, seeing the fingerprint. Changed or revoked: refused.
   * A host with a HostKeyAlias is looked up, and its key kept, by the alias alone, whatever
   * the port, as OpenSSH does.
   */
  private async verify(target: ResolvedHost, key: Buffer, role: HostRole): Promise<boolean> {
    const known = this.knownHosts(target);
    const [name, port] = keyPlace(target);
    const verdict = hostKeyVerdict(known, name, port, key);
    const where = target.hostKeyAlias === undefined ? `${target.host}:${target.port}` : `${target.hostKeyAlias} (${target.host}:${target.port})`;
    switch (verdict.kind) {
      case 'match':
        return true;
      case 'unknown': {
        const trusted = await this.deps.prompts().trustHostKey(where, verdict.keyType, verdict.fingerprint, keyTypes(known, name, port), role);
        if (trusted) {
          const lines = this.deps.globalState.get<string[]>(ACCEPTED_HOST_KEYS, []);
          await this.deps.globalState.update(ACCEPTED_HOST_KEYS, [...lines, knownHostsLine(name, port, key)]);
          this.deps.log.info(`SSH: host key of ${where} accepted: ${verdict.keyType} ${verdict.fingerprint}`);
        }
        if (!trusted) {
          throw new SshError('cancelled', vscode.l10n.t('The host key of {0} was not trusted.', where));
        }
        return true;
      }
      case 'changed': {
        const knownText = verdict.known.map((entry) => `${entry.fingerprint} (${entry.source}:${entry.line})`).join(', ');
        this.deps.log.warn(`SSH: host key of ${where} changed: ${verdict.fingerprint}, known ${knownText}`);
        // A key accepted here is forgotten with a command of its own, never with one click in this message.
        const acceptedHere = verdict.known.every((entry) => entry.source === ACCEPTED_SOURCE);
        throw new SshError(
          'hostKey',
          acceptedHere
            ? vscode.l10n.t(
                'The host key of {0} has changed ({1} {2}; accepted in VS Code before: {3}). Someone may be intercepting the connection, or the login node was rebuilt. Not connecting: check with your administrator; if the node was rebuilt, run "EHPC: Forget Accepted Host Keys..." and connect again.',
                where, verdict.keyType, verdict.fingerprint, verdict.known.map((entry) => entry.fingerprint).join(', '),
              )
            : vscode.l10n.t(
                'The host key of {0} has changed ({1} {2}; known: {3}). Someone may be intercepting the connection, or the login node was rebuilt. Not connecting: check with your administrator, then remove the old key from the file named.',
                where, verdict.keyType, verdict.fingerprint, knownText,
              ),
        );
      }
      case 'revoked':
        throw new SshError('hostKey', vscode.l10n.t('The host key of {0} ({1}) is marked revoked in known_hosts. Not connecting.', where, verdict.fingerprint));
    }
  }

  private authPrompts(job: JobRef, target: ResolvedHost, role: HostRole): AuthPrompts {
    const key = passwordKey(job, target);
    return {
      passphrase: (path, again) => this.passphrase(path, again),
      password: async () => {
        const kept = this.typed.get(key) ?? (await this.keptPassword(key));
        if (kept !== undefined) {
          return kept;
        }
        const typed = await this.deps.prompts().sshPassword(`${target.username}@${target.host}:${target.port}`, role);
        if (typed !== undefined) {
          this.typed.set(key, typed);
        }
        return typed;
      },
      answer: (question, echo) => Promise.resolve(this.deps.prompts().sshAnswer(question, echo, role)),
    };
  }

  /**
   * An encrypted key file's passphrase: the one kept or typed in this window first; asked when
   * there is none, or when that one did not open the key (a kept one is then forgotten).
   */
  private async passphrase(path: string, again: boolean): Promise<string | undefined> {
    const key = passphraseKey(path);
    if (again) {
      this.passphrases.delete(path);
      await Promise.resolve(this.deps.secrets.delete(key)).catch(() => undefined);
    } else {
      const known = this.passphrases.get(path) ?? (await this.keptPassword(key));
      if (known !== undefined) {
        return known;
      }
    }
    const typed = await this.deps.prompts().sshPassphrase(path, again);
    if (typed !== undefined) {
      this.passphrases.set(path, typed);
    }
    return typed;
  }

  /** After a login: keep the passphrases typed for it, if the user wants to. */
  private async offerToKeepPassphrases(): Promise<void> {
    for (const [path, typed] of [...this.passphrases]) {
      if ((await this.keptPassword(passphraseKey(path))) !== undefined) {
        continue;
      }
      if (await this.deps.prompts().keepSshPassphrase(path)) {
        await this.deps.secrets.store(passphraseKey(path), typed);
      }
      this.passphrases.delete(path); // asked once: kept, or asked again next window
    }
  }

  /** The password kept in SecretStorage; none when the keyring cannot be read (the user is asked instead). */
  private async keptPassword(key: string): Promise<string | undefined> {
    try {
      return await this.deps.secrets.get(key);
    } catch (error) {
      this.deps.log.warn(`SSH: could not read a kept password from the keyring: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** After a login: keep each password typed now for it (the login node's, a jump host's), if the user wants to. */
  private async offerToKeep(job: JobRef, request: ConnectRequest): Promise<void> {
    for (let hop: ConnectRequest | undefined = request, role: HostRole = 'loginNode'; hop; hop = hop.via, role = 'jumpHost') {
      const key = passwordKey(job, hop.target);
      const typed = this.typed.get(key);
      if (typed === undefined || (await this.keptPassword(key)) !== undefined) {
        continue;
      }
      if (await this.deps.prompts().keepSshPassword(`${hop.target.username}@${hop.target.host}`, role)) {
        await this.deps.secrets.store(key, typed);
        this.typed.delete(key); // kept in one place: SecretStorage
      }
    }
  }

  /** A refused password is forgotten (kept or typed), so that the next try asks; never tried again by itself. */
  private async refused(job: JobRef, node: ResolvedHost, error: unknown): Promise<unknown> {
    // On the way through a jump host, the host that refused is the jump host.
    const target = error instanceof SshError && error.jumpHost ? parseTargetKey(error.jumpHost) ?? node : node;
    if (error instanceof SshError && error.kind === 'auth' && error.passwordSent) {
      this.typed.delete(passwordKey(job, target));
      if ((await this.keptPassword(passwordKey(job, target))) !== undefined) {
        await Promise.resolve(this.deps.secrets.delete(passwordKey(job, target))).catch(() => undefined);
        return new SshError('auth', vscode.l10n.t('{0} refused the password kept for {1}; it is forgotten. Open the output again to type it.', `${target.host}:${target.port}`, target.username));
      }
    }
    return error instanceof EhpcError ? error : localized(error, `${target.host}:${target.port}`, target.username);
  }
}

/** Where a host's key is known: its HostKeyAlias alone (as OpenSSH, whatever the port), else its host and port. */
function keyPlace(target: ResolvedHost): [string, number] {
  return target.hostKeyAlias === undefined ? [target.host, target.port] : [target.hostKeyAlias, 22];
}

/**
 * An address as listNodes may give one: an IP address or a host name, nothing else. It reaches
 * OpenSSH's reading of ~/.ssh/config (ssh -G), whose `Match exec` lines put it in a shell.
 */
function isHostName(address: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9.:-]{0,252}[A-Za-z0-9])?$/.test(address);
}

/** The host's ProxyCommand with its tokens put in; one that cannot be is said, not run. */
function proxyCommandOf(target: ResolvedHost): string {
  try {
    return expandProxyCommand(target.proxyCommand!, target);
  } catch (error) {
    throw new SshError('unreachable', vscode.l10n.t('The ProxyCommand of {0} in your SSH config cannot be run: {1}', target.name, (error as Error).message));
  }
}

/** The SSH room's error in words a user acts on; one the login made in them already stays. */
function localized(error: unknown, where: string, user: string): SshError {
  const raw = error instanceof Error ? error.message : String(error);
  if (!(error instanceof SshError)) {
    return new SshError('unreachable', vscode.l10n.t('Could not log in to {0}: {1}', where, raw));
  }
  const proxy = error.proxyFailure;
  if (proxy) {
    // What the command printed is in the log only: it is not filtered for a message.
    const said = proxy.unsupported
      ? vscode.l10n.t('Your SSH config reaches {0} through a ProxyCommand, which this extension runs on Linux and macOS only. Name a way in without it for the cluster in the setting ehpc.ssh.loginNodes.', proxy.host)
      : proxy.exitCode !== undefined
        ? vscode.l10n.t('The ProxyCommand of {0} in your SSH config failed (exit code {1}) before the connection was made. What it printed is in the EHPC log.', proxy.host, proxy.exitCode)
        : proxy.signal !== undefined
          ? vscode.l10n.t('The ProxyCommand of {0} in your SSH config was ended by {1} before the connection was made. What it printed is in the EHPC log.', proxy.host, proxy.signal)
          : vscode.l10n.t('The ProxyCommand of {0} in your SSH config could not be started. See the EHPC log.', proxy.host);
    return new SshError('unreachable', said, { proxyFailure: proxy });
  }
  switch (error.kind) {
    case 'auth':
      return new SshError('auth', vscode.l10n.t('{0} refused the login of {1}: none of your SSH keys or the password was accepted.', where, user), { passwordSent: error.passwordSent });
    case 'unreachable':
      return new SshError('unreachable', vscode.l10n.t('Could not reach the login node {0} ({1}). Check your network or VPN, or name another way in for the cluster in the setting ehpc.ssh.loginNodes.', where, raw));
    case 'dropped':
      return new SshError('dropped', vscode.l10n.t('The connection to {0} was lost ({1}).', where, raw));
    default:
      return error; // host key and cancel: said in the user's words where they were decided
  }
}

/** Per account, cluster and user: a password is never offered to another cluster's node. */
export function passwordKey(job: JobRef, target: SshTarget): string {
  return `ehpc.ssh.password/${encodeURIComponent(job.account)}/${job.clusterId}/${encodeURIComponent(target.username)}@${target.host}:${target.port}`;
}

/** `user@host:port` (targetKey) back into its parts. */
function parseTargetKey(key: string): SshTarget | undefined {
  const match = /^(.*)@(.*):(\d+)$/.exec(key);
  return match ? { username: match[1], host: match[2], port: Number(match[3]) } : undefined;
}

/** A key file's passphrase belongs to the file, whichever node it opens. */
function passphraseKey(path: string): string {
  return `ehpc.ssh.passphrase/${path}`;
}

/** The key files that exist; one that cannot be read is left out (ssh does the same). */
function readKeyFiles(paths: readonly string[]): KeyFile[] {
  return paths.flatMap((path) => {
    try {
      return [{ path, data: fs.readFileSync(path) }];
    } catch {
      return [];
    }
  });
}
