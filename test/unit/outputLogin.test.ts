// Logging in to a job's login node for the user: whose password goes where, a keyring that
// cannot be read, the host key question, and addresses from listNodes that are not addresses.
import './support/fakeVscode';
import * as assert from 'assert/strict';
import * as fake from './support/fakeVscode';
import { JobRef } from '../../src/ehpc/batch';
import { LoginNodes } from '../../src/output/login';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { utils } from 'ssh2';
import { readableKeyPair, startTestSshServer, TestSshServer } from './support/sshTestServer';
import { knownHostsLine } from '../../src/ssh/knownHosts';
import { resolveHost } from '../../src/ssh/target';

const PASSWORD = 'pw of alice';

function memento() {
  const values = new Map<string, unknown>();
  return { get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback), update: (key: string, value: unknown) => (values.set(key, value), Promise.resolve()), keys: () => [...values.keys()] };
}

function secrets(broken = false) {
  const values = new Map<string, string>();
  return {
    values,
    get: (key: string) => (broken ? Promise.reject(new Error('no keyring')) : Promise.resolve(values.get(key))),
    store: (key: string, value: string) => (values.set(key, value), Promise.resolve()),
    delete: (key: string) => (values.delete(key), Promise.resolve()),
    onDidChange: () => ({ dispose() {} }),
  };
}

