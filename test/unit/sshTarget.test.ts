// The way in to a login node: the setting's `user@host:port` with parts left out, and what
// OpenSSH's reading of ~/.ssh/config adds (asked with arguments, never a shell line).
import * as assert from 'assert/strict';
import { userInfo } from 'os';
import { parseWayIn, resolveHost, splitFiles } from '../../src/ssh/target';

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
});
