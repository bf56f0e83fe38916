// The values of the submit form, checked field by field, and the submission they make.
import { JobSubmission } from '../ehpc/types';
import { MAX_CORES, MAX_INT_FIELD } from './limits';
import { besideScript, type Redirects } from './redirects';
import { checkScript, commandFor, type ScriptProblem } from './script';

/** What the job runs: a command line as typed, or a script written to the cluster first. */
export type SubmitRun = { kind: 'command'; command: string } | { kind: 'script'; text: string };

export interface SubmitForm {
  /** The cluster, as clusterKey(zone, clusterId). */
  clusterKey: string;
  queueId?: string;
  runUser: string;
  name: string;
  cores: number;
  memLimitMb?: number;
  timeLimitMinutes?: number;
  stdoutPath?: string;
  stderrPath?: string;
  run: SubmitRun;
}

/** The longest job name sent; the API names no limit, and a longer one is a mistake. */
export const MAX_JOB_NAME_CHARS = 128;

export type FormField =
  | 'clusterKey' | 'runUser' | 'name' | 'cores' | 'memLimitMb' | 'timeLimitMinutes' | 'stdoutPath' | 'stderrPath' | 'command' | 'script';

export type FormProblemKind =
  /** Empty or only white space. */
  | 'required'
  /** Holds a control character (a line break in a name, a NUL). */
  | 'controlCharacter'
  /** Not a whole number of at least 1. */
  | 'notPositiveInteger'
  /** Above the most the field takes. */
  | 'tooLarge'
  /** The script cannot be sent (see checkScript). */
  | ScriptProblem;

export interface FormProblem {
  field: FormField;
  problem: FormProblemKind;
}

/** Every problem of the form's values, in field order; empty when they can be submitted. */
export function validateForm(values: SubmitForm): FormProblem[] {
  const problems: FormProblem[] = [];
  const add = (field: FormField, problem: FormProblemKind | undefined): void => {
    if (problem) {
      problems.push({ field, problem });
    }
  };
  add('clusterKey', requiredText(values.clusterKey));
  add('runUser', requiredText(values.runUser));
  add('name', requiredText(values.name) ?? (values.name.trim().length > MAX_JOB_NAME_CHARS ? 'tooLarge' : undefined));
  add('cores', countProblem(values.cores, MAX_CORES));
  add('memLimitMb', ifGiven(values.memLimitMb, (mb) => countProblem(mb, MAX_INT_FIELD)));
  add('timeLimitMinutes', ifGiven(values.timeLimitMinutes, (minutes) => countProblem(minutes, MAX_INT_FIELD)));
  add('stdoutPath', ifGiven(values.stdoutPath, requiredText));
  add('stderrPath', ifGiven(values.stderrPath, requiredText));
  if (values.run.kind === 'command') {
    add('command', commandProblem(values.run.command));
  } else {
    const check = checkScript(new TextEncoder().encode(values.run.text));
    add('script', check.ok ? undefined : check.reason);
  }
  return problems;
}

/**
 * The submission the form's values make. A script's cmd_line runs it where it was written
 * (`scriptTarget`, from uploadTarget), and its output and error go beside it unless the values
 * name a path (the script's #SBATCH -o/-e); a command's paths are only those named. Throws on
 * values validateForm finds a problem with, or on a script without its target: nothing
 * half-checked is sent.
 */
export function toSubmission(values: SubmitForm, scriptTarget?: string): JobSubmission {
  const problems = validateForm(values);
  if (problems.length > 0) {
    throw new Error(`the form has problems: ${problems.map((p) => `${p.field} ${p.problem}`).join(', ')}`);
  }
  let cmdLine: string;
  let own: Redirects = {};
  if (values.run.kind === 'command') {
    cmdLine = values.run.command.trim();
  } else if (scriptTarget) {
    cmdLine = commandFor(scriptTarget, values.run.text);
    own = besideScript(scriptTarget);
  } else {
    throw new Error('a script is submitted only once it has a target path');
  }
  // Optional fields are left out rather than sent empty.
  return withoutUndefined({
    name: values.name.trim(),
    runUser: values.runUser.trim(),
    cmdLine,
    queueId: values.queueId || undefined,
    coreLimit: values.cores,
    memLimitMb: values.memLimitMb,
    timeLimitMinutes: values.timeLimitMinutes,
    stdoutPath: values.stdoutPath?.trim() ?? own.stdoutPath,
    stderrPath: values.stderrPath?.trim() ?? own.stderrPath,
  });
}

function ifGiven<T>(value: T | undefined, check: (value: T) => FormProblemKind | undefined): FormProblemKind | undefined {
  return value === undefined ? undefined : check(value);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function commandProblem(command: string): FormProblemKind | undefined {
  if (command.trim() === '') {
    return 'required';
  }
  // A command line may span lines; only a NUL cannot be sent.
  return command.includes('\0') ? 'controlCharacter' : undefined;
}

function requiredText(value: string): FormProblemKind | undefined {
  if (value.trim() === '') {
    return 'required';
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(value) ? 'controlCharacter' : undefined;
}

function countProblem(value: number, max: number): FormProblemKind | undefined {
  if (!Number.isInteger(value) || value < 1) {
    return 'notPositiveInteger';
  }
  return value > max ? 'tooLarge' : undefined;
}
