// OpenSSH known_hosts files, read the way ssh reads them, and the decision on a server's host
// key. Pure functions over text and Buffers: which files to read (the user's known_hosts, the
// extension's own store of accepted keys) and reading them is the caller's job.
import { createHash, createHmac, timingSafeEqual } from 'crypto';

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  /** The host field: a hashed name, or a list of patterns (`!` negates, `*` and `?` are wildcards). */
  readonly hosts: HashedHost | { readonly patterns: readonly HostPattern[] };
  /** `@revoked` lines name keys that must be refused; `@cert-authority` lines name CAs, never a host's own key. */
  readonly marker?: 'revoked' | 'cert-authority';
  /** The key type as the line writes it, which is also the type inside its blob. */
  readonly keyType: string;
  readonly key: Buffer;
  /** Where the line came from, for a message: the source given to parseKnownHosts and the line's number (from 1). */
  readonly source: string;
  readonly line: number;
}

/** `|1|salt|hash`: the name is HMAC-SHA1(salt, name); the name cannot be read back. */
export interface HashedHost {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

export interface HostPattern {
  readonly negated: boolean;
  /** Lower case, as written without its `!`: `login.example.com`, `[10.0.0.5]:2222`, `*.example.com`. */
  readonly pattern: string;
}

export interface KnownHosts {
  readonly entries: KnownHostEntry[];
  /**
   * The numbers of the lines that are neither an entry, a comment nor blank: ssh skips them too.
   * A file with some and no entries at all was not understood: fail closed on it.
   */
  readonly malformed: number[];
}

export type HostKeyVerdict =
  | { readonly kind: 'match'; readonly keyType: string; readonly fingerprint: string }
  | { readonly kind: 'unknown'; readonly keyType: string; readonly fingerprint: string }
  | {
      readonly kind: 'changed';
      readonly keyType: string;
      readonly fingerprint: string;
      /** The keys of this type known for the host, none of which the server showed. */
      readonly known: readonly { readonly fingerprint: string; readonly source: string; readonly line: number }[];
    }
  | { readonly kind: 'revoked'; readonly keyType: string; readonly fingerprint: string };

/** Reads a known_hosts file's text; `source` (a file's path, say) is carried into each entry. */
export function parseKnownHosts(text: string, source = ''): KnownHosts {
  const entries: KnownHostEntry[] = [];
  const malformed: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) {
      return;
    }
    const entry = parseLine(text, source, index + 1);
    if (entry === undefined) {
      malformed.push(index + 1);
    } else {
      entries.push(entry);
    }
  });
  return { entries, malformed };
}

function parseLine(text: string, source: string, line: number): KnownHostEntry | undefined {
  const fields = text.split(/[ \t]+/);
  let marker: KnownHostEntry['marker'];
  if (fields[0].startsWith('@')) {
    const name = fields.shift();
    if (name === '@revoked') {
      marker = 'revoked';
    } else if (name === '@cert-authority') {
      marker = 'cert-authority';
    } else {
      return undefined;
    }
  }
  // hosts, type, key, then an optional comment.
  if (fields.length < 3) {
    return undefined;
  }
  const [hostField, keyType, keyText] = fields;
  const hosts = parseHosts(hostField);
  const key = decodeBase64(keyText);
  if (hosts === undefined || key === undefined || blobKeyType(key) !== keyType) {
    return undefined;
  }
  return { hosts, ...(marker === undefined ? {} : { marker }), keyType, key, source, line };
}

function parseHosts(field: string): KnownHostEntry['hosts'] | undefined {
  if (field.startsWith('|1|')) {
    const parts = field.slice(3).split('|');
    const [salt, hash] = parts.map(decodeBase64);
    // Salt and hash are both of SHA-1's size, as ssh writes and requires them.
    return parts.length === 2 && salt?.length === 20 && hash?.length === 20 ? { salt, hash } : undefined;
  }
  if (field.startsWith('|')) {
    return undefined;
  }
  // An empty item (`host,`) names nothing, as in ssh; the others still count.
  const patterns = field
    .split(',')
    .map((item) => (item.startsWith('!') ? { negated: true, pattern: item.slice(1).toLowerCase() } : { negated: false, pattern: item.toLowerCase() }))
    .filter((item) => item.pattern !== '');
  return patterns.length === 0 ? undefined : { patterns };
}

/** Strict base64: Buffer.from would quietly drop what is not base64. */
function decodeBase64(text: string | undefined): Buffer | undefined {
  if (text === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    return undefined;
  }
  return Buffer.from(text, 'base64');
}

