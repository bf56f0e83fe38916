// A terminal's session on a login node: a pty on the node's shared connection, started in a
// folder when one is given. The folder goes to the remote shell quoted, so that a path with
// spaces, quotes or `$(...)` in it is only ever a path.
import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2';
import { StringDecoder } from 'string_decoder';
import type { SshLease } from './connections';
import { SshError, sshErrorOf } from './errors';
import { shellQuote } from './paths';

export interface ShellOptions {
  /** The folder to start in; the user's home when absent. */
  cwd?: string;
  cols: number;
  rows: number;
  /** ssh2's default is vt100, which garbles colours and line drawing in today's shells. */
  term?: 'xterm-256color';
}

/** How a shell ended: its status, the signal that ended it, or the connection lost under it. */
export interface ShellExit {
  code?: number;
  signal?: string;
  lost?: SshError;
}

export interface RemoteShell {
  /** What the user types, as the terminal gives it. */
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** What the shell prints (output and error alike), as text; a character split between packets arrives whole. */
  onData(listener: (text: string) => void): void;
  /** Once, after the last output. */
  onExit(listener: (exit: ShellExit) => void): void;
  close(): void;
}

/** The command that starts the user's login shell in `cwd`: its own shell reads the folder as one quoted word. */
export function loginShellCommand(cwd: string): string {
  return `cd ${shellQuote(cwd)} && exec "$SHELL" -l`;
}

export async function openShell(lease: SshLease, options: ShellOptions): Promise<RemoteShell> {
  let client: Client;
  try {
    client = await lease.client();
  } catch (error) {
    throw sshErrorOf(error, false);
  }
  const pty: PseudoTtyOptions = { term: options.term ?? 'xterm-256color', cols: options.cols, rows: options.rows, width: 0, height: 0 };
  return new Promise<RemoteShell>((resolve, reject) => {
    // The shell is built in the callback itself: a short session's output and exit may come
    // with the packet that opens it.
    const opened = (error: Error | undefined, channel: ClientChannel) => (error ? reject(sshErrorOf(error, true)) : resolve(new ChannelShell(channel)));
    try {
      if (options.cwd !== undefined) {
        client.exec(loginShellCommand(options.cwd), { pty }, opened);
      } else {
        client.shell(pty, opened);
      }
    } catch (error) {
      // ssh2 throws when the connection closed under the pool before it noticed.
      reject(sshErrorOf(error, true));
    }
  });
}

class ChannelShell implements RemoteShell {
  /** What came before anyone listened. */
  private readonly pending: string[] = [];
  private dataListener?: (text: string) => void;
  private exitListener?: (exit: ShellExit) => void;
  private status?: ShellExit;
  private exit?: ShellExit;
  private closedByUs = false;

  constructor(private readonly channel: ClientChannel) {
    const output = new StringDecoder('utf8');
    const errors = new StringDecoder('utf8');
    // Both streams are read: a channel whose data nobody takes never closes.
    channel.on('data', (chunk: Buffer) => this.emit(output.write(chunk)));
    channel.stderr.on('data', (chunk: Buffer) => this.emit(errors.write(chunk)));
    channel.on('exit', (code: number | null, signal?: string) => (this.status = code === null || code === undefined ? { signal } : { code }));
    channel.on('error', () => undefined);
    channel.on('close', () => {
      this.emit(output.end());
      this.emit(errors.end());
      this.finish(this.status ?? (this.closedByUs ? {} : { lost: new SshError('dropped', 'the connection to the login node was lost') }));
    });
  }

  write(data: string): void {
    if (this.exit === undefined && this.channel.writable) {
      this.channel.write(data);
    }
  }

  resize(cols: number, rows: number): void {
    if (this.exit === undefined) {
      this.channel.setWindow(rows, cols, 0, 0);
    }
  }

  onData(listener: (text: string) => void): void {
    this.dataListener = listener;
    for (const text of this.pending.splice(0)) {
      listener(text);
    }
  }

  onExit(listener: (exit: ShellExit) => void): void {
    this.exitListener = listener;
    if (this.exit) {
      listener(this.exit);
    }
  }

  close(): void {
    if (this.exit === undefined && !this.closedByUs) {
      this.closedByUs = true;
      this.channel.close();
    }
  }

  private emit(text: string): void {
    if (text === '') {
      return;
    }
    if (this.dataListener) {
      this.dataListener(text);
    } else {
      this.pending.push(text);
    }
  }

  private finish(exit: ShellExit): void {
    if (this.exit === undefined) {
      this.exit = exit;
      this.exitListener?.(exit);
    }
  }
}
