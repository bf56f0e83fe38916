import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import { createHmac, randomBytes } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { utils } from 'ssh2';
import {
  blobKeyType, fingerprint, hostKeyAlgorithms, hostKeyVerdict, keyTypes, knownHostsLine, parseKnownHosts,
} from '../../src/ssh/knownHosts';

/** A fresh public key: its known_hosts text (`type base64`) and its blob. */
function newKey(type: 'ed25519' | 'rsa' | 'ecdsa', bits?: number): { text: string; blob: Buffer } {
  const pair = type === 'ed25519' ? utils.generateKeyPairSync('ed25519') : utils.generateKeyPairSync(type, { bits: bits ?? (type === 'rsa' ? 1024 : 256) });
  const [keyType, base64] = pair.public.split(' ');
  return { text: `${keyType} ${base64}`, blob: Buffer.from(base64, 'base64') };
}

/** A hashed host field as `ssh-keygen -H` writes it. */
function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

const ed = newKey('ed25519');
const ed2 = newKey('ed25519');
const rsa = newKey('rsa');
const ecdsa = newKey('ecdsa');
const ecdsa384 = newKey('ecdsa', 384);

const entries = (text: string) => parseKnownHosts(text, 'known_hosts').entries;
const verdict = (text: string, host: string, port: number, blob: Buffer) => hostKeyVerdict(entries(text), host, port, blob).kind;

describe('reading known_hosts', () => {
  it('reads plain, hashed and marked lines, skips comments and blanks, and counts what it cannot read', () => {
    const text = [
      '# a comment',
      '',
      `login.example.com,10.0.0.5 ${ed.text} a comment with spaces`,
      `${hashed('[10.0.0.6]:2222')} ${rsa.text}`,
      `@revoked * ${ed2.text}`,
      `@cert-authority *.example.com ${ecdsa.text}`,
      '   \t  ',
      'login.example.com ssh-ed25519',
      `login.example.com ssh-rsa ${ed.text.split(' ')[1]}`,
      'login.example.com ssh-ed25519 not*base64',
      `@unknown-marker login.example.com ${ed.text}`,
      `|1|c2FsdA==|aGFzaA== ${ed.text}`,
      `|2|abc|def ${ed.text}`,
      `a,,b ${ed.text}`,
      'login.example.com 2048 65537 1234567890',
    ].join('\n');
    const parsed = parseKnownHosts(text, '/home/u/.ssh/known_hosts');
    assert.equal(parsed.entries.length, 5);
    assert.deepEqual(parsed.entries.map((entry) => [entry.line, entry.marker, entry.keyType]), [
      [3, undefined, 'ssh-ed25519'],
      [4, undefined, 'ssh-rsa'],
      [5, 'revoked', 'ssh-ed25519'],
      [6, 'cert-authority', 'ecdsa-sha2-nistp256'],
      [14, undefined, 'ssh-ed25519'], // `a,,b`: the empty item names nothing, as in ssh; a and b count
    ]);
    assert.equal(parsed.entries[0].source, '/home/u/.ssh/known_hosts');
    assert.deepEqual(parsed.malformed, [8, 9, 10, 11, 12, 13, 15]);
    assert.equal(hostKeyVerdict(parsed.entries, 'b', 22, ed.blob).kind, 'match');
  });

  it('reads CRLF files and tab-separated fields', () => {
    const parsed = parseKnownHosts(`host1 ${ed.text}\r\nhost2\t${rsa.text}\r\n`);
    assert.deepEqual(parsed.entries.map((entry) => entry.keyType), ['ssh-ed25519', 'ssh-rsa']);
    assert.deepEqual(parsed.malformed, []);
  });

  it('lets a caller tell a file it could not read at all from an empty one', () => {
    assert.deepEqual(parseKnownHosts(''), { entries: [], malformed: [] });
    const garbage = parseKnownHosts('\u0000\u0001binary\nnot a known_hosts file\n');
    assert.equal(garbage.entries.length, 0);
    assert.deepEqual(garbage.malformed, [1, 2]);
  });
});