/**
 * The key type a public key blob names (its first SSH string: `ssh-ed25519`, `ssh-rsa`, …),
 * or undefined for bytes that are not a key blob.
 */
export function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) {
    return undefined;
  }
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) {
    return undefined;
  }
  const type = blob.subarray(4, 4 + length).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/** A key's fingerprint as `ssh-keygen -lf` prints it: `SHA256:` and base64 without its `=` padding. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The name ssh looks a host up by: lower case, `[host]:port` when the port is not 22. */
export function hostName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** Whether an entry's host field names the host, as ssh decides it (a matching `!` pattern wins). */
export function namesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = hostName(host, port);
  if ('hash' in entry.hosts) {
    const { salt, hash } = entry.hosts;
    return timingSafeEqual(createHmac('sha1', salt).update(name).digest(), hash);
  }
  let named = false;
  for (const { negated, pattern } of entry.hosts.patterns) {
    if (wildcardMatch(pattern, name)) {
      if (negated) {
        return false;
      }
      named = true;
    }
  }
  return named;
}

/** ssh's patterns: `*` any run of characters, `?` any one character, everything else itself. */
function wildcardMatch(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(name);
}

/**
 * Keys of one family stand for each other as ssh sees it: an ECDSA key on another curve
 * replaces the host's ECDSA key; an RSA key never replaces an Ed25519 one.
 */
function keyFamily(keyType: string): string {
  return keyType.startsWith('ecdsa-sha2-') ? 'ecdsa' : keyType;
}

/**
 * What to make of the host key a server showed, given every known entry (the user's files and
 * the extension's own store, in any order): `revoked` if a `@revoked` line for the host names
 * it; `match` if any line for the host holds it (a name served by several login nodes has one
 * line for each of their keys); `changed` if lines for the host hold other keys of its type;
 * `unknown` otherwise, and also when the host is known only by keys of other types.
 * Throws a RangeError for bytes that are not a key blob.
 */
export function hostKeyVerdict(entries: readonly KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const keyType = blobKeyType(keyBlob);
  if (keyType === undefined) {
    throw new RangeError('the server\'s host key is not an SSH public key blob');
  }
  const shown = { keyType, fingerprint: fingerprint(keyBlob) };
  const forHost = entries.filter((entry) => namesHost(entry, host, port));
  if (forHost.some((entry) => entry.marker === 'revoked' && entry.key.equals(keyBlob))) {
    return { kind: 'revoked', ...shown };
  }
  const plain = forHost.filter((entry) => entry.marker === undefined);
  if (plain.some((entry) => entry.key.equals(keyBlob))) {
    return { kind: 'match', ...shown };
  }
  const sameType = plain.filter((entry) => keyFamily(entry.keyType) === keyFamily(keyType));
  if (sameType.length > 0) {
    return { kind: 'changed', ...shown, known: sameType.map((entry) => ({ fingerprint: fingerprint(entry.key), source: entry.source, line: entry.line })) };
  }
  return { kind: 'unknown', ...shown };
}

/** The key types known for the host, in the files' order, each once: what to ask the server for first. */
export function keyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types = entries.filter((entry) => entry.marker === undefined && namesHost(entry, host, port)).map((entry) => entry.keyType);
  return [...new Set(types)];
}

/**
 * The host key algorithms to offer, as an exact list: those of the key types known for the host
 * first, then the rest of `supported` (the SSH library's own list, in its order). Without it the
 * server picks its favourite type, and a host known only by its RSA key would look unknown.
 * An RSA key is asked for with its SHA-2 signatures before the old SHA-1 one.
 */
export function hostKeyAlgorithms(knownTypes: readonly string[], supported: readonly string[]): string[] {
  const algorithmsOf = (type: string) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]);
  const first = knownTypes.flatMap(algorithmsOf).filter((algorithm) => supported.includes(algorithm));
  return [...new Set([...first, ...supported])];
}

/**
 * A known_hosts line for a key the user accepted, for the extension's own store (the user's
 * ~/.ssh/known_hosts is only ever read). Throws a RangeError for a host name the format cannot
 * hold, or bytes that are not a key blob.
 */
export function knownHostsLine(host: string, port: number, keyBlob: Buffer): string {
  if (host === '' || /[\s,#*?!|[\]]/.test(host) || host.startsWith('@') || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`cannot write a known host line for ${JSON.stringify(host)} port ${port}`);
  }
  const keyType = blobKeyType(keyBlob);
  if (keyType === undefined) {
    throw new RangeError('the host key is not an SSH public key blob');
  }
  return `${hostName(host, port)} ${keyType} ${keyBlob.toString('base64')}`;
}
