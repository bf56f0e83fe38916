// The login nodes' SSH host keys: ed25519, one per cluster. Fresh for each simulator unless
// it is given a file to keep them in, so that a demo started again presents the same keys
// (a client that checks host keys rightly refuses a changed one).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { utils } from 'ssh2';

export interface HostKey {
  /** The private key, OpenSSH's format. */
  privateKey: string;
  /** The public key as a known_hosts or authorized_keys line holds it: `ssh-ed25519 AAAA…`. */
  publicKey: string;
  /** As OpenSSH shows it: `SHA256:` and the unpadded base64 of the key blob's digest. */
  fingerprint: string;
}

export function newHostKey(): HostKey {
  return describe(newKeyPair().private);
}

/**
 * An ed25519 key pair from ssh2, one it can read back: about one in two hundred of those
 * ssh2 1.17 generates it then refuses as malformed, so such a pair is drawn again.
 */
export function newKeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error)) {
      return pair;
    }
  }
}

function describe(privateKey: string): HostKey {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) {
    throw parsed;
  }
  const blob = parsed.getPublicSSH();
  return {
    privateKey,
    publicKey: `${parsed.type} ${blob.toString('base64')}`,
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
  };
}

/** The host key of each cluster, kept in `file` (a JSON object: cluster id → private key) when given. */
export class HostKeys {
  private readonly keys = new Map<string, HostKey>();

  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
      for (const [clusterId, privateKey] of Object.entries(saved)) {
        this.keys.set(clusterId, describe(privateKey));
      }
    }
  }

  /** The cluster's key: the kept one, else a new one (kept). */
  of(clusterId: string): HostKey {
    return this.keys.get(clusterId) ?? this.replace(clusterId);
  }

  /** A new key for the cluster, from now on. */
  replace(clusterId: string): HostKey {
    const key = newHostKey();
    this.keys.set(clusterId, key);
    if (this.file) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const saved = Object.fromEntries([...this.keys].map(([id, k]) => [id, k.privateKey]));
      fs.writeFileSync(this.file, JSON.stringify(saved, null, 2) + '\n', { mode: 0o600 });
    }
    return key;
  }
}
