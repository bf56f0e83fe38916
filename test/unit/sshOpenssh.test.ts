// The SSH room against a real OpenSSH sshd, started for the run on a free port with its own host
// key and keys: logins by key (one encrypted, its passphrase asked) and by password, a file
// followed as it grows and after a truncation, and a host key that does not match refused before
// any login. Without sshd these tests are skipped, unless the run requires them (CI, or
// EHPC_REQUIRE_SSHD=1). Nothing they print or sshd logs may hold their password, passphrase or
// private keys.
import * as assert from 'assert/strict';
import { randomBytes } from 'crypto';
import { appendFileSync, chmodSync, writeFileSync } from 'fs';
import { userInfo } from 'os';
import { join } from 'path';
import { execFileSync } from 'child_process';
import { AuthPrompts, KeyFile } from '../../src/ssh/auth';
import { ConnectRequest, SshPool } from '../../src/ssh/connections';
import { retryable } from '../../src/ssh/errors';
import { FileSource, Follower, FollowState } from '../../src/ssh/follower';
import { HostKeyVerdict, hostKeyVerdict, keyTypes, parseKnownHosts } from '../../src/ssh/knownHosts';
import { sftpFileSource } from '../../src/ssh/sftpSource';
import { expandProxyCommand } from '../../src/ssh/target';
import { privateKeyNeedles, scanForSecrets } from '../harness/secretScan';
import { findProgram, KeyPair, makeKeyPair, makePasswordUser, OpensshServer, PasswordUser, startOpensshServer } from './support/opensshServer';
import { rejectsWith } from './support/sshTesting';

/** CI must run these tests: sshd missing there is a failure, not a skip. */
function sshdRequired(): boolean {
  const ci = process.env.CI ?? '';
  return (ci !== '' && ci !== 'false' && ci !== '0') || process.env.EHPC_REQUIRE_SSHD === '1';
}

interface Asked extends AuthPrompts {
  asked: string[];
}

/** Prompts that answer from a script and note every question; no answer is "the user gave up". */
function prompts(answers: { password?: string; passphrases?: string[] } = {}): Asked {
  const asked: string[] = [];
  const passphrases = [...(answers.passphrases ?? [])];
  return {
    asked,
    passphrase: (path, again) => (asked.push(`passphrase ${path}${again ? ' again' : ''}`), Promise.resolve(passphrases.shift())),
    password: () => (asked.push('password'), Promise.resolve(answers.password)),
    answer: (question) => (asked.push(`answer ${question}`), Promise.resolve(undefined)),
  };
}

