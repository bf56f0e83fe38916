// The script a user submits: what may be sent, where on the cluster it is written, and the
// command line that runs it there.
import { createHash } from 'crypto';

/** The largest script sent to a cluster, in bytes (createJobFile's content is one request body). */
export const MAX_SCRIPT_BYTES = 512 * 1024;

/** `notAFile`: a device, a FIFO or a directory, not a regular file. */
export type ScriptProblem = 'empty' | 'binary' | 'tooLarge' | 'notUtf8' | 'notAFile';

export type ScriptCheck =
  | {
      ok: true;
      text: string;
      /** CRLF line ends were turned into LF: bash on the cluster would read each \r as part of a command. */
      lineEndsConverted: boolean;
    }
  | { ok: false; reason: ScriptProblem };

/**
 * Whether a script's bytes may be sent, and its text if so: not over MAX_SCRIPT_BYTES, no NUL
 * byte ('binary'), valid UTF-8 ('notUtf8'), and something other than white space ('empty').
 * A leading byte order mark is dropped, as it would hide the #! line from the kernel.
 */
export function checkScript(bytes: Uint8Array): ScriptCheck {
  if (bytes.length > MAX_SCRIPT_BYTES) {
    return { ok: false, reason: 'tooLarge' };
  }
  if (bytes.includes(0)) {
    return { ok: false, reason: 'binary' };
  }
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'notUtf8' };
  }
  if (decoded.trim() === '') {
    return { ok: false, reason: 'empty' };
  }
  const text = decoded.replace(/\r\n/g, '\n');
  return { ok: true, text, lineEndsConverted: text !== decoded };
}

const SCRIPT_EXTENSIONS = ['.sh', '.slurm', '.sbatch'];
/** The interpreters whose scripts `bash` runs as they are meant to run. */
const BASH_COMPATIBLE = new Set(['sh', 'bash', 'dash', 'ash']);

/** Whether a file is a job script: a #! line (any interpreter: see commandFor), or a name ending in .sh, .slurm or .sbatch. */
export function isShellScript(fileName: string, firstLine: string): boolean {
  if (firstLine.replace(/^\uFEFF/, '').startsWith('#!')) {
    return true;
  }
  const lower = fileName.toLowerCase();
  return SCRIPT_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * The #! line's program and arguments, when they name an interpreter other than a shell bash
 * stands in for (`#!/usr/bin/env python3`): bash would misread such a script.
 */
function foreignInterpreter(scriptText: string): string[] | undefined {
  const line = /^\uFEFF?#!([^\r\n]*)/.exec(scriptText)?.[1];
  if (line === undefined) {
    return undefined;
  }
  const program = shebangInterpreter(line);
  return program === undefined || BASH_COMPATIBLE.has(program) ? undefined : line.trim().split(/\s+/);
}

/** The program a #! line names, by its base name, looking through `env [-S] [VAR=value…]`. */
function shebangInterpreter(rest: string): string | undefined {
  const words = rest.trim().split(/\s+/);
  let program = baseName(words[0] ?? '');
  if (program === 'env') {
    program = baseName(words.slice(1).find((word) => !word.startsWith('-') && !word.includes('=')) ?? '');
  }
  return program === '' ? undefined : program;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const SCRIPT_DIR = '.vscode-ehpc';
const MAX_NAME_CHARS = 40;
const RANDOM_CHARS = 6;
const RANDOM_RANGE = 36 ** RANDOM_CHARS;

/**
 * Whether a run user's home can take an upload: an absolute path. None, a relative one or a
 * `~` one would be written wherever the server resolves it, or quoted literally.
 */
export function hasUploadHome(homeDir: string | undefined): homeDir is string {
  return homeDir !== undefined && homeDir.startsWith('/');
}

/**
 * Where a script is written on the cluster: `<home>/.vscode-ehpc/<name>-<YYYYMMDD-HHMMSS>-<random>.sh`,
 * the time in UTC, `<random>` six base-36 characters from one draw of `random` (values in [0, 1)
 * at least 36⁻⁶ apart give different paths). Throws for a home hasUploadHome refuses.
 */
export function uploadTarget(homeDir: string | undefined, jobName: string, now: Date, random: () => number): string {
  if (!hasUploadHome(homeDir)) {
    throw new RangeError(`the run user's home must be an absolute path, not ${JSON.stringify(homeDir)}`);
  }
  const stamp = now.toISOString().replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2}).*$/, '$1$2$3-$4$5$6');
  const draw = random();
  // Fail closed on a broken source: a draw outside [0, 1) would repeat or widen the suffix.
  if (!(draw >= 0 && draw < 1)) {
    throw new RangeError(`random() must return a number in [0, 1), not ${draw}`);
  }
  // Six characters whatever floating point makes of a draw just below 1.
  const suffix = Math.min(Math.floor(draw * RANDOM_RANGE), RANDOM_RANGE - 1).toString(36).padStart(RANDOM_CHARS, '0');
  const file = `${safeName(jobName)}-${stamp}-${suffix}.sh`;
  return `${homeDir.replace(/\/+$/, '')}/${SCRIPT_DIR}/${file}`;
}

/** A job name as a file name: only [A-Za-z0-9._-], no leading dot or dash, at most 40 characters, `job` if nothing is left. */
export function safeName(jobName: string): string {
  const name = jobName.replace(/[^A-Za-z0-9._-]/g, '').replace(/^[.-]+/, '').slice(0, MAX_NAME_CHARS);
  return name === '' ? 'job' : name;
}

/**
 * The cmd_line that runs an uploaded script, quoted for any path: `bash '<target>'`, or the
 * script's own #! interpreter when it names one bash cannot stand in for.
 */
export function commandFor(target: string, scriptText = ''): string {
  const runner = foreignInterpreter(scriptText)?.map(shellQuote).join(' ') ?? 'bash';
  // A path the interpreter could take for an option is made plainly a path.
  return `${runner} ${shellQuote(target.startsWith('-') ? `./${target}` : target)}`;
}

/** One shell word that stands for `value` exactly: single quotes, each ' written as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** What identifies a script's content in a confirmation: its lines, its size, and a short digest. */
export interface ScriptSummary {
  readonly lines: number;
  readonly bytes: number;
  /** The first 12 hex digits of its SHA-256. */
  readonly digest: string;
}

export function scriptSummary(text: string): ScriptSummary {
  const bytes = new TextEncoder().encode(text);
  const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return { lines, bytes: bytes.length, digest: createHash('sha256').update(bytes).digest('hex').slice(0, 12) };
}
