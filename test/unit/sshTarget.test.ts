// The way in to a login node: the setting's `user@host:port` with parts left out, and what
// OpenSSH's reading of ~/.ssh/config adds (asked with arguments, never a shell line).
import * as assert from 'assert/strict';
import { userInfo } from 'os';
import { expandProxyCommand, MAX_HOPS, parseWayIn, ResolvedHost, resolveHost, resolveRoute, RouteError, splitFiles } from '../../src/ssh/target';

describe('the way in to a login node', () => {
  it('reads user@host:port with any part left out, and an IPv6 host in brackets', () => {
    assert.deepEqual(parseWayIn('alice@login.example.com:2222'), { user: 'alice', host: 'login.example.com', port: 2222 });
    assert.deepEqual(parseWayIn(':2201'), { port: 2201 });
    assert.deepEqual(parseWayIn('bob@'), { user: 'bob' });
    assert.deepEqual(parseWayIn('my-cluster'), { host: 'my-cluster' });
    assert.deepEqual(parseWayIn('[fe80::1]:22'), { host: 'fe80::1', port: 22 });
  });

  it('refuses what is not one: a port out of range, spaces, a shell word, an option', () => {
    for (const bad of ['', 'a@b:0', 'a@b:65536', 'a b', 'host;rm -rf ~', '$(id)', '-oProxyCommand=x', 'host:port']) {
      assert.equal(parseWayIn(bad), undefined, bad);
    }
  });

  it('takes the host name, port, user and files OpenSSH would use', async () => {
    const asked: string[][] = [];
    const run = (file: string, args: string[]) => {
      asked.push([file, ...args]);
      return Promise.resolve('user carol\nhostname 10.0.0.5\nport 2022\nidentityfile ~/.ssh/cluster_key\nidentityfile ~/.ssh/id_ed25519\nuserknownhostsfile ~/.ssh/known_hosts ~/.ssh/known_hosts2\nglobalknownhostsfile /etc/ssh/ssh_known_hosts\nproxyjump gw@bastion.example.com:2200,ssh://inner\n');
    };
    const resolved = await resolveHost({ host: 'lab', port: 22, username: 'alice' }, '/home/u', run, () => false);
    assert.deepEqual(asked, [['ssh', '-G', '-p', '22', '-l', 'alice', '--', 'lab']]);
    assert.deepEqual(resolved, {
      host: '10.0.0.5',
      name: 'lab',
      port: 2022,
      username: 'alice', // named by the caller (the setting), as on ssh's command line
      identityFiles: ['/home/u/.ssh/cluster_key', '/home/u/.ssh/id_ed25519'],
      knownHostsFiles: ['/home/u/.ssh/known_hosts', '/home/u/.ssh/known_hosts2', '/etc/ssh/ssh_known_hosts'],
      proxyJump: ['gw@bastion.example.com:2200', 'inner'],
    });
  });

  it('reads a known_hosts path with a space, which ssh -G prints unquoted, as the file that exists', () => {
    const files = new Set(['/home/Jane Doe/.ssh/known_hosts', '/etc/ssh/ssh_known_hosts']);
    const exists = (path: string) => files.has(path);
    assert.deepEqual(splitFiles('/home/Jane Doe/.ssh/known_hosts /home/Jane Doe/.ssh/known_hosts2', exists), ['/home/Jane Doe/.ssh/known_hosts', '/home/Jane', 'Doe/.ssh/known_hosts2']);
    assert.deepEqual(splitFiles('/root/.ssh/known_hosts /root/.ssh/known_hosts2', exists), ['/root/.ssh/known_hosts', '/root/.ssh/known_hosts2']);
    assert.deepEqual(splitFiles('/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2', exists), ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
  });

  it('lets ~/.ssh/config name the port and the user when the setting does not, and the run user stand when it names none', async () => {
    const asked: string[][] = [];
    const config = (text: string) => (file: string, args: string[]) => (asked.push(args), Promise.resolve(text));
    const tunnel = await resolveHost({ host: 'lab-tunnel', defaultUser: 'alice' }, '/home/u', config('hostname 127.0.0.1\nport 2222\nuser carol\n'), () => false);
    assert.deepEqual(asked[0], ['-G', '--', 'lab-tunnel']);
    assert.deepEqual([tunnel.host, tunnel.port, tunnel.username], ['127.0.0.1', 2222, 'carol']);
    const plain = await resolveHost({ host: '139.198.1.2', defaultUser: 'alice' }, '/home/u', config(`hostname 139.198.1.2\nport 22\nuser ${userInfo().username}\n`), () => false);
    assert.deepEqual([plain.port, plain.username], [22, 'alice'], 'no User in the config: the run user');
  });

  it('asks for no user when none is given (a jump host): OpenSSH\'s config or the local user decides', async () => {
    const asked: string[][] = [];
    const resolved = await resolveHost({ host: 'bastion', port: 22 }, '/home/u', (file, args) => (asked.push(args), Promise.resolve('hostname bastion.example.com\nuser gw\nport 22\nproxyjump none\n')));
    assert.deepEqual(asked, [['-G', '-p', '22', '--', 'bastion']]);
    assert.equal(resolved.username, 'gw');
    assert.deepEqual(resolved.proxyJump, []);
  });

  it('uses the target as given, with OpenSSH\'s default files, when OpenSSH is not there', async () => {
    const resolved = await resolveHost({ host: '139.198.1.2', port: 22, username: 'alice' }, '/home/u', () => Promise.reject(new Error('spawn ssh ENOENT')));
    assert.equal(resolved.host, '139.198.1.2');
    assert.equal(resolved.username, 'alice');
    assert.ok(resolved.identityFiles.includes('/home/u/.ssh/id_ed25519'));
    assert.ok(resolved.knownHostsFiles.includes('/home/u/.ssh/known_hosts'));
  });

  it('reads ProxyCommand and HostKeyAlias, and takes a ProxyJump over a ProxyCommand, as ssh -G shows them', async () => {
    const config = (text: string) => () => Promise.resolve(text);
    const tunnel = await resolveHost({ host: 'lab' }, '/home/u', config('hostname 10.0.0.5\nport 22\nproxycommand cloudflared access ssh --hostname %h\nhostkeyalias lab-key\nproxyjump none\n'), () => false);
    assert.equal(tunnel.proxyCommand, 'cloudflared access ssh --hostname %h');
    assert.equal(tunnel.hostKeyAlias, 'lab-key');
    const both = await resolveHost({ host: 'lab' }, '/home/u', config('hostname lab\nproxycommand nc %h %p\nproxyjump gw\n'), () => false);
    assert.deepEqual([both.proxyJump, both.proxyCommand], [['gw'], undefined]);
    const none = await resolveHost({ host: 'lab' }, '/home/u', config('hostname lab\nproxycommand none\nhostkeyalias none\n'), () => false);
    assert.deepEqual([none.proxyCommand, none.hostKeyAlias], [undefined, undefined]);
  });
});

describe('the way through jump hosts', () => {
  /** resolveHost over a config given per host, as ssh -G would print it. */
  function configOf(hosts: Record<string, string>) {
    const asked: string[] = [];
    const resolve = (given: { host: string; port?: number; username?: string }) => {
      asked.push(given.host);
      return resolveHost(given, '/home/u', (_file, args) => Promise.resolve(hosts[args[args.length - 1]] ?? `hostname ${args[args.length - 1]}\n`), () => false);
    };
    return { asked, resolve };
  }

  it('follows the first jump host\'s own ProxyJump and ProxyCommand, and not those of the next ones (ssh -J\'s command line wins there)', async () => {
    const { resolve } = configOf({
      lab: 'hostname 10.0.0.5\nproxyjump outer,inner\n',
      outer: 'hostname outer.example.com\nuser gw\nproxyjump edge\n',
      edge: 'hostname edge.example.com\nport 2200\nproxycommand nc -x socks:1080 %h %p\n',
      inner: 'hostname inner.internal\nproxyjump elsewhere\nproxycommand never %h\n',
    });
    const route = await resolveRoute(await resolve({ host: 'lab', username: 'alice' }), resolve);
    assert.deepEqual(route.map((hop) => `${hop.username}@${hop.host}:${hop.port}`), [
      `${userInfo().username}@edge.example.com:2200`,
      'gw@outer.example.com:22',
      `${userInfo().username}@inner.internal:22`,
      'alice@10.0.0.5:22',
    ]);
    assert.deepEqual(route.map((hop) => hop.proxyCommand), ['nc -x socks:1080 %h %p', undefined, undefined, undefined], 'only the first host is reached through a command');
  });

  it('stops a config whose jump hosts lead back to themselves, saying so, instead of following them forever', async () => {
    const loop = configOf({ lab: 'hostname lab\nproxyjump a\n', a: 'hostname a\nproxyjump b\n', b: 'hostname b\nproxyjump a\n' });
    const error = await resolveRoute(await loop.resolve({ host: 'lab' }), loop.resolve).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof RouteError && error.kind === 'loop', String(error));
    assert.ok(loop.asked.length <= 5, `asked ${loop.asked.length} times`);
    const self = configOf({ lab: 'hostname lab\nproxyjump lab\n' });
    await assert.rejects(resolveRoute(await self.resolve({ host: 'lab' }), self.resolve), (e: unknown) => e instanceof RouteError && e.kind === 'loop');
  });

  it('stops a chain longer than it allows, and a hop that is not [user@]host[:port]', async () => {
    const hosts: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      hosts[`h${i}`] = `hostname h${i}\nproxyjump h${i + 1}\n`; // no host twice, and no end
    }
    const long = configOf(hosts);
    await assert.rejects(resolveRoute(await long.resolve({ host: 'h0' }), long.resolve), (e: unknown) => e instanceof RouteError && e.kind === 'tooLong');
    assert.ok(long.asked.length <= MAX_HOPS + 1);
    const flat = configOf({ lab: `hostname lab\nproxyjump ${Array.from({ length: MAX_HOPS }, (_, i) => `j${i}`).join(',')}\n` });
    await assert.rejects(resolveRoute(await flat.resolve({ host: 'lab' }), flat.resolve), (e: unknown) => e instanceof RouteError && e.kind === 'tooLong');
    // A list of 500 jump hosts is refused before any of them is looked up (each look-up runs ssh -G).
    const wide = configOf({ lab: `hostname lab\nproxyjump ${Array.from({ length: 500 }, (_, i) => `j${i}`).join(',')}\n` });
    const target = await wide.resolve({ host: 'lab' });
    const before = wide.asked.length;
    await assert.rejects(resolveRoute(target, wide.resolve), (e: unknown) => e instanceof RouteError && e.kind === 'tooLong');
    assert.equal(wide.asked.length, before);
    const bad = configOf({ lab: 'hostname lab\nproxyjump gw;id\n' });
    await assert.rejects(resolveRoute(await bad.resolve({ host: 'lab' }), bad.resolve), (e: unknown) => e instanceof RouteError && e.kind === 'badHop' && e.hop === 'gw;id');
  });

  it('puts OpenSSH\'s tokens into a ProxyCommand, and only plain names', () => {
    const host: Pick<ResolvedHost, 'host' | 'port' | 'username' | 'name'> = { host: '10.0.0.5', port: 2222, username: 'alice', name: 'lab' };
    assert.equal(expandProxyCommand('ssh -W %h:%p -l %r gw # %n 100%%', host), 'ssh -W 10.0.0.5:2222 -l alice gw # lab 100%');
    assert.equal(expandProxyCommand('nc [%h]:%p', { ...host, host: 'fe80::1' }), 'nc [fe80::1]:2222');
    assert.throws(() => expandProxyCommand('nc %h %p %C', host), /%C/);
    assert.throws(() => expandProxyCommand('nc %h %p %', host), RangeError);
    assert.throws(() => expandProxyCommand('nc %h %p', { ...host, host: 'x;touch /tmp/y' }), /not a plain name/);
    assert.throws(() => expandProxyCommand('ssh -l %r gw', { ...host, username: '$(id)' }), /not a plain name/);
    assert.equal(expandProxyCommand('nc $(id) %p', { ...host, username: '$(id)' }), 'nc $(id) 2222', "the user's own words stay as written; an unused token is not checked");
  });
});