async function waitFor(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail(`waited ${ms} ms for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the SSH room against a real OpenSSH sshd', function () {
  this.timeout(30_000);
  const PASSPHRASE = randomBytes(12).toString('base64url');
  const user = userInfo().username;
  let sshd: OpensshServer | undefined;
  let key: KeyPair;
  let encrypted: KeyPair;
  let passwordUser: PasswordUser | string;
  let pool: SshPool;
  const needles = new Map<string, string>();
  /** What the tests printed, and what their failures say, for the secret scan. */
  const printed: string[] = [];
  const failures: string[] = [];
  let stopCapture = () => undefined as void;

  before(async function () {
    const sshdPath = findProgram('sshd');
    const missing = [sshdPath ? '' : 'sshd (openssh-server)', findProgram('ssh-keygen') ? '' : 'ssh-keygen (openssh-client)'].filter(Boolean).join(' and ');
    if (!sshdPath || missing) {
      if (sshdRequired()) {
        throw new Error(`${missing} not installed, and this run requires the tests against a real sshd (CI or EHPC_REQUIRE_SSHD=1)`);
      }
      console.log(`    skipped: ${missing} not installed (apt-get install openssh-server openssh-client runs these tests)`);
      this.skip();
    }
    sshd = await startOpensshServer(sshdPath);
    // The password test's user reads a file here too; the private keys stay 0600.
    chmodSync(sshd.dir, 0o755);
    key = makeKeyPair(join(sshd.dir, 'id_ed25519'));
    encrypted = makeKeyPair(join(sshd.dir, 'id_encrypted'), PASSPHRASE);
    sshd.authorize(key.publicLine);
    sshd.authorize(encrypted.publicLine);
    passwordUser = makePasswordUser(sshd.dir);

    needles.set('the passphrase', PASSPHRASE);
    for (const [what, needle] of [
      ...privateKeyNeedles('the private key', key.private.toString()),
      ...privateKeyNeedles('the encrypted private key', encrypted.private.toString()),
      ...privateKeyNeedles("sshd's private host key", sshd.hostKey.private.toString()),
    ]) {
      needles.set(what, needle);
    }
    if (typeof passwordUser !== 'string') {
      needles.set('the SSH password', passwordUser.password);
    }
    stopCapture = captureOutput(printed);
  });

  after(async () => {
    stopCapture();
    if (!sshd) {
      return;
    }
    const log = sshd.log();
    await sshd.stop();
    if (typeof passwordUser !== 'string') {
      passwordUser.remove();
    }
    const { leaks } = scanForSecrets([], { 'the test output': printed.join(''), "a failure's message": failures.join('\n'), "sshd's log": log }, needles);
    assert.deepEqual(
      leaks.map((leak) => `${leak.what} found in ${leak.where}`),
      [],
    );
  });

  beforeEach(() => {
    pool = new SshPool({ idleMs: 1000 });
  });

  afterEach(function () {
    pool?.dispose();
    // A failure's message is printed after every test: it must not show a secret either.
    const error: (Error & { actual?: unknown; expected?: unknown; showDiff?: boolean }) | undefined = this.currentTest?.err;
    if (error) {
      const text = `${error.message}\n${error.stack ?? ''}\n${JSON.stringify([error.actual, error.expected]) ?? ''}`;
      failures.push(text);
      if (scanForSecrets([], { failure: text }, needles).leaks.length > 0) {
        error.message = '(this failure held a secret of the test: it is not shown)';
        error.stack = error.message;
        error.showDiff = false;
        delete error.actual;
        delete error.expected;
      }
    }
  });

  /** A login request that decides on the host key from `knownHosts` (the host key's line by default). */
  function request(options: { username?: string; keyFiles?: KeyFile[]; prompts?: Asked; knownHosts?: string } = {}) {
    const server = sshd!;
    const known = parseKnownHosts(options.knownHosts ?? `[127.0.0.1]:${server.port} ${server.hostKey.publicLine}\n`, 'known_hosts');
    assert.deepEqual(known.malformed, []);
    const verdicts: HostKeyVerdict[] = [];
    const ask = options.prompts ?? prompts();
    const connect: ConnectRequest = {
      target: { host: '127.0.0.1', port: server.port, username: options.username ?? user },
      sources: { keyFiles: options.keyFiles ?? [{ path: key.path, data: key.private }] },
      prompts: ask,
      verifyHostKey: (blob) => {
        const verdict = hostKeyVerdict(known.entries, '127.0.0.1', server.port, blob);
        verdicts.push(verdict);
        return Promise.resolve(verdict.kind === 'match');
      },
      knownKeyTypes: keyTypes(known.entries, '127.0.0.1', server.port),
    };
    return { connect, verdicts, asked: ask.asked };
  }

  /** What sshd logs from now on, once it logged the end of a connection. */
  function logFromHere(): { closed(): Promise<string> } {
    const start = sshd!.log().length;
    const since = () => sshd!.log().slice(start);
    return {
      async closed() {
        await waitFor('sshd to log the connection and its end', () => /Connection from 127\.0\.0\.1/.test(since()) && /(Connection closed|Disconnected from|Connection reset|Received disconnect)/.test(since()));
        return since();
      },
    };
  }

  it('logs in with a key made for the run, the host key checked against known_hosts first', async () => {
    const log = logFromHere();
    const { connect, verdicts, asked } = request();
    const lease = pool.lease(connect);
    assert.equal(await sftpFileSource(lease).size(join(sshd!.dir, 'authorized_keys')), `${key.publicLine}\n${encrypted.publicLine}\n`.length);
    assert.deepEqual(
      verdicts.map((verdict) => verdict.kind),
      ['match'],
    );
    assert.deepEqual(asked, []);
    lease.release();
    pool.dispose();
    assert.match(await log.closed(), new RegExp(`Accepted publickey for ${user} from 127\\.0\\.0\\.1`));
  });

  it('asks the passphrase of an encrypted key, again after a wrong one, and logs in with it', async () => {
    const log = logFromHere();
    const { connect, asked } = request({ keyFiles: [{ path: encrypted.path, data: encrypted.private }], prompts: prompts({ passphrases: [randomBytes(12).toString('base64url'), PASSPHRASE] }) });
    const lease = pool.lease(connect);
    await lease.sftp();
    assert.deepEqual(asked, [`passphrase ${encrypted.path}`, `passphrase ${encrypted.path} again`]);
    lease.release();
    pool.dispose();
    assert.match(await log.closed(), new RegExp(`Accepted publickey for ${user} from 127\\.0\\.0\\.1`));
  });

  it('follows a file that grows, and reads it again from its start after a truncation', async () => {
    const path = join(sshd!.dir, 'job.out');
    writeFileSync(path, 'step 1\n');
    let written = 'step 1\n'.length;
    const lease = pool.lease(request().connect);
    const sftp = sftpFileSource(lease);
    let ticks = 0;
    const source: FileSource = { size: (file) => (ticks++, sftp.size(file)), read: (file, offset, length) => sftp.read(file, offset, length) };
    let text = '';
    let restarts = 0;
    const states: FollowState[] = [];
    const follower = new Follower(
      source,
      path,
      {
        text: (added) => (text += added),
        restarted: () => ((restarts += 1), (text = '')),
        skipped: (bytes) => assert.fail(`skipped ${bytes} bytes`),
        state: (state) => states.push(state),
      },
      { windowBytes: 1 << 20, retryable, intervalMs: 50, idleIntervalMs: 50, backoffMs: 50 },
    );
    try {
      follower.start();
      await waitFor('the first line', () => text === 'step 1\n');
      let expected = text;
      for (let step = 2; step <= 30; step++) {
        const line = `step ${step}: ${'x'.repeat(step * 10)}\n`;
        appendFileSync(path, line);
        expected += line;
        written += line.length;
        if (step % 3 === 0) {
          await new Promise((resolve) => setTimeout(resolve, 30)); // some appends land between ticks, some together
        }
      }
      await waitFor('every line appended', () => text === expected);

      writeFileSync(path, 'again\n'); // truncated, then shorter than what was read
      written += 'again\n'.length;
      await waitFor('the file read again from its start', () => restarts === 1 && text === 'again\n');
      appendFileSync(path, 'after\n');
      written += 'after\n'.length;
      await waitFor('a line after the truncation', () => text === 'again\nafter\n');
      await follower.end();
    } finally {
      follower.dispose();
      lease.release();
    }
    assert.equal(restarts, 1);
    assert.deepEqual([...new Set(states)], ['following', 'ended']);
    // What was read is what was written, and at most the few bytes each tick compares at the end.
    assert.ok(follower.bytesRead >= written, `read ${follower.bytesRead} of ${written} bytes`);
    assert.ok(follower.bytesRead <= written + 16 * ticks, `read ${follower.bytesRead} bytes for ${written} written, in ${ticks} ticks`);
  });

  it('logs in with a password, and a wrong one is refused once and not tried again', async function () {
    if (typeof passwordUser === 'string') {
      console.log(`      skipped: ${passwordUser}`);
      return this.skip();
    }
    const { name, password } = passwordUser;
    let log = logFromHere();
    const right = request({ username: name, keyFiles: [], prompts: prompts({ password }) });
    const lease = pool.lease(right.connect);
    assert.equal(typeof (await sftpFileSource(lease).size(join(sshd!.dir, 'authorized_keys'))), 'number');
    assert.deepEqual(right.asked, ['password']);
    lease.release();
    pool.dispose();
    assert.match(await log.closed(), new RegExp(`Accepted password for ${name} from 127\\.0\\.0\\.1`));

    log = logFromHere();
    pool = new SshPool({ idleMs: 1000 });
    const wrong = request({ username: name, keyFiles: [], prompts: prompts({ password: randomBytes(18).toString('base64url') }) });
    const refused = pool.lease(wrong.connect);
    const error = await rejectsWith(refused.sftp(), 'auth');
    assert.equal(error.passwordSent, true);
    assert.equal(retryable(error), false);
    assert.deepEqual(wrong.asked, ['password']);
    refused.release();
    const refusals = (await log.closed()).match(/Failed password for /g) ?? [];
    assert.equal(refusals.length, 1);
  });

  it('refuses a host key other than the one known for the host, before any login', async () => {
    const other = makeKeyPair(join(sshd!.dir, `other_${randomBytes(4).toString('hex')}`));
    const log = logFromHere();
    const { connect, verdicts, asked } = request({ knownHosts: `[127.0.0.1]:${sshd!.port} ${other.publicLine}\n`, prompts: prompts({ password: 'unused' }) });
    const lease = pool.lease(connect);
    await rejectsWith(lease.sftp(), 'hostKey');
    lease.release();
    assert.equal(verdicts.length, 1);
    assert.equal(verdicts[0].kind, 'changed');
    assert.deepEqual(asked, []);
    // sshd saw the connection end before any login was tried: no key, no password.
    assert.doesNotMatch(await log.closed(), /Accepted|Failed|Postponed/);
  });

  it('connects through a ProxyCommand, as ~/.ssh/config writes one, its tokens put in', async () => {
    const log = logFromHere();
    const { connect, verdicts } = request();
    // A stand-in for `nc %h %p`: pipes its stdin and stdout to the host and port.
    const pipe = `'${process.execPath}' -e 'process.stderr.write("piped\\n"); const s = require("net").connect(Number(process.argv[2]), process.argv[1]); process.stdin.pipe(s); s.pipe(process.stdout);' %h %p`;
    const lines: string[] = [];
    pool.dispose();
    pool = new SshPool({ idleMs: 1000, log: (line) => lines.push(line) });
    const lease = pool.lease({ ...connect, proxyCommand: expandProxyCommand(pipe, { ...connect.target, name: 'lab' }) });
    assert.equal(await sftpFileSource(lease).size(join(sshd!.dir, 'authorized_keys')), `${key.publicLine}\n${encrypted.publicLine}\n`.length);
    assert.deepEqual(
      verdicts.map((verdict) => verdict.kind),
      ['match'],
    );
    lease.release();
    pool.dispose();
    assert.match(await log.closed(), new RegExp(`Accepted publickey for ${user} from 127\\.0\\.0\\.1`));
    assert.deepEqual(lines, [`SSH: ProxyCommand of 127.0.0.1:${sshd!.port}: piped`], 'the connection went through the command');
  });

  it('connects with the hashed line ssh-keyscan -H writes for the host and port', async function () {
    const keyscan = findProgram('ssh-keyscan');
    if (!keyscan) {
      console.log('      skipped: ssh-keyscan (openssh-client) is not installed');
      return this.skip();
    }
    const scanned = execFileSync(keyscan, ['-H', '-t', 'ed25519', '-p', String(sshd!.port), '127.0.0.1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.match(scanned, /^\|1\|/m);
    const { connect, verdicts } = request({ knownHosts: scanned });
    const lease = pool.lease(connect);
    await lease.sftp();
    assert.deepEqual(
      verdicts.map((verdict) => verdict.kind),
      ['match'],
    );
    lease.release();
  });
});

/** Keeps what this process writes to stdout and stderr until the returned function is called. */
function captureOutput(into: string[]): () => void {
  const restores = [process.stdout, process.stderr].map((stream) => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, then called on its stream
    const write = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      into.push(String(chunk));
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    };
    return () => (stream.write = write);
  });
  return () => restores.forEach((restore) => restore());
}
