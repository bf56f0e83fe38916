// A ProxyCommand from ~/.ssh/config, run as OpenSSH runs it: `/bin/sh -c "exec <command>"`,
// its stdin and stdout the connection's socket. What it prints on stderr goes to the log,
// cut short, never into a message. It is killed when the connection ends.
import { ChildProcess, spawn } from 'child_process';
import { Duplex } from 'stream';

/** How the command ended: its exit code, the signal that ended it, or why it did not start. */
export interface ProxyExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface ProxyProcess {
  /** What the SSH connection reads and writes. */
  readonly sock: Duplex;
  /** How it ended, once it has; undefined while it runs. */
  exit(): ProxyExit | undefined;
  /** Resolves with how it ended, or undefined when it still runs after `ms`. */
  exited(ms: number): Promise<ProxyExit | undefined>;
  /** Called once, when it ends. */
  onExit(listener: (exit: ProxyExit) => void): void;
  kill(): void;
}

/** At most this much of what a command prints on stderr is logged, in lines of at most LINE_CHARS. */
const LOG_CHARS = 4096;
const LINE_CHARS = 300;
/** Lines taken from one chunk: a chunk of empty or one-character lines is not split without end. */
const MAX_LINES = 64;
/** How long a command may take to end by itself once the connection is done with it. */
const END_GRACE_MS = 1000;

/** Runs an expanded ProxyCommand. Not on Windows, which has no /bin/sh: the caller checks. */
export function startProxyCommand(command: string, log: (line: string) => void): ProxyProcess {
  // `exec`, as OpenSSH does: the command itself is the child, and killing it ends it.
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let ended: ProxyExit | undefined;
  const waiting: ((exit: ProxyExit) => void)[] = [];
  const finish = (exit: ProxyExit) => {
    ended ??= exit;
    waiting.splice(0).forEach((wake) => wake(ended!));
  };
  child.on('exit', (code, signal) => finish({ code, signal }));
  child.on('error', (error) => {
    log(`could not be started: ${error.message}`);
    finish({ code: null, signal: null, error });
  });
  logStderr(child, log);
  const sock = new ProxySocket(child);
  return {
    sock,
    exit: () => ended,
    exited: (ms) =>
      ended
        ? Promise.resolve(ended)
        : new Promise((resolve) => {
            const timer = setTimeout(() => resolve(ended), ms);
            waiting.push((exit) => (clearTimeout(timer), resolve(exit)));
          }),
    onExit: (listener) => (ended ? listener(ended) : waiting.push(listener)),
    kill: () => hangUp(child),
  };
}

/** The child's stdout and stdin as one stream; ends both ways when either does. */
class ProxySocket extends Duplex {
  constructor(private readonly child: ChildProcess) {
    super({ allowHalfOpen: false });
    const stdout = child.stdout!;
    stdout.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) {
        stdout.pause();
      }
    });
    stdout.on('end', () => this.push(null));
    stdout.on('error', (error) => this.destroy(error));
    // A command that exited leaves a closed pipe: writing to it is not a crash; its stdout ends.
    child.stdin!.on('error', () => undefined);
  }

  override _read(): void {
    this.child.stdout!.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.child.stdin!.destroyed) {
      return done();
    }
    this.child.stdin!.write(chunk, () => done());
  }

  /** The connection is done with it: its stdin closed, and a command that stays anyway killed soon after. */
  override _final(done: (error?: Error | null) => void): void {
    setTimeout(() => this.destroy(), END_GRACE_MS).unref();
    const stdin = this.child.stdin!;
    if (stdin.destroyed || stdin.writableEnded) {
      return done();
    }
    stdin.end(() => done());
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.child.stdin!.destroy();
    this.child.stdout!.destroy();
    hangUp(this.child);
    done(error);
  }
}

/**
 * SIGHUP, as OpenSSH sends its proxy command when it is done; a command that ignores it is
 * killed a moment later, so that none outlives its connection.
 */
function hangUp(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGHUP');
  setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), END_GRACE_MS).unref();
}

/** Each line the command prints on stderr, to the log, without control characters, until LOG_CHARS. */
function logStderr(child: ChildProcess, log: (line: string) => void): void {
  let logged = 0;
  let partial = '';
  const write = (line: string) => {
    if (logged >= LOG_CHARS) {
      return;
    }
    // eslint-disable-next-line no-control-regex -- a terminal's colour codes and the like are left out of the log
    const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trimEnd().slice(0, LINE_CHARS);
    if (clean === '') {
      return;
    }
    logged += Math.max(clean.length, 64); // short lines count as longer: a flood of them is not logged line by line
    log(logged >= LOG_CHARS ? `${clean} (more not logged)` : clean);
  };
  const stderr = child.stderr!;
  stderr.setEncoding('utf8');
  const onData = (text: string) => {
    if (logged >= LOG_CHARS) {
      // Enough logged: the rest is drained unread, so that a flood costs no work here.
      stderr.off('data', onData);
      stderr.resume();
      return;
    }
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    if (partial.length > LINE_CHARS) {
      write(partial);
      partial = '';
    }
    lines.slice(0, MAX_LINES).forEach(write);
  };
  stderr.on('data', onData);
  stderr.on('end', () => write(partial));
  stderr.on('error', () => undefined);
}
