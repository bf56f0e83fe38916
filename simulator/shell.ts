// The login node's terminal: a tiny line shell of the simulator's own (never the host's, which
// would hand out the machine), confined to the cluster's storage. It knows `cd`, `pwd`, `ls`,
// `cat`, `tail -n N`, `echo` and `exit`, runs lines joined by `&&` or `;`, and reads words
// quoted as a POSIX shell does. With a pty it echoes what is typed and takes backspace;
// its prompt is `<user>@login:<cwd>$ `.
//
// An exec of `cd '<dir>' && exec $SHELL -l` (or `"$SHELL"`: how a client opens a terminal in a job's folder)
// starts the shell there; another exec runs its line and exits with its status.
import * as fs from 'fs';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import type { ServerChannel } from 'ssh2';
import type { SharedStorage } from './storage';

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface ShellContext {
  storage: SharedStorage;
  clusterId: string;
  home: string;
  username: string;
  settle: () => void;
  /** A pty was asked for: echo typed characters, end lines with CR LF. */
  pty: boolean;
}

interface Result {
  out: Buffer;
  status: number;
  exit?: boolean;
}

const LOGIN_SHELL = /^(.*?)(?:&&|;)\s*(?:exec\s+)?(?:"?\$SHELL"?|"?\$\{SHELL\}"?|(?:\/bin\/|\/usr\/bin\/)?(?:bash|sh))(?:\s+-l|\s+--login)?\s*$/;

export function serveShell(channel: ServerChannel, ctx: ShellContext, startLine?: string): void {
  const shell = new LineShell(ctx);
  const write = (data: Buffer | string) => channel.write(ctx.pty ? toCrLf(Buffer.from(data)) : data);
  /** Its last words, then its status: in that order, as sshd sends them. */
  const finish = (last: Buffer | string, status: number) => {
    channel.write(ctx.pty ? toCrLf(Buffer.from(last)) : last, () => {
      channel.exit(status);
      channel.end();
    });
  };
  if (startLine !== undefined) {
    const result = shell.run(startLine);
    if (result.status !== 0 || result.exit) {
      return finish(Buffer.concat([result.out, Buffer.from('logout\n')]), result.status);
    }
    write(result.out);
  }
  const decoder = new StringDecoder('utf8');
  let line = '';
  let escape = false;
  write(shell.prompt());
  channel.on('data', (chunk: Buffer) => {
    for (const ch of decoder.write(chunk)) {
      if (escape) {
        // An escape sequence (an arrow key): skipped up to its final letter.
        escape = !/[A-Za-z~]/.test(ch);
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        if (ctx.pty) {
          write('\n');
        }
        const result = shell.run(line);
        line = '';
        if (result.exit) {
          return finish(Buffer.concat([result.out, Buffer.from('logout\n')]), result.status);
        }
        write(result.out);
        write(shell.prompt());
      } else if (ch === '\x7f' || ch === '\b') {
        if (line.length > 0) {
          line = [...line].slice(0, -1).join('');
          if (ctx.pty) {
            write('\b \b');
          }
        }
      } else if (ch === '\x03') {
        line = '';
        write('^C\n' + shell.prompt());
      } else if (ch === '\x04') {
        if (line === '') {
          return finish('logout\n', 0);
        }
      } else if (ch === '\x1b') {
        escape = true;
      } else if (ch >= ' ') {
        line += ch;
        if (ctx.pty) {
          write(ch);
        }
      }
    }
  });
  channel.on('error', () => undefined);
}

export function serveExec(channel: ServerChannel, ctx: ShellContext, command: string): void {
  const login = LOGIN_SHELL.exec(command);
  if (login) {
    return serveShell(channel, ctx, login[1]);
  }
  const result = new LineShell(ctx).run(command);
  channel.on('error', () => undefined);
  const done = () => {
    channel.exit(result.status);
    channel.end();
  };
  if (result.out.length > 0) {
    channel.write(result.out, done);
  } else {
    done();
  }
}

class LineShell {
  private cwd: string;

  constructor(private readonly ctx: ShellContext) {
    this.cwd = ctx.home;
  }

  prompt(): string {
    return `${this.ctx.username}@login:${this.cwd}$ `;
  }

  /** Runs a line: commands joined by `&&` (the next only after success) or `;`. */
  run(line: string): Result {
    this.ctx.settle();
    let words: string[];
    try {
      words = splitWords(line);
    } catch (err) {
      return { out: Buffer.from(`sh: ${(err as Error).message}\n`), status: 2 };
    }
    const out: Buffer[] = [];
    let status = 0;
    let command: string[] = [];
    let skip = false;
    for (const word of [...words, ';']) {
      if (word !== '&&' && word !== ';') {
        command.push(word);
        continue;
      }
      if (!skip && command.length > 0) {
        const result = this.command(command);
        out.push(result.out);
        status = result.status;
        if (result.exit) {
          return { out: Buffer.concat(out), status, exit: true };
        }
      }
      skip = word === '&&' && status !== 0;
      command = [];
    }
    return { out: Buffer.concat(out), status };
  }

