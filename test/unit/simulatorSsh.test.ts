// The simulator's login nodes over real SSH, with ssh2's client: logins by password,
// keyboard-interactive and public key, host keys, dropped connections, read-only SFTP over the
// cluster's storage (a job's output growing on the simulator's clock), and the small shell.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client, utils, type ClientChannel, type ConnectConfig, type SFTPWrapper, type Stats } from 'ssh2';
import { newHostKey, newKeyPair } from '../../simulator/hostKeys';
import { startSimulator, type Simulator } from '../../simulator/server';
import { call, manualClock } from './support/simulatorCall';

const START = '2025-07-01T08:00:00Z';
const ZONE = 'jn1a';
const PASSWORD = 'test-only-ssh-password';

/** The base64 blob of a `type AAAA…` public key line. */
const blobOf = (line: string) => Buffer.from(line.split(' ')[1], 'base64');

describe('simulator: the login nodes\' SSH', function () {
  // A handshake takes a few hundred ms on a busy machine.
  this.timeout(20_000);
  let sim: Simulator;
  let clusterId: string;
  let clock: ReturnType<typeof manualClock>;
  const clients: Client[] = [];

  beforeEach(async () => {
    clock = manualClock(START);
    sim = await startSimulator({
      zones: [ZONE], clustersPerZone: 2, jobsPerCluster: 4, now: clock.now, stopDelayMs: 0, sshPassword: PASSWORD,
      lifecycle: { startAfterMs: 1000, runMs: 20_000 },
    });
    clusterId = sim.clusters(ZONE)[0].cluster_id;
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) {
      client.end();
    }
    await sim.close();
  });

  /** Connects to the cluster's login node; host keys are checked against the simulator's. */
  function connect(config: ConnectConfig, id = clusterId): Promise<Client> {
    const { host, port, hostKey } = sim.loginNodes.address(id);
    const client = new Client();
    clients.push(client);
    return new Promise((resolve, reject) => {
      client.once('ready', () => resolve(client)).once('error', reject);
      client.connect({ host, port, username: 'admin', hostVerifier: (key: Buffer) => key.equals(blobOf(hostKey)), readyTimeout: 5000, ...config });
    });
  }
  const sftpOf = (client: Client) => new Promise<SFTPWrapper>((resolve, reject) => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
  const statOf = (sftp: SFTPWrapper, p: string) => new Promise<Stats>((resolve, reject) => sftp.stat(p, (err, stats) => (err ? reject(err) : resolve(stats))));
  const realpath = (sftp: SFTPWrapper, p: string) => new Promise<string>((resolve, reject) => sftp.realpath(p, (err, r) => (err ? reject(err) : resolve(r))));
  const readFile = (sftp: SFTPWrapper, p: string) => new Promise<Buffer>((resolve, reject) => sftp.readFile(p, (err, data) => (err ? reject(err) : resolve(data))));
  const errorCode = (promise: Promise<unknown>) => promise.then(() => 'no error', (err: { code?: unknown }) => err.code);
  const submit = async (fields: Record<string, unknown> = {}) => {
    const res = await call(sim, 'POST', '/api/job/submitJob', {}, { zone: ZONE, cluster_id: clusterId, name: 'train', run_user: 'admin', cmd_line: 'python train.py', ...fields }, { now: clock.now() });
    assert.equal(res.json.ret_code, 0, JSON.stringify(res.json));
    return sim.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === res.json.hpcjob_uuid)!;
  };

  describe('logging in', () => {
    it('listens on 127.0.0.1, a port per cluster, with an ed25519 host key', () => {
      const clusters = sim.clusters(ZONE);
      const addresses = clusters.map((c) => sim.loginNodes.address(c.cluster_id));
      assert.ok(addresses.every((a) => a.host === '127.0.0.1' && a.port > 0 && a.hostKey.startsWith('ssh-ed25519 ') && a.fingerprint.startsWith('SHA256:')));
      assert.equal(new Set(addresses.map((a) => a.port)).size, clusters.length);
      assert.equal(new Set(addresses.map((a) => a.hostKey)).size, clusters.length);
    });

    it('takes a user\'s password, and a keyboard-interactive answer to one "Password:" prompt', async () => {
      await connect({ password: PASSWORD });
      const prompts: string[] = [];
      const client = new Client();
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once('ready', () => resolve()).once('error', reject);
        client.on('keyboard-interactive', (_name, _instructions, _lang, asked, finish) => {
          prompts.push(...asked.map((p) => p.prompt));
          finish([PASSWORD]);
        });
        const { host, port } = sim.loginNodes.address(clusterId);
        client.connect({ host, port, username: 'hpcuser', tryKeyboard: true, hostVerifier: () => true, readyTimeout: 5000 });
      });
      assert.deepEqual(prompts, ['Password: ']);
      const attempts = sim.loginNodes.authAttempts(clusterId);
      assert.ok(attempts.some((a) => a.method === 'password' && a.username === 'admin' && a.accepted));
      assert.ok(attempts.some((a) => a.method === 'keyboard-interactive' && a.username === 'hpcuser' && a.accepted));
    });

    it('takes a public key the test authorized, checking its signature', async () => {
      const pair = newKeyPair();
      await assert.rejects(connect({ privateKey: pair.private }), /authentication methods failed/);
      sim.loginNodes.authorizeKey(clusterId, 'admin', pair.public);
      await connect({ privateKey: pair.private });
      assert.deepEqual(sim.loginNodes.authAttempts(clusterId).map((a) => [a.method, a.accepted]), [['publickey', false], ['publickey', true]]);
      const other = newKeyPair();
      await assert.rejects(connect({ privateKey: other.private }), /authentication methods failed/);
    });

    it('refuses a wrong password once, counted, as sshd does; a password the test set replaces the default', async () => {
      await assert.rejects(connect({ password: 'wrong' }), (err: { level?: string }) => err.level === 'client-authentication');
      assert.deepEqual(sim.loginNodes.authAttempts(clusterId), [{ username: 'admin', method: 'password', accepted: false }]);
      sim.loginNodes.setPassword(clusterId, 'admin', 'another');
      await assert.rejects(connect({ password: PASSWORD }));
      await connect({ password: 'another' });
      await assert.rejects(connect({ username: 'nobody', password: PASSWORD }));
      assert.equal(sim.loginNodes.authAttempts(clusterId).filter((a) => !a.accepted).length, 3);
    });

    it('presents a replaced host key to new connections', async () => {
      const before = sim.loginNodes.address(clusterId);
      const after = sim.loginNodes.replaceHostKey(clusterId);
      assert.equal(after.port, before.port);
      assert.notEqual(after.hostKey, before.hostKey);
      assert.notEqual(after.fingerprint, before.fingerprint);
      let seen: Buffer | undefined;
      await connect({ password: PASSWORD, hostVerifier: (key: Buffer) => ((seen = key), true) });
      assert.ok(seen?.equals(blobOf(after.hostKey)));
      await assert.rejects(connect({ password: PASSWORD, hostVerifier: (key: Buffer) => key.equals(blobOf(before.hostKey)) }), /verification failed/);
    });

    it('keeps the host keys in a file when given one: the next simulator presents the same', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-hostkeys-'));
      try {
        const file = path.join(dir, 'host-keys.json');
        const first = await startSimulator({ zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 1, hostKeyFile: file });
        const id = first.clusters(ZONE)[0].cluster_id;
        const key = first.loginNodes.address(id).hostKey;
        await first.close();
        const second = await startSimulator({ zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 1, hostKeyFile: file });
        assert.equal(second.loginNodes.address(id).hostKey, key);
        await second.close();
        assert.equal(fs.statSync(file).mode & 0o077, 0, 'private keys readable by their owner only');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('drops every open connection when told, and takes new ones after', async () => {
      const client = await connect({ password: PASSWORD });
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      assert.equal(sim.loginNodes.connections(clusterId).open, 1);
      assert.equal(sim.loginNodes.dropConnections(), 1);
      await closed;
      await connect({ password: PASSWORD });
      assert.deepEqual(sim.loginNodes.connections(clusterId), { accepted: 2, open: 1 });
    });

    it('closes with the simulator', async () => {
      const client = await connect({ password: PASSWORD });
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      const { port } = sim.loginNodes.address(clusterId);
      await sim.close();
      await closed;
      await assert.rejects(connect({ password: PASSWORD, port }), /ECONNREFUSED/);
    });
  });

  describe('SFTP over the cluster\'s storage', () => {
    it('starts in the user\'s home, reads a script createJobFile wrote, and refuses every write', async () => {
      const script = '#!/bin/bash\n#SBATCH -J train\npython train.py\n';
      const res = await call(sim, 'POST', '/api/job/createJobFile', {}, { zone: ZONE, cluster_id: clusterId, file_type: 'plain', file_value: script, target_file: '/public/home/admin/jobs/train.sh' }, { now: clock.now() });
      assert.equal(res.json.ret_code, 0);
      const sftp = await sftpOf(await connect({ password: PASSWORD }));
      assert.equal(await realpath(sftp, '.'), '/public/home/admin');
      assert.equal((await readFile(sftp, 'jobs/train.sh')).toString(), script);
      const names = await new Promise<string[]>((resolve, reject) => sftp.readdir('/public/home/admin/jobs', (err, list) => (err ? reject(err) : resolve(list.map((e) => e.filename)))));
      assert.deepEqual(names.filter((n) => !n.startsWith('.')), ['train.sh']);
      const PERMISSION_DENIED = 3;
      assert.equal(await errorCode(new Promise((resolve, reject) => sftp.open('jobs/new.txt', 'w', (err, h) => (err ? reject(err) : resolve(h))))), PERMISSION_DENIED);
      assert.equal(await errorCode(new Promise((resolve, reject) => sftp.unlink('jobs/train.sh', (err) => (err ? reject(err) : resolve(undefined))))), PERMISSION_DENIED);
      assert.equal(await errorCode(new Promise((resolve, reject) => sftp.mkdir('jobs/x', (err) => (err ? reject(err) : resolve(undefined))))), PERMISSION_DENIED);
      assert.equal(fs.readFileSync(path.join(sim.storageFolder(clusterId), 'public/home/admin/jobs/train.sh'), 'utf8'), script);
    });

    it('shows a running job\'s output growing on the simulator\'s clock, only the new bytes read, EOF at its end', async () => {
      const job = await submit();
      const sftp = await sftpOf(await connect({ password: PASSWORD }));
      const NO_SUCH_FILE = 2;
      assert.equal(await errorCode(statOf(sftp, job.stdout_redirect_path)), NO_SUCH_FILE, 'not there while pending');
      clock.advance(1000 + 3000);
      const handle = await new Promise<Buffer>((resolve, reject) => sftp.open(job.stdout_redirect_path, 'r', (err, h) => (err ? reject(err) : resolve(h))));
      const fstat = () => new Promise<Stats>((resolve, reject) => sftp.fstat(handle, (err, s) => (err ? reject(err) : resolve(s))));
      const read = (offset: number, length: number) => new Promise<Buffer>((resolve, reject) =>
        sftp.read(handle, Buffer.alloc(length), 0, length, offset, (err, n, buffer) => (err ? reject(err) : resolve(buffer.subarray(0, n)))));
      const first = await fstat();
      const text = (await read(0, first.size)).toString();
      assert.deepEqual(text.split('\n').slice(1), ['step 1/20: loss 1.818', 'step 2/20: loss 1.667', 'step 3/20: loss 1.538', '']);
      assert.equal((await read(first.size, 100)).length, 0, 'EOF at the end');
      clock.advance(2000);
      const second = await fstat();
      assert.ok(second.size > first.size);
      assert.equal((await read(first.size, second.size - first.size)).toString(), 'step 4/20: loss 1.429\nstep 5/20: loss 1.333\n');
      clock.advance(60_000);
      const last = (await readFile(sftp, job.stdout_redirect_path)).toString().trimEnd().split('\n').at(-1);
      assert.match(last ?? '', /^done: job \d+ finished at /);
      assert.equal((await statOf(sftp, job.stderr_redirect_path)).size > 0, true, 'warnings on the error file');
    });

    it('keeps ".." inside the cluster\'s storage and refuses a symlink that leads out', async () => {
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-outside-'));
      try {
        fs.writeFileSync(path.join(outside, 'secret'), 'host file');
        const home = path.join(sim.storageFolder(clusterId), 'public/home/admin');
        fs.symlinkSync(outside, path.join(home, 'out'));
        fs.writeFileSync(path.join(sim.storageFolder(clusterId), 'at-root'), 'the cluster\'s own');
        const sftp = await sftpOf(await connect({ password: PASSWORD }));
        assert.equal(await realpath(sftp, '../../../../../..'), '/');
        assert.equal((await readFile(sftp, '../../../../../../at-root')).toString(), 'the cluster\'s own');
        assert.equal(await errorCode(statOf(sftp, `../../../../../..${outside}/secret`)), 2, 'the host\'s path is not the cluster\'s');
        assert.equal(await errorCode(readFile(sftp, 'out/secret')), 3);
        assert.equal(await errorCode(statOf(sftp, 'out')), 3);
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });
  });

  describe('the shell', () => {
    /** Opens a terminal (pty) with `open`, and collects what it prints. */
    async function terminal(open: (client: Client, cb: (err: Error | undefined, channel: ClientChannel) => void) => void) {
      const client = await connect({ password: PASSWORD });
      let printed = '';
      let exited!: Promise<number>;
      let closed!: Promise<void>;
      // Listened to as the channel opens: a short exec's output and exit may come in the same packet.
      const channel = await new Promise<ClientChannel>((resolve, reject) => open(client, (err, ch) => {
        if (err) {
          return reject(err);
        }
        ch.on('data', (chunk: Buffer) => (printed += chunk.toString()));
        exited = new Promise<number>((done) => ch.once('exit', (code: number) => done(code)));
        closed = new Promise<void>((done) => ch.once('close', () => done()));
        resolve(ch);
      }));
      const until = async (text: string) => {
        for (let i = 0; i < 200 && !printed.includes(text); i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.ok(printed.includes(text), `waited for ${JSON.stringify(text)}, got ${JSON.stringify(printed)}`);
      };
      return { channel, until, printed: () => printed, exited: () => exited, closed: () => closed };
    }

    it('prints its prompt in the home, echoes typed characters, takes backspace, runs pwd, ls, cat, tail and exit', async () => {
      const job = await submit();
      clock.advance(1000 + 12_000);
      const t = await terminal((client, cb) => client.shell({ term: 'xterm-256color', cols: 100, rows: 30 }, cb));
      await t.until('admin@login:/public/home/admin$ ');
      t.channel.write('pwdd\x7f\r');
      await t.until('pwdd\b \b\r\n/public/home/admin\r\n');
      t.channel.write(`ls\r`);
      await t.until(`${path.posix.basename(job.stdout_redirect_path)}\r\n`);
      t.channel.write(`tail -n 2 ${path.posix.basename(job.stdout_redirect_path)}\r`);
      await t.until('step 11/20: loss 0.952\r\nstep 12/20: loss 0.909\r\n');
      t.channel.write('cd /nowhere\r');
      await t.until('cd: /nowhere: No such file or directory');
      t.channel.write('exit 3\r');
      assert.equal(await t.exited(), 3);
      assert.deepEqual(sim.loginNodes.terminalSizes(clusterId), [{ cols: 100, rows: 30 }]);
    });

    it('starts in a quoted folder for `cd \'<dir>\' && exec $SHELL -l`, and reports window changes', async () => {
      const dir = "/public/home/admin/it's a dir";
      fs.mkdirSync(path.join(sim.storageFolder(clusterId), dir), { recursive: true });
      const quoted = `'${dir.replace(/'/g, "'\\''")}'`;
      const t = await terminal((client, cb) => client.exec(`cd ${quoted} && exec $SHELL -l`, { pty: { term: 'xterm-256color', cols: 80, rows: 24 } }, cb));
      await t.until(`admin@login:${dir}$ `);
      t.channel.setWindow(40, 120, 0, 0);
      t.channel.write('pwd\r');
      await t.until(`${dir}\r\n`);
      assert.deepEqual(sim.loginNodes.terminalSizes(clusterId), [{ cols: 80, rows: 24 }, { cols: 120, rows: 40 }]);
    });

    it('runs another exec\'s line and exits with its status; no command of the host\'s runs', async () => {
      const run = async (command: string) => {
        const t = await terminal((client, cb) => client.exec(command, cb));
        const code = await t.exited();
        await t.closed();
        return { code, printed: t.printed() };
      };
      assert.deepEqual(await run('cd /public/home && pwd'), { code: 0, printed: '/public/home\n' });
      assert.equal((await run('uname -a')).code, 127);
      assert.equal((await run('cd /nowhere && pwd')).code, 1);
    });
  });
});

describe('simulator: host keys', function () {
  // 2000 keys: about a second alone, several on a machine busy with other work.
  this.timeout(20_000);
  it('makes only keys ssh2 reads back (it refuses some it generates)', () => {
    for (let i = 0; i < 2000; i++) {
      assert.ok(!(utils.parseKey(newHostKey().privateKey) instanceof Error));
    }
  });
});
