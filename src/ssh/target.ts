// Where a cluster's login node is reached: the node listNodes names, port 22, as the job's run
// user; or another way in the user names per cluster (`user@host:port`, any part left out, or
// a Host of ~/.ssh/config). OpenSSH's own reading of ~/.ssh/config (`ssh -G`) gives the host
// name, port, key files and known_hosts files it would use, when OpenSSH is installed, and the
// way there: jump hosts (each with its own config, as `ssh -J` reads it) or a ProxyCommand.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SshTarget } from './connections';

/** A way in as the setting writes it; a part left out comes from listNodes or the job. */
export interface WayIn {
  user?: string;
  host?: string;
  port?: number;
}

/** `[user@][host][:port]`, an IPv6 host in brackets; undefined when it is not one. */
export function parseWayIn(value: string): WayIn | undefined {
  const match = /^(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?)?(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match || value.trim() === '') {
    return undefined;
  }
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port < 1 || port > 65535)) {
    return undefined;
  }
  const host = match[2]?.replace(/^\[(.*)\]$/, '$1');
  return { ...(match[1] ? { user: match[1] } : {}), ...(host ? { host } : {}), ...(port ? { port } : {}) };
}

/** What OpenSSH would use for a host: its resolved name, port, user, key files, known_hosts files and jump hosts. */
export interface ResolvedHost extends SshTarget {
  /** The host as given, before ~/.ssh/config (OpenSSH's `%n`). */
  name: string;
  identityFiles: string[];
  knownHostsFiles: string[];
  /** ProxyJump's hosts, `[user@]host[:port]` each, the first connected to first. */
  proxyJump: string[];
  /** ProxyCommand as the config writes it, its `%` tokens not expanded; none with a ProxyJump. */
  proxyCommand?: string;
  /** HostKeyAlias: the name the host's key is looked up and kept by, instead of `host`. */
  hostKeyAlias?: string;
}

type Run = (file: string, args: string[]) => Promise<string>;

const runFile: Run = (file, args) =>
  new Promise((resolve, reject) => execFile(file, args, { timeout: 5000, windowsHide: true }, (error, stdout) => (error ? reject(new Error(error.message)) : resolve(stdout))));

/**
 * The target as OpenSSH resolves it (`ssh -G`, which connects nowhere; it does run the user's
 * own `Match exec` lines, as `ssh` to that host would, so the host must be a plain name or
 * address: the callers check), or, without OpenSSH, as given with OpenSSH's default files.
 * Arguments, never a shell line.
 */
