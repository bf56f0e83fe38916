// A real OpenSSH sshd for the SSH room's tests: started on 127.0.0.1 and a free port with a host
// key made for the run and a configuration of its own in a temporary folder (keys authorized
// from that folder, the run's user allowed to log in), stopped by its PID. Its log (`-e`) is
// kept, so tests can see what it accepted or refused.
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';

/** Where Debian and most systems put the programs; sshd must be started by its absolute path. */
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** A program's absolute path, from PATH and the sbin folders (not on a user's PATH everywhere). */
export function findProgram(name: string): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN, '/usr/bin', '/bin'];
  return folders.map((folder) => join(folder, name)).find((path) => path.startsWith('/') && existsSync(path));
}

export interface KeyPair {
  /** The private key file (OpenSSH format, as ssh-keygen writes it). */
  path: string;
  private: Buffer;
  /** The public key line: `ssh-ed25519 AAAA… comment`. */
  publicLine: string;
  /** The public key's blob, as a host verifier receives it. */
  blob: Buffer;
}

/** A new ed25519 key pair made by ssh-keygen, encrypted when a passphrase is given. */
export function makeKeyPair(path: string, passphrase = ''): KeyPair {
  execFileSync(findProgram('ssh-keygen') ?? 'ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'ehpc-test', '-f', path], { stdio: 'ignore' });
  const publicLine = readFileSync(`${path}.pub`, 'utf8').trim();
  return { path, private: readFileSync(path), publicLine, blob: Buffer.from(publicLine.split(' ')[1], 'base64') };
}

export interface OpensshServer {
  port: number;
  /** The run's temporary folder: keys, configuration, and files for the tests. */
  dir: string;
  hostKey: KeyPair;
  /** Everything sshd logged so far. */
  log(): string;
  /** Adds a public key line to the authorized keys every user logs in with. */
  authorize(publicLine: string): void;
  stop(): Promise<void>;
}

/** A port nothing listens on now (sshd is told it; a race with another program is retried). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startOpensshServer(sshd: string): Promise<OpensshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ehpc-sshd-'));
  try {
    // sshd refuses to start as root without its privilege separation folder (systemd makes it).
    if (process.getuid?.() === 0 && !existsSync('/run/sshd')) {
      mkdirSync('/run/sshd', { mode: 0o755 });
    }
    const hostKey = makeKeyPair(join(dir, 'host_ed25519'));
    writeFileSync(join(dir, 'authorized_keys'), '', { mode: 0o644 });
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      writeFileSync(join(dir, 'sshd_config'), config(dir, port));
      const started = await launch(sshd, dir, port);
      if ('child' in started) {
        return server(started.child, started.output, dir, port, hostKey);
      }
      if (attempt >= 2 || !/Address already in use|Bind to port/i.test(started.log)) {
        throw new Error(`sshd did not start:\n${started.log}`);
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function config(dir: string, port: number): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // The temporary folder is not the user's home: no checks of its owner and modes.
    'StrictModes no',
    // The tests log in as whoever runs them: root in CI. This configuration only lives for the run.
    'PermitRootLogin yes',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    // As root, PAM decides on the account: without it sshd refuses every login, keys too, to an
    // account whose password is locked (`!`), as root's often is. Without root sshd cannot use
    // PAM, nor read the passwords to see a lock.
    `UsePAM ${process.getuid?.() === 0 && existsSync('/etc/pam.d/sshd') ? 'yes' : 'no'}`,
    // VERBOSE: sshd logs each connection, so a test can see one that never reached a login.
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

/** Starts sshd and waits until it listens, or exits (then its log says why). */
function launch(sshd: string, dir: string, port: number): Promise<{ child: ChildProcess; output: string[] } | { log: string }> {
  return new Promise((resolve) => {
    const child = spawn(sshd, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    let settled = false;
    const settle = (value: { child: ChildProcess; output: string[] } | { log: string }) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle({ log: `${output.join('')}\n(not listening after 10 s)` });
    }, 10_000);
    const collect = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes(`Server listening on 127.0.0.1 port ${port}`)) {
        settle({ child, output });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => settle({ log: String(error) }));
    child.on('exit', (code, signal) => settle({ log: `${output.join('')}\n(sshd exited: ${signal ?? code})` }));
  });
}

function server(child: ChildProcess, output: string[], dir: string, port: number, hostKey: KeyPair): OpensshServer {
  const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    port,
    dir,
    hostKey,
    log: () => output.join(''),
    authorize: (publicLine) => writeFileSync(join(dir, 'authorized_keys'), `${publicLine}\n`, { flag: 'a' }),
    stop: async () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGTERM');
        const killed = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(killed);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PasswordUser {
  name: string;
  password: string;
  remove(): void;
}

/**
 * A throwaway system user with a random password, for password logins (sshd checks it against
 * /etc/shadow): only as root, with useradd, chpasswd and userdel. Otherwise, why not.
 */
export function makePasswordUser(home: string): PasswordUser | string {
  if (process.getuid?.() !== 0) {
    return 'the tests do not run as root, so they cannot create a user with a password';
  }
  const [useradd, chpasswd, userdel] = ['useradd', 'chpasswd', 'userdel'].map(findProgram);
  if (!useradd || !chpasswd || !userdel) {
    return 'useradd, chpasswd or userdel is missing';
  }
  const name = `ehpct${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  execFileSync(useradd, ['-M', '-d', home, '-s', '/bin/sh', name], { stdio: 'ignore' });
  try {
    // On stdin, never on a command line or in the output.
    execFileSync(chpasswd, [], { input: `${name}:${password}\n`, stdio: ['pipe', 'ignore', 'ignore'] });
  } catch (error) {
    execFileSync(userdel, ['-f', name], { stdio: 'ignore' });
    throw new Error(`chpasswd failed for the test user: ${(error as Error).message.split('\n')[0]}`);
  }
  return { name, password, remove: () => execFileSync(userdel, ['-f', name], { stdio: 'ignore' }) };
}
