// The shared connection to a login node, against an SSH server in the test's process: logins
// as people have them set up, the host key asked about before any login, one connection for
// many users, made again after a drop, closed when idle; a refused login never tried again.
import * as assert from 'assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { utils } from 'ssh2';
import { AuthPrompts } from '../../src/ssh/auth';
import { ConnectRequest, SshPool } from '../../src/ssh/connections';
import { retryable } from '../../src/ssh/errors';
import { Follower } from '../../src/ssh/follower';
import { sftpFileSource } from '../../src/ssh/sftpSource';
import { readableKeyPair, startTestSshServer, TestSshServer } from './support/sshTestServer';
import { rejectsWith } from './support/sshTesting';

const PASSWORD = 'correct horse';

/** `null`: the user closes the password prompt. */
function prompts(password: string | null = PASSWORD, passphrase?: string): AuthPrompts & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    passphrase: (path) => (asked.push(`passphrase ${path}`), Promise.resolve(passphrase)),
    password: () => (asked.push('password'), Promise.resolve(password ?? undefined)),
    answer: (question) => (asked.push(`answer ${question}`), Promise.resolve(undefined)),
  };
}

describe('the connection to a login node', function () {
  this.timeout(20_000);
  let server: TestSshServer;
  let pool: SshPool;
  const keys: Buffer[] = [];

  beforeEach(async () => {
    server = await startTestSshServer({ alice: { password: PASSWORD } });
    server.files.set('/home/alice/job.out', Buffer.from('step 1\nstep 2\n'));
    pool = new SshPool({ idleMs: 200 });
    keys.length = 0;
  });

  afterEach(async () => {
    pool.dispose();
    await server.close();
  });

  function request(overrides: Partial<ConnectRequest> = {}): ConnectRequest {
    return {
      target: { host: '127.0.0.1', port: server.port, username: 'alice' },
      sources: { keyFiles: [] },
      prompts: prompts(),
      verifyHostKey: (key) => (keys.push(key), Promise.resolve(true)),
      ...overrides,
    };
  }

  /** The way to a jump host listening on `port` (user gw, password "gate"). */
  function jumpRequest(port: number, overrides: Partial<ConnectRequest> = {}): ConnectRequest {
    return request({ target: { host: '127.0.0.1', port, username: 'gw' }, prompts: prompts('gate'), ...overrides });
  }

  it('logs in with a password, asks about the host key first, and reads a file over SFTP', async () => {
    const lease = pool.lease(request());
    const source = sftpFileSource(lease);
    assert.equal(await source.size('/home/alice/job.out'), 14);
    assert.equal((await source.read('/home/alice/job.out', 7, 100)).toString(), 'step 2\n');
    assert.equal(await source.size('/home/alice/none.out'), undefined);
    assert.deepEqual(keys, [server.hostKey]);
    lease.release();
  });

  it('shares one connection among everything open on the node, even when asked at once', async () => {
    const leases = Array.from({ length: 10 }, () => pool.lease(request()));
    const sizes = await Promise.all(leases.map((lease) => sftpFileSource(lease).size('/home/alice/job.out')));
    assert.deepEqual(sizes, Array(10).fill(14));
    assert.equal(server.connections, 1);
    assert.equal(keys.length, 1);
    leases.forEach((lease) => lease.release());
  });

  it('refuses a host key the check refuses, even when it answers late, before any login is tried', async () => {
    const slowNo = () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300));
    const lease = pool.lease(request({ verifyHostKey: slowNo }));
    const error = await rejectsWith(lease.sftp(), 'hostKey');
    assert.equal(retryable(error), false);
    assert.deepEqual(server.attempts, []);
    lease.release();
  });

  it('tells a wrong password apart, tries it once, and is not retried', async () => {
    const asked = prompts('wrong');
    const lease = pool.lease(request({ prompts: asked }));
    const error = await rejectsWith(lease.sftp(), 'auth');
    assert.equal(error.passwordSent, true);
    assert.equal(retryable(error), false);
    assert.deepEqual(asked.asked, ['password']);
    assert.equal(server.attempts.filter((m) => m === 'password').length, 1);
    lease.release();
  });

  it('takes a server that ends the connection after too many refused logins for a refused login, never to retry', async () => {
    await server.close();
    server = await startTestSshServer({ alice: { password: PASSWORD } }, { maxAuthTries: 2 });
    const wrongKeys = [0, 1].map((i) => ({ path: `key${i}`, data: Buffer.from(readableKeyPair(() => utils.generateKeyPairSync('ed25519')).private) }));
    const lease = pool.lease(request({ prompts: prompts('wrong'), sources: { keyFiles: wrongKeys } }));
    const error = await rejectsWith(lease.sftp(), 'auth');
    assert.equal(retryable(error), false);
    lease.release();
  });

  it('sends a refused password once: not again at a keyboard-interactive "Password:" prompt', async () => {
    const asked = prompts('wrong');
    const lease = pool.lease(request({ prompts: asked }));
    await rejectsWith(lease.sftp(), 'auth');
    assert.deepEqual(server.attempts.filter((method) => method !== 'none'), ['password']);
    assert.deepEqual(asked.asked, ['password']);
    lease.release();
  });

  it('ends a login whose password prompt fails (a keyring that cannot be read), never left waiting', async () => {
    const broken = { ...prompts(), password: () => Promise.reject(new Error('no keyring')) };
    const lease = pool.lease(request({ prompts: broken }));
    await assert.rejects(lease.sftp(), /no keyring/);
    lease.release();
  });

  it('answers a keyboard-interactive "Password:" prompt with the password', async () => {
    server.users.set('alice', { password: PASSWORD, keyboardOnly: true });
    const lease = pool.lease(request());
    assert.equal(await sftpFileSource(lease).size('/home/alice/job.out'), 14);
    assert.ok(server.attempts.includes('keyboard-interactive'));
    lease.release();
  });

  it('logs in with a key file, asking the passphrase of an encrypted one, before any password', async () => {
    const pair = readableKeyPair(() => utils.generateKeyPairSync('ed25519', { passphrase: 'secret words', cipher: 'aes256-cbc', rounds: 4 }), 'secret words');
    server.users.set('alice', { keys: [pair.public] });
    const asked = prompts(null, 'secret words');
    const lease = pool.lease(request({ prompts: asked, sources: { keyFiles: [{ path: '~/.ssh/id_ed25519', data: Buffer.from(pair.private) }] } }));
    assert.equal(await sftpFileSource(lease).size('/home/alice/job.out'), 14);
    assert.deepEqual(asked.asked, ['passphrase ~/.ssh/id_ed25519']);
    lease.release();
  });

  it('says a login was cancelled when the user closes the password prompt', async () => {
    const lease = pool.lease(request({ prompts: prompts(null) }));
    const error = await rejectsWith(lease.sftp(), 'cancelled');
    assert.equal(retryable(error), false);
    lease.release();
  });

  it('says a host that does not listen is unreachable, which may be tried again', async () => {
    const closed = await startTestSshServer({});
    await closed.close();
    const lease = pool.lease(request({ target: { host: '127.0.0.1', port: closed.port, username: 'alice' } }));
    const error = await rejectsWith(lease.sftp(), 'unreachable');
    assert.equal(retryable(error), true);
    lease.release();
  });

  it('makes the connection again after a drop, and a follower loses and repeats nothing', async () => {
    const lease = pool.lease(request());
    let text = '';
    const follower = new Follower(sftpFileSource(lease), '/home/alice/job.out', { text: (t) => (text += t), restarted: () => undefined, skipped: () => undefined, state: () => undefined }, {
      windowBytes: 1 << 20,
      retryable,
      intervalMs: 20,
      idleIntervalMs: 20,
      backoffMs: 20,
    });
    follower.start();
    await waitFor(() => text === 'step 1\nstep 2\n');
    server.drop();
    server.files.set('/home/alice/job.out', Buffer.from('step 1\nstep 2\nstep 3\n'));
    await waitFor(() => text.endsWith('step 3\n'));
    assert.equal(text, 'step 1\nstep 2\nstep 3\n');
    assert.equal(server.connections, 2);
    follower.dispose();
    lease.release();
  });

  it('goes through a jump host, each host\'s key checked by its own name, and closes both when done', async () => {
    const jump = await startTestSshServer({ gw: { password: 'gate' } });
    try {
      const via = jumpRequest(jump.port);
      const target = { host: '127.0.0.1', port: server.port, username: 'alice' };
      const lease = pool.lease(request({ target, via }));
      assert.equal(await sftpFileSource(lease).size('/home/alice/job.out'), 14);
      assert.deepEqual(jump.forwards, [`127.0.0.1:${server.port}`]);
      assert.deepEqual(keys, [jump.hostKey, server.hostKey], 'the jump host\'s key, then the node\'s');
      assert.equal(server.connections, 1);
      lease.release();
      await waitFor(() => !pool.isOpen(via) && !pool.isOpen({ target, via }));
    } finally {
      await jump.close();
    }
  });

  it('names the jump host when it refuses the login, so that the node\'s password is not the one blamed', async () => {
    const jump = await startTestSshServer({ gw: { password: 'gate' } });
    try {
      const via = jumpRequest(jump.port, { prompts: prompts('typo') });
      const lease = pool.lease(request({ via }));
      const error = await rejectsWith(lease.sftp(), 'auth');
      assert.equal(error.jumpHost, `gw@127.0.0.1:${jump.port}`);
      assert.equal(error.passwordSent, true);
      assert.equal(server.connections, 0, 'the node was never reached');
      lease.release();
    } finally {
      await jump.close();
    }
  });

  it('says a jump host that cannot reach the node so, as unreachable', async () => {
    const jump = await startTestSshServer({ gw: { password: 'gate' } });
    const closed = await startTestSshServer({});
    await closed.close();
    try {
      const via = jumpRequest(jump.port);
      const lease = pool.lease(request({ target: { host: '127.0.0.1', port: closed.port, username: 'alice' }, via }));
      const error = await rejectsWith(lease.sftp(), 'unreachable');
      assert.match(error.message, /jump host could not reach/);
      lease.release();
    } finally {
      await jump.close();
    }
  });

  describe('through a ProxyCommand', () => {
    let dir: string;
    const logged: string[] = [];
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ehpc-proxy-'));
      logged.length = 0;
      pool.dispose();
      pool = new SshPool({ idleMs: 200, connectTimeoutMs: 3000, log: (line) => logged.push(line) });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /**
     * A command as a ProxyCommand is written: a Node script that notes its pid, says something
     * on stderr, and pipes its stdin and stdout to host:port (or does `body` instead).
     */
    function command(body = 'const s = require("net").connect(Number(process.argv[2]), process.argv[1]); process.stdin.pipe(s); s.pipe(process.stdout);', args = '127.0.0.1 %p'): string {
      const script = `require("fs").writeFileSync(${JSON.stringify(join(dir, 'pid'))}, String(process.pid)); process.stderr.write("tunnel \\u001b[31mup\\n"); ${body}`;
      return `'${process.execPath}' -e '${script}' ${args}`.replace(/%p/g, String(server.port));
    }
    const pid = () => Number(readFileSync(join(dir, 'pid'), 'utf8'));
    const alive = (id: number) => {
      try {
        process.kill(id, 0);
        return true;
      } catch {
        return false;
      }
    };

    it('connects over the command\'s stdin and stdout, its stderr in the log only, and kills it when the connection ends', async () => {
      // The command stays after its stdin ends, as some do: it is killed.
      const lease = pool.lease(request({ proxyCommand: command('const s = require("net").connect(Number(process.argv[2]), process.argv[1]); process.stdin.pipe(s); s.pipe(process.stdout); setInterval(() => undefined, 1000);') }));
      assert.equal(await sftpFileSource(lease).size('/home/alice/job.out'), 14);
      assert.equal(server.connections, 1);
      await waitFor(() => logged.length > 0);
      assert.deepEqual(logged, [`SSH: ProxyCommand of 127.0.0.1:${server.port}: tunnel  [31mup`]);
      const child = pid();
      assert.ok(alive(child));
      lease.release();
      await waitFor(() => !pool.isOpen(request()) && !alive(child));
    });

    it('fails at once, naming the command and its exit code, when it exits before the connection is made', async () => {
      const lease = pool.lease(request({ proxyCommand: command('process.stderr.write("no route to bastion\\n"); process.exit(7);') }));
      const started = Date.now();
      const error = await rejectsWith(lease.sftp(), 'unreachable');
      assert.ok(Date.now() - started < 2500, 'not left to the timeout');
      assert.deepEqual(error.proxyFailure, { host: `127.0.0.1:${server.port}`, exitCode: 7 });
      assert.match(error.message, /ProxyCommand of 127\.0\.0\.1:\d+ .*exit code 7/);
      assert.doesNotMatch(error.message, /no route/, 'what it printed is in the log, not the message');
      await waitFor(() => logged.some((line) => line.endsWith('no route to bastion')));
      assert.equal(server.connections, 0);
      lease.release();
    });

    it('kills a command that never answers when the connection times out', async () => {
      const lease = pool.lease(request({ proxyCommand: command('setInterval(() => undefined, 1000);') }));
      const error = await rejectsWith(lease.sftp(), 'unreachable');
      assert.match(error.message, /did not answer/);
      await waitFor(() => existsSync(join(dir, 'pid')) && !alive(pid()));
      lease.release();
    });

    it('ends a command still connecting when the pool is disposed, and kills one that ignores the hang-up', async () => {
      // Ignores SIGHUP (as nohup does) and never answers: only the kill that follows ends it.
      const lease = pool.lease(request({ proxyCommand: command('process.on("SIGHUP", () => undefined); setInterval(() => undefined, 1000);') }));
      const failed = lease.sftp().then(() => undefined, (error: unknown) => error);
      await waitFor(() => existsSync(join(dir, 'pid')));
      const child = pid();
      pool.dispose();
      assert.ok(await failed, 'the connection that was being made fails');
      await waitFor(() => !alive(child), 4000);
      lease.release();
    });

    it('logs a flood on stderr only up to its cap, a line of one character counted as more', async () => {
      const lease = pool.lease(request({ proxyCommand: command('const s = require("net").connect(Number(process.argv[2]), process.argv[1]); process.stdin.pipe(s); s.pipe(process.stdout); for (let i = 0; i < 200; i++) process.stderr.write("x\\n".repeat(5000));') }));
      assert.equal(await sftpFileSource(lease).size('/home/alice/job.out'), 14);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(logged.length <= 70, `${logged.length} lines logged`);
      assert.match(logged.at(-1) ?? '', /more not logged/);
      lease.release();
    });

    it('reaches a jump host through it, and the node through the jump host', async () => {
      const jump = await startTestSshServer({ gw: { password: 'gate' } });
      try {
        const via = jumpRequest(jump.port, { proxyCommand: command().replace(String(server.port), String(jump.port)) });
        const lease = pool.lease(request({ via }));
        assert.equal(await sftpFileSource(lease).size('/home/alice/job.out'), 14);
        assert.deepEqual(jump.forwards, [`127.0.0.1:${server.port}`]);
        const child = pid();
        lease.release();
        await waitFor(() => !pool.isOpen(via) && !alive(child));
      } finally {
        await jump.close();
      }
    });
  });

  it('closes the connection once nothing has used it for a while, not before', async () => {
    const first = pool.lease(request());
    await first.sftp();
    first.release();
    const second = pool.lease(request()); // within the idle time: the same connection
    await second.sftp();
    assert.equal(server.connections, 1);
    second.release();
    await waitFor(() => !pool.isOpen(request()));
    const third = pool.lease(request());
    await third.sftp();
    assert.equal(server.connections, 2);
    third.release();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error('timed out waiting');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
