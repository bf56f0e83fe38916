// The terminal on a login node, under the stand-in for VS Code: it opens the shell in the
// terminal's size and folder, passes keys and sizes through, shows the output with the line
// ends a terminal needs, closes with the shell's status, and stays open after a lost
// connection or a shell that ends at once, connecting again only when the user presses Enter.
import { shown, ThemeIcon, useBundle } from './support/fakeVscode';
import * as assert from 'assert/strict';
import { createLoginTerminal, LoginPseudoterminal, toTerminalLines, type LoginTerminalDeps } from '../../src/output/loginTerminal';
import { startSimulator, type Simulator } from '../../simulator/server';
import { SshPool, type SshLease } from '../../src/ssh/connections';
import { SshError } from '../../src/ssh/errors';
import { openShell, type RemoteShell, type ShellExit, type ShellOptions } from '../../src/ssh/shell';

class FakeShell implements RemoteShell {
  readonly typed: string[] = [];
  readonly sizes: { cols: number; rows: number }[] = [];
  closed = false;
  private data?: (text: string) => void;
  private exit?: (exit: ShellExit) => void;
  write(data: string): void {
    this.typed.push(data);
  }
  resize(cols: number, rows: number): void {
    this.sizes.push({ cols, rows });
  }
  onData(listener: (text: string) => void): void {
    this.data = listener;
  }
  onExit(listener: (exit: ShellExit) => void): void {
    this.exit = listener;
  }
  close(): void {
    this.closed = true;
  }
  print(text: string): void {
    this.data?.(text);
  }
  end(exit: ShellExit): void {
    this.exit?.(exit);
  }
}

/** A lease that counts its releases; the terminal only hands it on and releases it. */
function fakeLease() {
  const lease = { releases: 0, release: () => lease.releases++ };
  return lease;
}