describe('logging in to a job\'s login node', function () {
  this.timeout(20_000);
  let server: TestSshServer;
  const asked: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

  beforeEach(async () => {
    server = await startTestSshServer({ alice: { password: PASSWORD } });
    asked.length = 0;
    fake.settings.set('ehpc.ssh.loginNodes', { 'ehpc-a': `127.0.0.1:${server.port}`, 'ehpc-b': `127.0.0.1:${server.port}` });
  });

  afterEach(async () => {
    fake.settings.delete('ehpc.ssh.loginNodes');
    await server.close();
  });

  function logins(options: {
    secrets?: ReturnType<typeof secrets>;
    keep?: () => Promise<boolean>;
    node?: { eip?: string; privateIp?: string };
    passphrase?: string;
    keepPassphrase?: boolean;
    /** ~/.ssh/config as `ssh -G` prints it, per host. */
    sshConfig?: Record<string, string>;
    passwords?: { jumpHost: string };
    globalState?: ReturnType<typeof memento>;
  } = {}) {
    const config = options.sshConfig;
    const said = (role: string | undefined) => (role === 'jumpHost' ? ' (jump host)' : '');
    return new LoginNodes({
      ...(config
        ? { resolveHost: (given) => resolveHost(given, '/home/u', (_file, args) => Promise.resolve(config[args[args.length - 1]] ?? `hostname ${args[args.length - 1]}\n`), () => false) }
        : {}),
      accounts: { connection: () => ({ client: () => Promise.resolve({ loginNode: () => Promise.resolve({ nodeId: 'cln-1', name: 'login', role: 'login', ...options.node }) }) }) } as never,
      prompts: () => ({
        trustHostKey: (host: string, _type: string, _fingerprint: string, knownTypes: readonly string[], role?: string) => (asked.push(`trust ${host} ${knownTypes.join(',')}${said(role)}`), Promise.resolve(true)),
        sshPassword: (who: string, role?: string) => (asked.push(`password ${who}${said(role)}`), Promise.resolve(role === 'jumpHost' && options.passwords ? options.passwords.jumpHost : PASSWORD)),
        sshPassphrase: (path: string) => (asked.push(`passphrase ${path}`), Promise.resolve(options.passphrase)),
        sshAnswer: () => Promise.resolve(undefined),
        keepSshPassword: (who: string, role?: string) => (asked.push('keep?', `keep ${who}${said(role)}`), options.keep ? options.keep() : Promise.resolve(false)),
        pickHostKeys: () => Promise.resolve(undefined),
        keepSshPassphrase: (path: string) => (asked.push(`keep passphrase ${path}`), Promise.resolve(options.keepPassphrase ?? false)),
      }),
      secrets: (options.secrets ?? secrets()),
      globalState: options.globalState ?? memento(),
      log: log as never,
    });
  }

  const job = (clusterId: string, account = 'work'): JobRef => ({ account, zone: 'jn1a', clusterId, hpcjobUuid: `hpcjob-${clusterId}`, name: 'train' });

  it('never offers a password typed for one cluster to another cluster\'s node, nor shares its connection', async () => {
    const nodes = logins();
    const a = await nodes.login(job('ehpc-a'), 'alice');
    const b = await nodes.login(job('ehpc-b', 'personal'), 'alice');
    assert.deepEqual(asked.filter((q) => q.startsWith('password')), [`password alice@127.0.0.1:${server.port}`, `password alice@127.0.0.1:${server.port}`]);
    assert.equal(server.connections, 2);
    a.lease.release();
    b.lease.release();
    nodes.dispose();
  });

  it('asks the password when the keyring cannot be read, instead of waiting for it', async () => {
    const nodes = logins({ secrets: secrets(true) });
    const login = await nodes.login(job('ehpc-a'), 'alice');
    assert.equal(login.home, '/home/alice');
    assert.ok(asked.some((q) => q.startsWith('password')));
    login.lease.release();
    nodes.dispose();
  });

  it('opens without waiting for the answer to "keep the password?"', async () => {
    const nodes = logins({ keep: () => new Promise<boolean>(() => undefined) });
    const login = await nodes.login(job('ehpc-a'), 'alice'); // resolves: the question is still open
    for (let i = 0; i < 50 && !asked.includes('keep?'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(asked.includes('keep?'), 'the question was asked, beside the tab');
    login.lease.release();
    nodes.dispose();
  });

  it('keeps a key\'s passphrase when asked to, and opens the key with it next time without asking', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-home-'));
    const pair = readableKeyPair(() => utils.generateKeyPairSync('ed25519', { passphrase: 'words', cipher: 'aes256-cbc', rounds: 4 }), 'words');
    fs.mkdirSync(path.join(home, '.ssh'));
    const keyFile = path.join(home, '.ssh', 'id_ed25519');
    fs.writeFileSync(keyFile, pair.private, { mode: 0o600 });
    server.users.set('alice', { keys: [pair.public] });
    const previousHome = process.env.HOME;
    process.env.HOME = home; // OpenSSH (ssh -G) and the defaults then name this key file
    const store = secrets();
    try {
      const first = logins({ secrets: store, passphrase: 'words', keepPassphrase: true });
      const login = await first.login(job('ehpc-a'), 'alice');
      for (let i = 0; i < 50 && store.values.size === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(store.values.get(`ehpc.ssh.passphrase/${keyFile}`), 'words');
      login.lease.release();
      first.dispose();
      asked.length = 0;
      const second = logins({ secrets: store });
      const again = await second.login(job('ehpc-a'), 'alice');
      assert.deepEqual(asked.filter((q) => q.startsWith('passphrase') || q.startsWith('password')), []);
      again.lease.release();
      second.dispose();
    } finally {
      process.env.HOME = previousHome;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('logs in only to an address listNodes gives as an address', async () => {
    fake.settings.set('ehpc.ssh.loginNodes', { 'ehpc-a': `:${server.port}` });
    const nodes = logins({ node: { eip: '1.2.3.4;touch /tmp/x', privateIp: '127.0.0.1' } });
    const login = await nodes.login(job('ehpc-a'), 'alice');
    assert.equal(login.target.host, '127.0.0.1', 'the public "address" is not one: the private one is used');
    login.lease.release();
    nodes.dispose();
    const none = logins({ node: { eip: '$(id)' } });
    await assert.rejects(none.login(job('ehpc-a'), 'alice'), /lists no login node with an address/);
    none.dispose();
  });

  it('says "jump host" when asking about one, and offers to keep its password too', async () => {
    const jump = await startTestSshServer({ gw: { password: 'gate' } });
    try {
      fake.settings.set('ehpc.ssh.loginNodes', { 'ehpc-a': 'lab' });
      const store = secrets();
      const nodes = logins({
        secrets: store,
        keep: () => Promise.resolve(true),
        passwords: { jumpHost: 'gate' },
        sshConfig: { lab: `hostname 127.0.0.1\nport ${server.port}\nproxyjump gw@bastion:${jump.port}\n`, bastion: 'hostname 127.0.0.1\n' },
      });
      const login = await nodes.login(job('ehpc-a'), 'alice');
      assert.equal(login.home, '/home/alice');
      for (let i = 0; i < 100 && store.values.size < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.deepEqual(asked.filter((q) => !q.startsWith('keep?')), [
        `trust 127.0.0.1:${jump.port}  (jump host)`,
        `password gw@127.0.0.1:${jump.port} (jump host)`,
        `trust 127.0.0.1:${server.port} `,
        `password alice@127.0.0.1:${server.port}`,
        'keep alice@127.0.0.1',
        'keep gw@127.0.0.1 (jump host)',
      ]);
      assert.deepEqual([...store.values.entries()].sort(), [
        [`ehpc.ssh.password/work/ehpc-a/alice@127.0.0.1:${server.port}`, PASSWORD],
        [`ehpc.ssh.password/work/ehpc-a/gw@127.0.0.1:${jump.port}`, 'gate'],
      ]);
      login.lease.release();
      nodes.dispose();
    } finally {
      await jump.close();
    }
  });

  it('looks a host with a HostKeyAlias up by the alias alone whatever its port, as OpenSSH does, and keeps an accepted key by it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-alias-'));
    try {
      const knownFile = path.join(dir, 'known_hosts');
      fs.writeFileSync(knownFile, `${knownHostsLine('lab-key', 22, server.hostKey)}\n`); // as ssh writes it with HostKeyAlias
      fake.settings.set('ehpc.ssh.loginNodes', { 'ehpc-a': 'lab' });
      const lab = `hostname 127.0.0.1\nport ${server.port}\nhostkeyalias lab-key\nuserknownhostsfile ${knownFile}\n`;
      const known = logins({ sshConfig: { lab } });
      const login = await known.login(job('ehpc-a'), 'alice');
      assert.deepEqual(asked.filter((q) => q.startsWith('trust')), [], 'known by its alias: not asked');
      login.lease.release();
      known.dispose();

      fs.writeFileSync(knownFile, '');
      asked.length = 0;
      const state = memento();
      const unknown = logins({ sshConfig: { lab }, globalState: state });
      const again = await unknown.login(job('ehpc-a'), 'alice');
      assert.deepEqual(asked.filter((q) => q.startsWith('trust')), [`trust lab-key (127.0.0.1:${server.port}) `]);
      assert.deepEqual(state.get<string[]>('ehpc.ssh.acceptedHostKeys'), [knownHostsLine('lab-key', 22, server.hostKey)]);
      assert.match(knownHostsLine('lab-key', 22, server.hostKey), /^lab-key ssh-ed25519 /);
      again.lease.release();
      unknown.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs in through a ProxyCommand with its tokens put in, and says which one failed and how', async () => {
    fake.settings.set('ehpc.ssh.loginNodes', { 'ehpc-a': 'lab' });
    const pipe = `'${process.execPath}' -e 'const s = require("net").connect(Number(process.argv[2]), process.argv[1]); process.stdin.pipe(s); s.pipe(process.stdout);' %h %p`;
    const through = logins({ sshConfig: { lab: `hostname 127.0.0.1\nport ${server.port}\nproxycommand ${pipe}\n` } });
    const login = await through.login(job('ehpc-a'), 'alice');
    assert.equal(login.home, '/home/alice');
    assert.equal(server.connections, 1);
    login.lease.release();
    through.dispose();

    const failing = logins({ sshConfig: { lab: `hostname 127.0.0.1\nport ${server.port}\nproxycommand sh -c "echo secret-ish >&2; exit 3"\n` } });
    const error = await failing.login(job('ehpc-a'), 'alice').then(() => undefined, (e: unknown) => e as Error);
    assert.equal(error?.message, `The ProxyCommand of 127.0.0.1:${server.port} in your SSH config failed (exit code 3) before the connection was made. What it printed is in the EHPC log.`);
    failing.dispose();
  });

  it('says a config whose jump hosts lead back to themselves is one, instead of connecting', async () => {
    fake.settings.set('ehpc.ssh.loginNodes', { 'ehpc-a': 'lab' });
    const nodes = logins({ sshConfig: { lab: 'hostname lab\nproxyjump a\n', a: 'hostname a\nproxyjump lab\n' } });
    await assert.rejects(nodes.login(job('ehpc-a'), 'alice'), /jump hosts in your SSH config lead back to themselves/);
    assert.equal(server.connections, 0);
    nodes.dispose();
  });
});

describe('forgetting host keys accepted here', () => {
  it('forgets the keys picked, and keeps one accepted while the pick was open', async () => {
    const { forgetHostKeys } = await import('../../src/commands/jobOutput');
    const { ACCEPTED_HOST_KEYS } = await import('../../src/output/login');
    const blob = (n: number) => Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, n)]).toString('base64');
    const state = new Map<string, unknown>([[ACCEPTED_HOST_KEYS, [`old-node ssh-ed25519 ${blob(1)}`, `other ssh-ed25519 ${blob(2)}`]]]);
    const globalState = { get: <T>(key: string, fallback?: T) => (state.has(key) ? (state.get(key) as T) : fallback), update: (key: string, value: unknown) => (state.set(key, value), Promise.resolve()), keys: () => [...state.keys()] };
    const prompts = {
      pickHostKeys: (keys: readonly { host: string }[]) => {
        assert.deepEqual(keys.map((key) => key.host), ['old-node', 'other']);
        state.set(ACCEPTED_HOST_KEYS, [...(state.get(ACCEPTED_HOST_KEYS) as string[]), `new-node ssh-ed25519 ${blob(3)}`]); // another window accepts one meanwhile
        return Promise.resolve([0]);
      },
    };
    assert.equal(await forgetHostKeys({ globalState, prompts } as never), 1);
    assert.deepEqual((state.get(ACCEPTED_HOST_KEYS) as string[]).map((line) => line.split(' ')[0]), ['other', 'new-node']);
  });
});
