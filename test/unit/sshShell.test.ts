// A terminal's session on a login node, against the simulator's login node: it starts in the
// folder asked for, however the folder is spelled; what is typed reaches the shell and its
// answers come back as whole characters; a resize reaches the server; the shell's exit status,
// a lost connection and a close of our own are told apart.
import * as assert from 'assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startSimulator, type Simulator } from '../../simulator/server';
import { ConnectRequest, SshLease, SshPool } from '../../src/ssh/connections';
import { SshError } from '../../src/ssh/errors';
import { loginShellCommand, openShell, type RemoteShell, type ShellExit } from '../../src/ssh/shell';

const ZONE = 'jn1a';
const PASSWORD = 'test-only-ssh-password';
const HOME = '/public/home/admin';
/** A folder name a careless command would split, end its quote on, or run. */
const AWKWARD = "it's a $(touch pwned) dir";

describe('a terminal session on a login node', function () {
  this.timeout(20_000);
  let sim: Simulator;
  let clusterId: string;
  let pool: SshPool;
  let lease: SshLease;
  const shells: RemoteShell[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 1, stopDelayMs: 0, sshPassword: PASSWORD });
    clusterId = sim.clusters(ZONE)[0].cluster_id;
    pool = new SshPool({ idleMs: 200 });
    const { host, port, hostKey } = sim.loginNodes.address(clusterId);
    const request: ConnectRequest = {
      target: { host, port, username: 'admin' },
      sources: { keyFiles: [] },
      prompts: { passphrase: async () => undefined, password: async () => PASSWORD, answer: async () => undefined },
      verifyHostKey: async (key) => key.equals(Buffer.from(hostKey.split(' ')[1], 'base64')),
    };
    lease = pool.lease(request);
  });

  afterEach(async () => {
    for (const shell of shells.splice(0)) {
      shell.close();
    }
    lease.release();
    pool.dispose();
    await sim.close();
  });

  /** Opens a shell and collects what it prints. */
  async function open(cwd?: string, size = { cols: 80, rows: 24 }) {
    const shell = await openShell(lease, { cwd, ...size, term: 'xterm-256color' });
    shells.push(shell);
    let printed = '';
    const chunks: string[] = [];
    shell.onData((text) => {
      chunks.push(text);
      printed += text;
    });
    const exited = new Promise<ShellExit>((resolve) => shell.onExit(resolve));
    const until = async (text: string) => {
      for (let i = 0; i < 500 && !printed.includes(text); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(printed.includes(text), `waited for ${JSON.stringify(text)}, got ${JSON.stringify(printed.slice(-300))}`);
    };
    return { shell, until, exited, printed: () => printed, chunks };
  }

  it('quotes the folder for a POSIX shell: a real sh goes there, runs nothing of its name', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-shell-'));
    try {
      const dir = path.join(base, AWKWARD);
      fs.mkdirSync(dir);
      const fakeShell = path.join(base, 'login-shell');
      fs.writeFileSync(fakeShell, '#!/bin/sh\npwd\necho "args: $*"\n', { mode: 0o755 });
      const run = spawnSync('/bin/sh', ['-c', loginShellCommand(dir)], { cwd: base, env: { PATH: process.env.PATH, SHELL: fakeShell }, encoding: 'utf8' });
      assert.equal(run.stdout, `${dir}\nargs: -l\n`, run.stderr);
      assert.equal(fs.existsSync(path.join(base, 'pwned')), false);
      assert.equal(fs.existsSync(path.join(dir, 'pwned')), false);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('starts in a folder with a space, a quote and $(...) in its name, and answers a typed pwd there', async () => {
    const dir = `${HOME}/${AWKWARD}`;
    fs.mkdirSync(path.join(sim.storageFolder(clusterId), dir), { recursive: true });
    const t = await open(dir);
    await t.until(`admin@login:${dir}$ `);
    t.shell.write('pwd\r');
    await t.until(`pwd\r\n${dir}\r\n`);
  });

  it('starts in the home without a folder', async () => {
    const t = await open();
    await t.until(`admin@login:${HOME}$ `);
  });

  it('asks for the terminal\'s size and tells the server when it changes', async () => {
    const t = await open(HOME, { cols: 100, rows: 30 });
    await t.until('$ ');
    t.shell.resize(120, 40);
    t.shell.write('pwd\r');
    await t.until(`${HOME}\r\n`);
    assert.deepEqual(sim.loginNodes.terminalSizes(clusterId), [{ cols: 100, rows: 30 }, { cols: 120, rows: 40 }]);
  });

  it('reports the shell\'s exit status after its last words', async () => {
    const t = await open();
    await t.until('$ ');
    t.shell.write('exit 3\r');
    assert.deepEqual(await t.exited, { code: 3 });
    assert.ok(t.printed().endsWith('logout\r\n'));
  });

  it('reports a folder it cannot enter as the shell\'s failure, with what the shell said', async () => {
    const t = await open(`${HOME}/nowhere`);
    assert.deepEqual(await t.exited, { code: 1 });
    assert.match(t.printed(), /No such file or directory/);
  });

  it('keeps a character whole when the server splits it between packets', async () => {
    // 3-byte characters far beyond one SSH packet (32 KiB): packet ends fall inside characters.
    const text = '€'.repeat(40_000);
    fs.writeFileSync(path.join(sim.storageFolder(clusterId), HOME, 'euro.txt'), `${text}.\n`);
    const t = await open();
    await t.until('$ ');
    t.shell.write('cat euro.txt\r');
    await t.until('.\r\n');
    assert.ok(t.chunks.length > 2, 'the output came in several pieces');
    assert.ok(!t.printed().includes('\ufffd'), 'no character broken');
    assert.ok(t.printed().includes(`\r\n${text}.\r\n`));
  });

  it('tells a lost connection from an exit, and a close of its own from both', async () => {
    const t = await open();
    await t.until('$ ');
    sim.loginNodes.dropConnections(clusterId);
    const exit = await t.exited;
    assert.ok(exit.lost instanceof SshError && exit.lost.kind === 'dropped', JSON.stringify(exit));
    assert.equal(exit.code, undefined);

    // The lease makes the connection again for the next terminal.
    const again = await open();
    await again.until('$ ');
    again.shell.close();
    assert.deepEqual(await again.exited, {});
  });

  it('fails with an SshError when the login node cannot be reached', async () => {
    await sim.close();
    await assert.rejects(openShell(lease, { cols: 80, rows: 24 }), (error) => error instanceof SshError && error.kind === 'unreachable');
    sim = await startSimulator({ zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 1 });
  });
});