describe('the decision on a server\'s host key', () => {
  it('matches a known key, whatever the case of the host name', () => {
    assert.equal(verdict(`Login.Example.COM ${ed.text}`, 'LOGIN.example.com', 22, ed.blob), 'match');
  });

  it('tells an unknown host, and an unknown port of a known host', () => {
    assert.equal(verdict(`other.example.com ${ed.text}`, 'login.example.com', 22, ed.blob), 'unknown');
    assert.equal(verdict(`login.example.com ${ed.text}`, 'login.example.com', 2222, ed.blob), 'unknown');
    assert.equal(verdict('', 'login.example.com', 22, ed.blob), 'unknown');
  });

  it('calls a different key of the same type changed, with the fingerprints known', () => {
    const result = hostKeyVerdict(entries(`# keys\nlogin.example.com ${ed.text}`), 'login.example.com', 22, ed2.blob);
    assert.deepEqual(result, {
      kind: 'changed', keyType: 'ssh-ed25519', fingerprint: fingerprint(ed2.blob),
      known: [{ fingerprint: fingerprint(ed.blob), source: 'known_hosts', line: 2 }],
    });
  });

  it('decides per key type: a known RSA key does not make an Ed25519 key changed', () => {
    const text = `login.example.com ${rsa.text}`;
    assert.deepEqual(hostKeyVerdict(entries(text), 'login.example.com', 22, ed.blob), { kind: 'unknown', keyType: 'ssh-ed25519', fingerprint: fingerprint(ed.blob) });
    assert.equal(verdict(text, 'login.example.com', 22, rsa.blob), 'match');
    assert.equal(verdict(text, 'login.example.com', 22, newKey('rsa').blob), 'changed');
  });

  it('treats an ECDSA key on another curve as the host\'s ECDSA key changed, as ssh does', () => {
    assert.equal(blobKeyType(ecdsa384.blob), 'ecdsa-sha2-nistp384');
    assert.equal(verdict(`login.example.com ${ecdsa.text}`, 'login.example.com', 22, ecdsa384.blob), 'changed');
  });

  it('accepts any of the keys listed for one name (login nodes behind one DNS name)', () => {
    const text = [`login.example.com ${ed.text}`, `login.example.com ${ed2.text}`, `login.example.com ${rsa.text}`].join('\n');
    assert.equal(verdict(text, 'login.example.com', 22, ed.blob), 'match');
    assert.equal(verdict(text, 'login.example.com', 22, ed2.blob), 'match');
    const third = hostKeyVerdict(entries(text), 'login.example.com', 22, newKey('ed25519').blob);
    assert.equal(third.kind, 'changed');
    assert.deepEqual(third.kind === 'changed' && third.known.map((known) => known.fingerprint), [fingerprint(ed.blob), fingerprint(ed2.blob)]);
  });

  it('names a host that is not on port 22 as [host]:port, plainly or hashed', () => {
    assert.equal(verdict(`[10.0.0.6]:2222 ${ed.text}`, '10.0.0.6', 2222, ed.blob), 'match');
    assert.equal(verdict(`[10.0.0.6]:2222 ${ed.text}`, '10.0.0.6', 22, ed.blob), 'unknown');
    assert.equal(verdict(`${hashed('[10.0.0.6]:2222')} ${ed.text}`, '10.0.0.6', 2222, ed.blob), 'match');
    assert.equal(verdict(`${hashed('10.0.0.6')} ${ed.text}`, '10.0.0.6', 2222, ed.blob), 'unknown');
    assert.equal(verdict(`${hashed('10.0.0.6')} ${ed.text}`, '10.0.0.6', 22, ed.blob), 'match');
    assert.equal(verdict(`${hashed('[10.0.0.6]:22')} ${ed.text}`, '10.0.0.6', 22, ed.blob), 'unknown');
  });

  it('hashes the lower-case name, as ssh looks it up', () => {
    assert.equal(verdict(`${hashed('login.example.com')} ${ed.text}`, 'Login.Example.com', 22, ed.blob), 'match');
    assert.equal(verdict(`${hashed('login.example.com')} ${ed.text}`, 'login.example.org', 22, ed.blob), 'unknown');
    assert.equal(verdict(`${hashed('login.example.com')} ${ed.text}`, 'login.example.com', 22, ed2.blob), 'changed');
  });

  it('follows wildcards and negations, a matching negation winning', () => {
    const text = `*.example.com,!bastion.example.com ${ed.text}`;
    assert.equal(verdict(text, 'login1.example.com', 22, ed.blob), 'match');
    assert.equal(verdict(text, 'bastion.example.com', 22, ed.blob), 'unknown');
    assert.equal(verdict(text, 'example.com', 22, ed.blob), 'unknown');
    assert.equal(verdict(`login?.example.com ${ed.text}`, 'login7.example.com', 22, ed.blob), 'match');
    assert.equal(verdict(`login?.example.com ${ed.text}`, 'login17.example.com', 22, ed.blob), 'unknown');
    // A dot in a pattern is a dot, not any character.
    assert.equal(verdict(`login.example.com ${ed.text}`, 'loginxexample.com', 22, ed.blob), 'unknown');
    assert.equal(verdict(`[*.example.com]:2222 ${ed.text}`, 'login.example.com', 2222, ed.blob), 'match');
    // A line of negations alone names no host.
    assert.equal(verdict(`!bastion.example.com ${ed.text}`, 'login.example.com', 22, ed.blob), 'unknown');
  });

  it('refuses a revoked key, even one also listed as the host\'s', () => {
    const text = [`login.example.com ${ed.text}`, `@revoked * ${ed.text}`].join('\n');
    assert.equal(verdict(text, 'login.example.com', 22, ed.blob), 'revoked');
    assert.equal(verdict(`@revoked *.example.com ${ed.text}`, 'login.example.com', 22, ed.blob), 'revoked');
    // Revoked for other hosts only, or another key revoked.
    assert.equal(verdict(`login.example.com ${ed.text}\n@revoked other.example.com ${ed.text}`, 'login.example.com', 22, ed.blob), 'match');
    assert.equal(verdict(`@revoked * ${ed2.text}`, 'login.example.com', 22, ed.blob), 'unknown');
  });

  it('never takes a certificate authority\'s key for the host\'s own', () => {
    assert.equal(verdict(`@cert-authority *.example.com ${ed.text}`, 'login.example.com', 22, ed.blob), 'unknown');
    assert.equal(verdict(`@cert-authority *.example.com ${ed.text}`, 'login.example.com', 22, ed2.blob), 'unknown');
  });

  it('refuses bytes that are not a key blob', () => {
    assert.throws(() => hostKeyVerdict([], 'h', 22, Buffer.from('nonsense')), RangeError);
    assert.throws(() => hostKeyVerdict([], 'h', 22, Buffer.alloc(0)), RangeError);
    const sshString = (text: string) => Buffer.concat([Buffer.from([0, 0, 0, Buffer.byteLength(text)]), Buffer.from(text)]);
    assert.equal(blobKeyType(sshString('ssh-ed25519')), 'ssh-ed25519');
    for (const type of ['', 'ssh ed25519', 'ssh\u0000x', 'x'.repeat(65)]) {
      assert.equal(blobKeyType(sshString(type)), undefined, JSON.stringify(type));
    }
    assert.equal(blobKeyType(sshString('ssh-ed25519').subarray(0, 10)), undefined);
  });
});

