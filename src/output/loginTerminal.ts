// A VS Code terminal logged in to a login node, over a pty session on the node's shared
// connection. When the connection is lost, or the shell ends as soon as it starts (a folder
// that is gone, a login the node refuses), the terminal stays open and says what happened,
// and connects again only when the user presses Enter: never by itself, so that a login
// that fails is not tried again and again (accounts with login limits lock).
import * as vscode from 'vscode';
import type { SshLease } from '../ssh/connections';
import { SshError } from '../ssh/errors';
import { openShell, type RemoteShell, type ShellExit, type ShellOptions } from '../ssh/shell';

export interface LoginTerminalOptions {
  /** The terminal's title. */
  name: string;
  /** The folder to start in (the job's working directory); the home when absent. */
  cwd?: string;
}

/** What the terminal runs on; tests hand in their own. */
export interface LoginTerminalDeps {
  openShell(lease: SshLease, options: ShellOptions): Promise<RemoteShell>;
  now(): number;
}

/** A shell that ends sooner than this after it started has failed to start. */
const QUICK_EXIT_MS = 1000;

/** The terminal for `createTerminal`; it holds `lease` while open and releases it when closed. */
export function createLoginTerminal(lease: SshLease, options: LoginTerminalOptions, deps?: LoginTerminalDeps): vscode.ExtensionTerminalOptions {
  return {
    name: options.name,
    pty: new LoginPseudoterminal(lease, options, deps),
    // A terminal over a connection cannot be brought back after a reload.
    isTransient: true,
    iconPath: new vscode.ThemeIcon('terminal'),
  };
}

type State = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

export class LoginPseudoterminal implements vscode.Pseudoterminal {
  private readonly writes = new vscode.EventEmitter<string>();
  private readonly closes = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writes.event;
  readonly onDidClose = this.closes.event;
  private state: State = 'idle';
  private shell?: RemoteShell;
  private size = { cols: 80, rows: 24 };
  /** The last character written: after a CR, a LF that starts the next output ends the same line. */
  private last = '';

  constructor(
    private readonly lease: SshLease,
    private readonly options: LoginTerminalOptions,
    private readonly deps: LoginTerminalDeps = { openShell, now: Date.now },
  ) {}

  open(initialDimensions: vscode.TerminalDimensions | undefined): void {
    if (initialDimensions) {
      this.size = { cols: initialDimensions.columns, rows: initialDimensions.rows };
    }
    void this.connect();
  }

  handleInput(data: string): void {
    if (this.state === 'open') {
      this.shell?.write(data);
    } else if (this.state === 'waiting' && data.includes('\r')) {
      void this.connect();
    }
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.size = { cols: dimensions.columns, rows: dimensions.rows };
    this.shell?.resize(this.size.cols, this.size.rows);
  }

  close(): void {
    this.end();
  }

  private async connect(): Promise<void> {
    this.state = 'connecting';
    this.note(vscode.l10n.t('Connecting to {0}…', this.options.name));
    let shell: RemoteShell;
    try {
      shell = await this.deps.openShell(this.lease, { cwd: this.options.cwd, cols: this.size.cols, rows: this.size.rows, term: 'xterm-256color' });
    } catch (error) {
      if (this.state === 'connecting') {
        this.wait(failure(error));
      }
      return;
    }
    if (this.state !== 'connecting') {
      shell.close(); // closed while it was connecting
      return;
    }
    const started = this.deps.now();
    this.shell = shell;
    this.state = 'open';
    shell.onData((text) => this.output(text));
    shell.onExit((exit) => this.exited(shell, exit, this.deps.now() - started));
  }

  private exited(shell: RemoteShell, exit: ShellExit, ranMs: number): void {
    if (this.shell !== shell || this.state !== 'open') {
      return;
    }
    this.shell = undefined;
    if (exit.lost) {
      this.wait(vscode.l10n.t('The connection to the login node was lost.'));
    } else if (ranMs < QUICK_EXIT_MS) {
      this.wait(
        exit.code !== undefined
          ? vscode.l10n.t('The shell on the login node ended as soon as it started (exit code {0}).', exit.code)
          : vscode.l10n.t('The shell on the login node ended as soon as it started ({0}).', exit.signal ?? '?'),
      );
    } else {
      this.closes.fire(exit.code);
      this.end();
    }
  }

  /** Stays open with what happened, until the user presses Enter. */
  private wait(what: string): void {
    this.state = 'waiting';
    this.note(`${what}\r\n${vscode.l10n.t('Press Enter to connect again.')}`, true);
  }

  private end(): void {
    if (this.state === 'closed') {
      return;
    }
    this.state = 'closed';
    this.shell?.close();
    this.shell = undefined;
    this.lease.release();
    this.writes.dispose();
    this.closes.dispose();
  }

  private output(text: string): void {
    this.write(toTerminalLines(text, this.last === '\r'));
  }

  /** A line of our own, on a line of its own, dimmed (yellow for a problem). */
  private note(text: string, problem = false): void {
    const start = this.last === '' || this.last === '\n' ? '' : '\r\n';
    this.write(`${start}\x1b[${problem ? '33' : '2'}m${text}\x1b[0m\r\n`);
  }

  private write(text: string): void {
    if (text !== '') {
      this.writes.fire(text);
      this.last = text.at(-1)!;
    }
  }
}

/** LF as the terminal needs it (CR LF), where the remote did not send CR LF itself. */
export function toTerminalLines(text: string, afterCr: boolean): string {
  return text.replace(/(?<!\r)\n/g, (_lf, offset: number) => (offset === 0 && afterCr ? '\n' : '\r\n'));
}

function failure(error: unknown): string {
  const kind = error instanceof SshError ? error.kind : undefined;
  switch (kind) {
    case 'auth':
      return vscode.l10n.t('The login node refused the login.');
    case 'hostKey':
      return vscode.l10n.t("The login node's host key was not accepted.");
    case 'cancelled':
      return vscode.l10n.t('The login was cancelled.');
    default:
      return vscode.l10n.t('Could not connect to the login node: {0}', error instanceof Error ? error.message : String(error));
  }
}