/** A terminal over fake shells: each open takes the next of `results`. */
function harness(results: (FakeShell | SshError)[]) {
  let clock = 0;
  const opens: ShellOptions[] = [];
  const waiting: ((value: void) => void)[] = [];
  const deps: LoginTerminalDeps = {
    openShell: async (_lease, options) => {
      opens.push(options);
      const result = results.shift();
      if (!result) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        throw new SshError('unreachable', 'never answered');
      }
      if (result instanceof SshError) {
        throw result;
      }
      return result;
    },
    now: () => clock,
  };
  const lease = fakeLease();
  const options = createLoginTerminal(lease as unknown as SshLease, { name: 'EHPC: login', cwd: '/home/u/my job' }, deps);
  const pty = options.pty as LoginPseudoterminal;
  let written = '';
  const closes: (number | void)[] = [];
  pty.onDidWrite((text) => (written += text));
  pty.onDidClose((code) => closes.push(code));
  return {
    options,
    pty,
    lease,
    opens,
    closes,
    written: () => written,
    clear: () => (written = ''),
    advance: (ms: number) => (clock += ms),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the terminal on a login node', () => {
  afterEach(() => {
    useBundle('en');
    shown.length = 0;
  });

  it('is a transient terminal with a terminal icon and the name it was given', () => {
    const { options } = harness([]);
    assert.equal(options.name, 'EHPC: login');
    assert.equal(options.isTransient, true);
    assert.ok(options.iconPath instanceof ThemeIcon && options.iconPath.id === 'terminal');
  });

  it('opens the shell in the folder and the size it opens with, passes keys and sizes on', async () => {
    const shell = new FakeShell();
    const t = harness([shell]);
    t.pty.open({ columns: 132, rows: 43 });
    await settle();
    assert.deepEqual(t.opens, [{ cwd: '/home/u/my job', cols: 132, rows: 43, term: 'xterm-256color' }]);
    t.pty.handleInput('ls\r');
    t.pty.setDimensions({ columns: 100, rows: 20 });
    assert.deepEqual(shell.typed, ['ls\r']);
    assert.deepEqual(shell.sizes, [{ cols: 100, rows: 20 }]);
  });

  it('shows the output with CR LF line ends, never doubling the CR the remote sent', async () => {
    const shell = new FakeShell();
    const t = harness([shell]);
    t.pty.open(undefined);
    await settle();
    t.clear();
    shell.print('a\nb\r\nc\r');
    shell.print('\nd\n\n');
    assert.equal(t.written(), 'a\r\nb\r\nc\r\nd\r\n\r\n');
  });

  it('closes with the shell\'s exit status and releases the connection once', async () => {
    const shell = new FakeShell();
    const t = harness([shell]);
    t.pty.open(undefined);
    await settle();
    t.advance(5000);
    shell.end({ code: 3 });
    assert.deepEqual(t.closes, [3]);
    assert.equal(t.lease.releases, 1);
    t.pty.close();
    assert.equal(t.lease.releases, 1);
  });

  it('stays open after a lost connection, and connects again on Enter only', async () => {
    const first = new FakeShell();
    const second = new FakeShell();
    const t = harness([first, second]);
    t.pty.open(undefined);
    await settle();
    t.advance(60_000);
    first.print('u@login:~$ ');
    first.end({ lost: new SshError('dropped', 'gone') });
    assert.deepEqual(t.closes, []);
    assert.match(t.written(), /u@login:~\$ \r\n.*The connection to the login node was lost\.\r\nPress Enter to connect again\./);
    t.pty.handleInput('x');
    await settle();
    assert.equal(t.opens.length, 1, 'no new connection by itself, nor on another key');
    t.pty.handleInput('\r');
    await settle();
    assert.equal(t.opens.length, 2);
    t.pty.handleInput('pwd\r');
    assert.deepEqual(second.typed, ['pwd\r']);
    assert.deepEqual(first.typed, []);
    assert.equal(t.lease.releases, 0, 'the connection is held while the terminal is open');
  });

  it('stays open, with the status, when the shell ends within a second', async () => {
    const shell = new FakeShell();
    const t = harness([shell]);
    t.pty.open(undefined);
    await settle();
    t.advance(300);
    shell.print('cd: /home/u/my job: No such file or directory\r\nlogout\r\n');
    shell.end({ code: 1 });
    assert.deepEqual(t.closes, []);
    assert.match(t.written(), /No such file or directory\r\nlogout\r\n.*ended as soon as it started \(exit code 1\)\.\r\nPress Enter to connect again\./);
  });

  it('says why it could not connect, and does not try again until Enter', async () => {
    const t = harness([new SshError('auth', 'All configured authentication methods failed', { passwordSent: true }), new FakeShell()]);
    t.pty.open(undefined);
    await settle();
    assert.match(t.written(), /Connecting to EHPC: login….*\r\n.*The login node refused the login\.\r\nPress Enter to connect again\./s);
    assert.equal(t.opens.length, 1);
    t.pty.handleInput('\r');
    t.pty.handleInput('\r');
    await settle();
    assert.equal(t.opens.length, 2, 'one new try for the Enter, none for a second one while connecting');
  });

  it('says it in Chinese', async () => {
    useBundle('zh-cn');
    const t = harness([new SshError('hostKey', 'not accepted')]);
    t.pty.open(undefined);
    await settle();
    assert.match(t.written(), /正在连接“EHPC: login”\.\.\./);
    assert.match(t.written(), /登录节点的主机密钥未被接受。\r\n按 Enter 键重新连接。/);
  });

  it('closes the shell and releases the connection when the user closes it, even while connecting', async () => {
    const shell = new FakeShell();
    const t = harness([shell]);
    t.pty.open(undefined);
    await settle();
    t.pty.close();
    assert.ok(shell.closed);
    assert.equal(t.lease.releases, 1);

    const late = new FakeShell();
    let answer!: (shell: RemoteShell) => void;
    const lease = fakeLease();
    const pty = createLoginTerminal(lease as unknown as SshLease, { name: 'x' }, {
      openShell: () => new Promise((resolve) => (answer = resolve)),
      now: () => 0,
    }).pty as LoginPseudoterminal;
    pty.open(undefined);
    pty.close();
    assert.equal(lease.releases, 1);
    answer(late);
    await settle();
    assert.ok(late.closed, 'a shell that opens after the close is closed at once');
  });

  it('turns LF into CR LF only where no CR comes before it', () => {
    assert.equal(toTerminalLines('a\nb', false), 'a\r\nb');
    assert.equal(toTerminalLines('a\r\nb\n\n', false), 'a\r\nb\r\n\r\n');
    assert.equal(toTerminalLines('\nx', true), '\nx');
    assert.equal(toTerminalLines('\nx', false), '\r\nx');
  });

  describe('against the simulator\'s login node', function () {
    this.timeout(20_000);
    let sim: Simulator;
    let pool: SshPool;

    beforeEach(async () => {
      sim = await startSimulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 1, stopDelayMs: 0, sshPassword: 'test-only-ssh-password' });
      pool = new SshPool({ idleMs: 100 });
    });
    afterEach(async () => {
      pool.dispose();
      await sim.close();
    });

    it('shows the prompt in the folder, answers a typed pwd, and closes with the exit status', async () => {
      const clusterId = sim.clusters('jn1a')[0].cluster_id;
      const { host, port } = sim.loginNodes.address(clusterId);
      const lease = pool.lease({
        target: { host, port, username: 'admin' },
        sources: { keyFiles: [] },
        prompts: { passphrase: async () => undefined, password: async () => 'test-only-ssh-password', answer: async () => undefined },
        verifyHostKey: async () => true,
      });
      let clock = 0;
      const pty = createLoginTerminal(lease, { name: 'login', cwd: '/public/home/admin' }, { openShell, now: () => clock }).pty as LoginPseudoterminal;
      let written = '';
      const closed = new Promise<number | void>((resolve) => pty.onDidClose(resolve));
      pty.onDidWrite((text) => (written += text));
      const until = async (text: string) => {
        for (let i = 0; i < 500 && !written.includes(text); i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.ok(written.includes(text), `waited for ${JSON.stringify(text)}, got ${JSON.stringify(written)}`);
      };
      pty.open({ columns: 90, rows: 30 });
      await until('admin@login:/public/home/admin$ ');
      pty.handleInput('pwd\r');
      await until('pwd\r\n/public/home/admin\r\n');
      assert.ok(!written.includes('\r\r\n'), 'no doubled CR');
      clock += 2000;
      pty.handleInput('exit 4\r');
      assert.equal(await closed, 4);
      assert.deepEqual(sim.loginNodes.terminalSizes(clusterId), [{ cols: 90, rows: 30 }]);
    });
  });
});