describe('host key fingerprints', () => {
  it('are written as ssh-keygen -lf prints them', () => {
    // Made once with `ssh-keygen -t ed25519` and `ssh-keygen -lf`.
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIO8jTI8ooG2SOukI6I30G9k7tgrXPawJrbe01mIkd7z0', 'base64');
    assert.equal(fingerprint(blob), 'SHA256:wUvGnU6G1j4SBpU/GEdHHBD+47sEppCdpicFlNMhZ4Q');
  });

  it('agree with the ssh-keygen on this machine, and so do hashed lines it writes', function () {
    const dir = mkdtempSync(join(tmpdir(), 'known-hosts-'));
    try {
      const file = join(dir, 'known_hosts');
      writeFileSync(file, `[login.example.com]:2222 ${ed.text}\nlogin.example.com ${rsa.text}\n`);
      let printed: string;
      try {
        printed = execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' });
        execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
      } catch {
        this.skip();
      }
      assert.match(printed, new RegExp(`${fingerprint(ed.blob).replace(/[+/]/g, '\\$&')} \\[login\\.example\\.com\\]:2222`));
      assert.match(printed, new RegExp(`${fingerprint(rsa.blob).replace(/[+/]/g, '\\$&')} login\\.example\\.com`));
      const hashedText = readFileSync(file, 'utf8');
      assert.match(hashedText, /^\|1\|/);
      assert.equal(verdict(hashedText, 'login.example.com', 2222, ed.blob), 'match');
      assert.equal(verdict(hashedText, 'login.example.com', 22, rsa.blob), 'match');
      assert.equal(verdict(hashedText, 'login.example.com', 22, ed.blob), 'unknown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the key types to ask a known host for', () => {
  it('lists the types known for the host, in the file\'s order, each once', () => {
    const text = [
      `login.example.com ${rsa.text}`,
      `other.example.com ${ecdsa.text}`,
      `*.example.com ${ed.text}`,
      `login.example.com ${newKey('rsa').text}`,
      `@revoked login.example.com ${ecdsa.text}`,
      `@cert-authority login.example.com ${ecdsa.text}`,
    ].join('\n');
    assert.deepEqual(keyTypes(entries(text), 'login.example.com', 22), ['ssh-rsa', 'ssh-ed25519']);
    assert.deepEqual(keyTypes(entries(text), 'login.example.com', 2222), []);
  });

  it('puts the algorithms of the known types first, an RSA key with its SHA-2 signatures first', () => {
    const supported = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    assert.deepEqual(hostKeyAlgorithms(['ssh-rsa'], supported), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256']);
    assert.deepEqual(hostKeyAlgorithms(['ecdsa-sha2-nistp256', 'ssh-ed25519'], supported), ['ecdsa-sha2-nistp256', 'ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.deepEqual(hostKeyAlgorithms([], supported), supported);
    // A type the library cannot verify is not asked for.
    assert.deepEqual(hostKeyAlgorithms(['ssh-dss', 'sk-ssh-ed25519@openssh.com'], supported), supported);
  });
});

describe('a line of the extension\'s own store of accepted keys', () => {
  it('is a known_hosts line that reads back as a match', () => {
    const line = knownHostsLine('Login.Example.com', 22, ed.blob);
    assert.equal(line, `login.example.com ${ed.text}`);
    assert.equal(verdict(line, 'login.example.com', 22, ed.blob), 'match');
    const onPort = knownHostsLine('10.0.0.6', 2222, rsa.blob);
    assert.equal(onPort, `[10.0.0.6]:2222 ${rsa.text}`);
    assert.equal(verdict(onPort, '10.0.0.6', 2222, rsa.blob), 'match');
    assert.equal(verdict(knownHostsLine('::1', 22, ed.blob), '::1', 22, ed.blob), 'match');
    assert.equal(verdict(knownHostsLine('fe80::1', 2222, ed.blob), 'fe80::1', 2222, ed.blob), 'match');
  });

  it('refuses a host name the format cannot hold, a bad port, and bytes that are not a key', () => {
    for (const host of ['', 'a b', 'a,b', '*.example.com', 'login?', '!x', '|1|x', '@revoked', '[h]:22', 'a\nb', '#h']) {
      assert.throws(() => knownHostsLine(host, 22, ed.blob), RangeError, JSON.stringify(host));
    }
    for (const port of [0, -1, 65536, 22.5, Number.NaN]) {
      assert.throws(() => knownHostsLine('h', port, ed.blob), RangeError, String(port));
    }
    assert.throws(() => knownHostsLine('h', 22, Buffer.from('x')), RangeError);
  });
});
