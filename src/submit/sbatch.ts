// The defaults a script's #SBATCH directives give the submit form, read the way sbatch
// reads them: only from the leading block of comments, each directive's words split like
// a shell would (quotes, backslashes, a trailing # comment), options as getopt sees them.
import { isUnlimitedDuration, parseCount, parseDuration, parseMemory } from './limits';

export interface SbatchDefaults {
  jobName?: string;
  ntasks?: number;
  cpusPerTask?: number;
  partition?: string;
  timeLimitMinutes?: number;
  memLimitMb?: number;
  output?: string;
  error?: string;
  /** Options the form has no field for, as written (`--nodes`, `-N`), each once, in order. */
  ignored: string[];
  /** Values that could not be taken; the form keeps its own default for them. */
  problems: SbatchProblem[];
}

export interface SbatchProblem {
  /** The option as written: `-n`, `--ntasks`. */
  option: string;
  /** The value as written, unquoted; empty when the option had none. */
  value: string;
  /** 1-based line of the script. */
  line: number;
}

/** Takes an option's value into the defaults; false when the value is malformed. */
type Taker = (value: string, into: SbatchDefaults) => boolean;

function take<T>(parsed: T | undefined, set: (value: T) => void): boolean {
  if (parsed === undefined) {
    return false;
  }
  set(parsed);
  return true;
}

const nonEmpty = (value: string): string | undefined => (value === '' ? undefined : value);

/** The options the form has a field for, by long name (a Map: `--constructor` is no option). */
const TAKERS = new Map<string, Taker>(Object.entries({
  'job-name': (v, into) => take(nonEmpty(v), (x) => (into.jobName = x)),
  ntasks: (v, into) => take(parseCount(v), (x) => (into.ntasks = x)),
  'cpus-per-task': (v, into) => take(parseCount(v), (x) => (into.cpusPerTask = x)),
  partition: (v, into) => take(nonEmpty(v), (x) => (into.partition = x)),
  time: (v, into) => {
    if (isUnlimitedDuration(v)) {
      // No limit: what the form's empty field means, so not a problem.
      delete into.timeLimitMinutes;
      return true;
    }
    return take(parseDuration(v), (x) => (into.timeLimitMinutes = x));
  },
  mem: (v, into) => take(parseMemory(v), (x) => (into.memLimitMb = x)),
  output: (v, into) => take(nonEmpty(v), (x) => (into.output = x)),
  error: (v, into) => take(nonEmpty(v), (x) => (into.error = x)),
} satisfies Record<string, Taker>));

const SHORT = new Map(Object.entries({ J: 'job-name', n: 'ntasks', c: 'cpus-per-task', p: 'partition', t: 'time', o: 'output', e: 'error' }));

const DIRECTIVE = '#SBATCH';

/** The #SBATCH defaults of a script; directives after its first command are not read (as in sbatch). */
export function parseSbatch(script: string): SbatchDefaults {
  const result: SbatchDefaults = { ignored: [], problems: [] };
  const lines = script.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (isDirective(line)) {
      readDirective(splitWords(line.slice(DIRECTIVE.length)), index + 1, result);
    } else if (!isBlankOrComment(line)) {
      break;
    }
  }
  return result;
}

/** The cores the form asks for: ntasks × cpus-per-task, either defaulting to 1; undefined when neither is set. */
export function coresFrom(defaults: Pick<SbatchDefaults, 'ntasks' | 'cpusPerTask'>): number | undefined {
  if (defaults.ntasks === undefined && defaults.cpusPerTask === undefined) {
    return undefined;
  }
  return (defaults.ntasks ?? 1) * (defaults.cpusPerTask ?? 1);
}

// sbatch takes a directive only at the very start of a line.
function isDirective(line: string): boolean {
  return line.startsWith(DIRECTIVE) && (line.length === DIRECTIVE.length || /\s/.test(line[DIRECTIVE.length]));
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

function readDirective(words: string[], line: number, result: SbatchDefaults): void {
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const parsed = splitOption(word);
    if (!parsed) {
      // A word that is no option (a stray value): nothing to take.
      noteIgnored(result, word);
      continue;
    }
    const { written, name, attached } = parsed;
    const taker = TAKERS.get(name);
    const next = words[i + 1];
    if (!taker) {
      // An option the form has no field for; a word after it that is no option is its value.
      noteIgnored(result, written);
      i += attached === undefined && next !== undefined && !next.startsWith('-') ? 1 : 0;
      continue;
    }
    let value = attached;
    if (value === undefined && next !== undefined) {
      // A required value: getopt takes the next word whatever it looks like (`-n -4`).
      value = next;
      i++;
    }
    // As in getopt, a later directive for the same option wins.
    if (value === undefined || !taker(value, result)) {
      result.problems.push({ option: written, value: value ?? '', line });
    }
  }
}

/**
 * An option word's parts: `--name=value`, `--name`, `-Xvalue`, `-X=value`, `-X`. The long name
 * is returned for a known short letter. `-X=value` is read as the value after `=`: getopt
 * would take `=value` itself, which nobody writing `-n=4` means.
 */
function splitOption(word: string): { written: string; name: string; attached?: string } | undefined {
  const long = /^--([^=]+)(?:=(.*))?$/s.exec(word);
  if (long) {
    return { written: `--${long[1]}`, name: long[1], attached: long[2] };
  }
  const short = /^-([^-])(.*)$/s.exec(word);
  if (short) {
    const rest = short[2];
    const attached = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
    return { written: `-${short[1]}`, name: SHORT.get(short[1]) ?? `-${short[1]}`, attached };
  }
  return undefined;
}

function noteIgnored(result: SbatchDefaults, written: string): void {
  if (!result.ignored.includes(written)) {
    result.ignored.push(written);
  }
}

/**
 * The words of a directive, split as a shell would: whitespace separates them, '…' and "…"
 * group (and are removed), a backslash keeps the next character, and an unquoted # that
 * starts a word starts a comment that runs to the end of the line.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) {
        quote = undefined;
      } else if (ch === '\\' && quote === '"' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
        word += line[++i];
      } else {
        word += ch;
      }
    } else if (/\s/.test(ch)) {
      if (word !== undefined) {
        words.push(word);
        word = undefined;
      }
    } else if (ch === '#' && word === undefined) {
      break;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) {
    words.push(word);
  }
  return words;
}