export async function resolveHost(
  given: { host: string; port?: number; username?: string; defaultUser?: string },
  home = os.homedir(),
  run: Run = runFile,
  exists = fs.existsSync,
): Promise<ResolvedHost> {
  // A port or user the caller names wins over ~/.ssh/config (as on ssh's command line); else
  // the config's, else 22 and `defaultUser` (the job's run user), else the local user.
  const local = os.userInfo().username;
  const target = { host: given.host, port: given.port ?? 22, username: given.username ?? given.defaultUser ?? local };
  const defaults: ResolvedHost = {
    ...target,
    name: given.host,
    proxyJump: [],
    identityFiles: ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(home, '.ssh', name)),
    knownHostsFiles: [path.join(home, '.ssh', 'known_hosts'), path.join(home, '.ssh', 'known_hosts2'), '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
  };
  if (target.host.startsWith('-')) {
    return defaults; // never taken for an option
  }
  let text: string;
  try {
    text = await run('ssh', ['-G', ...(given.port ? ['-p', String(given.port)] : []), ...(given.username ? ['-l', given.username] : []), '--', target.host]);
  } catch {
    return defaults;
  }
  const values = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(' ');
    if (key && rest.length > 0) {
      values.set(key.toLowerCase(), [...(values.get(key.toLowerCase()) ?? []), rest.join(' ')]);
    }
  }
  const one = (key: string) => values.get(key)?.[0];
  const expand = (file: string) => (file.startsWith('~/') ? path.join(home, file.slice(2)) : file);
  const port = Number(one('port'));
  // ssh -G names the local user when the config names none: then the default user stands.
  const configUser = one('user');
  // Both only when the config is odd: OpenSSH takes whichever comes first, and ssh -G shows
  // "none" for the other in the usual case; a jump host wins here.
  const proxyJump = (one('proxyjump') ?? 'none') === 'none' ? [] : one('proxyjump')!.split(',').map((hop) => hop.trim().replace(/^ssh:\/\//, '')).filter(Boolean);
  const proxyCommand = one('proxycommand');
  const alias = one('hostkeyalias');
  return {
    host: one('hostname') ?? target.host,
    name: given.host,
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : target.port,
    username: given.username ?? (configUser && configUser !== local ? configUser : target.username),
    identityFiles: (values.get('identityfile') ?? []).map(expand),
    knownHostsFiles: [...(values.get('userknownhostsfile') ?? []), ...(values.get('globalknownhostsfile') ?? [])].flatMap((list) => splitFiles(list, exists)).filter((file) => file !== 'none').map(expand),
    proxyJump,
    ...(proxyJump.length === 0 && proxyCommand && proxyCommand !== 'none' ? { proxyCommand } : {}),
    ...(alias && alias !== 'none' ? { hostKeyAlias: alias } : {}),
  };
}

/** The most hosts a connection goes through, the login node counted: a longer chain is a loop in the config. */
export const MAX_HOPS = 10;

/** Why the way to a host cannot be followed: a hop that is not `[user@]host[:port]`, or a chain that never ends. */
export class RouteError extends Error {
  constructor(
    readonly kind: 'badHop' | 'loop' | 'tooLong',
    /** The hop as the config writes it. */
    readonly hop: string,
  ) {
    super(kind === 'badHop' ? `the jump host ${hop} is not [user@]host[:port]` : `the jump hosts of ${hop} in the SSH config never end (${kind})`);
    this.name = 'RouteError';
  }
}

/**
 * The hosts a connection to `target` goes through, as OpenSSH follows them, first connected
 * first and `target` last; each is reached through the one before it, and only the first may
 * have a ProxyCommand. `ProxyJump a,b` connects to `a`, then `b` through it: `a` is reached as
 * its own config says (its ProxyJump or ProxyCommand, followed in turn), while `b`'s own are
 * not used (ssh -J runs `ssh -J a -W ... b`, whose command line wins).
 */
export async function resolveRoute(target: ResolvedHost, resolve: (given: { host: string; port?: number; username?: string }) => Promise<ResolvedHost>): Promise<ResolvedHost[]> {
  const follow = async (host: ResolvedHost, seen: string[]): Promise<ResolvedHost[]> => {
    if (host.proxyJump.length === 0) {
      return [host];
    }
    if (host.proxyJump.length + seen.length > MAX_HOPS) {
      throw new RouteError('tooLong', host.proxyJump[0]); // before resolving any of a long list
    }
    const route: ResolvedHost[] = [];
    for (const [index, hop] of host.proxyJump.entries()) {
      const way = parseWayIn(hop);
      if (!way?.host) {
        throw new RouteError('badHop', hop);
      }
      const resolved = await resolve({ host: way.host, port: way.port, username: way.user });
      if (index > 0) {
        route.push({ ...resolved, proxyJump: [], proxyCommand: undefined });
        continue;
      }
      // Resolution is the same each time: a hop met again on the way in is a loop.
      const key = `${way.user ?? ''}@${way.host}:${way.port ?? ''}`;
      if (seen.includes(key)) {
        throw new RouteError('loop', hop);
      }
      if (seen.length >= MAX_HOPS) {
        throw new RouteError('tooLong', hop);
      }
      route.push(...(await follow(resolved, [...seen, key])));
    }
    if (route.length >= MAX_HOPS) {
      throw new RouteError('tooLong', host.proxyJump[0]);
    }
    return [...route, { ...host, proxyCommand: undefined }];
  };
  return follow(target, [`${target.username}@${target.name}:${target.port}`]);
}

/**
 * A ProxyCommand with OpenSSH's tokens put in: `%h` the host, `%p` the port, `%r` the user,
 * `%n` the host as given, `%%` a `%`. Each value goes into a shell line unquoted, as OpenSSH
 * puts it, so only a plain name, address, user or port is put in; anything else, and a token
 * OpenSSH does not take here, throws a RangeError.
 */
export function expandProxyCommand(command: string, host: Pick<ResolvedHost, 'host' | 'port' | 'username' | 'name'>): string {
  const plain = /^[A-Za-z0-9._:-]+$/;
  const values: Record<string, string> = { h: host.host, p: String(host.port), r: host.username, n: host.name, '%': '%' };
  return command.replace(/%(.?)/g, (token, letter: string) => {
    const value = values[letter];
    if (value === undefined) {
      throw new RangeError(`the ProxyCommand has ${token}, which OpenSSH does not put in a ProxyCommand`);
    }
    if (letter !== '%' && !plain.test(value)) {
      throw new RangeError(`the ProxyCommand's ${token} would be ${JSON.stringify(value)}, which is not a plain name`);
    }
    return value;
  });
}

/**
 * `ssh -G`'s list of files, which it prints space-separated and unquoted: a path with a space
 * ("/home/Jane Doe/.ssh/known_hosts") is the pieces joined when that file exists. A piece
 * that names no file stays one path (a missing file: OpenSSH's second default, say).
 */
export function splitFiles(list: string, exists: (path: string) => boolean): string[] {
  const pieces = list.split(' ').filter(Boolean);
  const files: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    let joined = pieces[i];
    let found = exists(joined) ? i : -1;
    for (let j = i + 1; j < pieces.length && found < 0; j++) {
      joined += ` ${pieces[j]}`;
      if (exists(joined)) {
        found = j;
      }
    }
    if (found > i) {
      files.push(pieces.slice(i, found + 1).join(' '));
      i = found;
    } else {
      files.push(pieces[i]);
    }
  }
  return files;
}