  private command([name, ...args]: string[]): Result {
    const ok = (text: string | Buffer): Result => ({ out: Buffer.from(text), status: 0 });
    const failed = (text: string, status = 1): Result => ({ out: Buffer.from(`${text}\n`), status });
    try {
      switch (name) {
        case 'pwd':
          return ok(`${this.cwd}\n`);
        case 'cd': {
          const target = this.path(args[0] ?? '~');
          const stat = this.stat(target);
          if (!stat?.isDirectory()) {
            return failed(`cd: ${args[0]}: ${stat ? 'Not a directory' : 'No such file or directory'}`);
          }
          this.cwd = target;
          return ok('');
        }
        case 'ls': {
          const all = args.some((a) => /^-\w*a/.test(a));
          const paths = args.filter((a) => !a.startsWith('-'));
          const lines: string[] = [];
          for (const p of paths.length > 0 ? paths : ['.']) {
            const target = this.path(p);
            const stat = this.stat(target);
            if (!stat) {
              return failed(`ls: cannot access '${p}': No such file or directory`, 2);
            }
            lines.push(...(stat.isDirectory() ? fs.readdirSync(this.host(target)).filter((n) => all || !n.startsWith('.')).sort() : [p]));
          }
          return ok(lines.map((l) => `${l}\n`).join(''));
        }
        case 'cat':
          return ok(Buffer.concat(args.map((p) => this.read(p))));
        case 'tail': {
          let count = 10;
          const files: string[] = [];
          for (let i = 0; i < args.length; i++) {
            if (args[i] === '-n') {
              count = Number(args[++i]);
            } else if (/^-n?\d+$/.test(args[i])) {
              count = Number(args[i].replace(/^-n?/, ''));
            } else {
              files.push(args[i]);
            }
          }
          if (!Number.isInteger(count) || count < 0 || files.length !== 1) {
            return failed('usage: tail -n N FILE', 2);
          }
          const text = this.read(files[0]).toString('latin1');
          const lines = text.split('\n');
          const last = text.endsWith('\n') ? lines.slice(0, -1) : lines;
          return ok(Buffer.from(last.slice(Math.max(0, last.length - count)).map((l) => `${l}\n`).join(''), 'latin1'));
        }
        case 'echo':
          return ok(`${args.join(' ')}\n`);
        case 'exit':
          return { out: Buffer.alloc(0), status: Number(args[0] ?? 0) & 0xff, exit: true };
        default:
          return failed(`${name}: command not found`, 127);
      }
    } catch (err) {
      return failed(`${name}: ${(err as Error).message}`);
    }
  }

  /** A path as the shell reads it: `~` is home, a relative one starts at the working folder. */
  private path(p: string): string {
    const expanded = p === '~' ? this.ctx.home : p.startsWith('~/') ? `${this.ctx.home}/${p.slice(2)}` : p;
    return path.posix.resolve(this.cwd, expanded);
  }

  private host(clusterPath: string): string {
    return this.ctx.storage.safeHostPath(this.ctx.clusterId, clusterPath);
  }

  private stat(clusterPath: string): fs.Stats | undefined {
    try {
      return fs.statSync(this.host(clusterPath));
    } catch {
      return undefined;
    }
  }

  private read(p: string): Buffer {
    const stat = this.stat(this.path(p));
    if (!stat || stat.isDirectory()) {
      throw new Error(`${p}: ${stat ? 'Is a directory' : 'No such file or directory'}`);
    }
    return fs.readFileSync(this.host(this.path(p)));
  }
}

/** Words as a POSIX shell splits them: quotes, backslashes, and `&&` / `;` as words of their own. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) {
        throw new Error('unterminated quoted string');
      }
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      let text = '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        text += line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '') ? line[++i] : line[i];
      }
      if (i >= line.length) {
        throw new Error('unterminated quoted string');
      }
      word = (word ?? '') + text;
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (ch === ' ' || ch === '\t') {
      if (word !== undefined) {
        words.push(word);
        word = undefined;
      }
    } else if (ch === ';' || (ch === '&' && line[i + 1] === '&')) {
      if (word !== undefined) {
        words.push(word);
        word = undefined;
      }
      words.push(ch === ';' ? ';' : '&&');
      i += ch === ';' ? 0 : 1;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) {
    words.push(word);
  }
  return words;
}

function toCrLf(data: Buffer): Buffer {
  return Buffer.from(data.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}
