// The limits a job is submitted with, read from what a user types (or from #SBATCH
// directives) and shown back. Units are Slurm's own: time in minutes, memory in MB.
// submitJob's core_limit, mem_limit and time_limit are ints, so every parser returns a
// positive whole number within MAX_INT_FIELD, or undefined for anything it cannot take.

/** The largest value an int field of the API holds. */
export const MAX_INT_FIELD = 2_147_483_647;
/** The most cores a job may ask for; far above any EHPC cluster, low enough to catch typos. */
export const MAX_CORES = 100_000;

/**
 * A Slurm time limit in whole minutes: `minutes`, `minutes:seconds`, `hours:minutes:seconds`,
 * `days-hours`, `days-hours:minutes`, `days-hours:minutes:seconds`. Seconds round up to a whole
 * minute (Slurm does the same). The leading field may be any size (`72:00:00` is three days);
 * the fields after it must stay below their unit (minutes and seconds < 60, hours < 24 after
 * days). Negative and fractional values are invalid. Zero, `UNLIMITED` and `infinite`, Slurm's
 * ways of saying "no limit", are invalid here: time_limit is an int with no value for that, so
 * the caller leaves the field out instead (see isUnlimitedDuration).
 */
export function parseDuration(text: string): number | undefined {
  const minutes = durationMinutes(text);
  return minutes === undefined ? undefined : positiveInt(minutes);
}

/** Slurm's ways of saying "no time limit": UNLIMITED, infinite, or a limit of zero. */
export function isUnlimitedDuration(text: string): boolean {
  return /^(unlimited|infinite)$/i.test(text.trim()) || durationMinutes(text) === 0;
}

/** The minutes a Slurm time limit stands for, zero included; undefined when malformed. */
function durationMinutes(text: string): number | undefined {
  const trimmed = text.trim();
  let days = 0;
  let clock = trimmed;
  const dash = /^(\d+)-(.*)$/.exec(trimmed);
  if (dash) {
    days = Number(dash[1]);
    clock = dash[2];
  }
  if (!/^\d+(:\d+){0,2}$/.test(clock)) {
    return undefined;
  }
  const parts = clock.split(':').map(Number);
  let hours = 0;
  let minutes = 0;
  let seconds = 0;
  if (dash) {
    // days-hours[:minutes[:seconds]]
    [hours, minutes = 0, seconds = 0] = parts;
    if (hours >= 24) {
      return undefined;
    }
  } else if (parts.length === 3) {
    [hours, minutes, seconds] = parts;
  } else {
    // minutes[:seconds]
    [minutes, seconds = 0] = parts;
  }
  const leadingIsMinutes = !dash && parts.length < 3;
  if ((!leadingIsMinutes && minutes >= 60) || seconds >= 60) {
    return undefined;
  }
  return (days * 24 + hours) * 60 + minutes + Math.ceil(seconds / 60);
}

/** Minutes in the form parseDuration reads back: `45`, `2:30:00`, `3-04:05:00`. */
export function formatDuration(minutes: number): string {
  requirePositiveInt(minutes, 'minutes');
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) {
    return `${days}-${pad2(hours)}:${pad2(rest)}:00`;
  }
  return hours > 0 ? `${hours}:${pad2(rest)}:00` : String(rest);
}

const MEMORY_UNITS_MB: Record<string, number> = { k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };

/**
 * A memory size in whole MB, rounded up: a plain number is MB (Slurm's default unit for
 * --mem); K, M, G and T (any case, an optional trailing B) are binary units as in Slurm.
 * A fraction is taken with a unit (`1.5G`); zero is invalid (Slurm's `--mem=0`, "all of a
 * node's memory", has no int to stand for it).
 */
export function parseMemory(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])b?)?$/i.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const unit = MEMORY_UNITS_MB[(match[2] ?? 'm').toLowerCase()];
  // Round first to shed binary floating-point noise (0.1 * 1024), then up to a whole MB.
  const mb = Math.ceil(Number((Number(match[1]) * unit).toFixed(6)));
  return positiveInt(mb);
}

/** MB in the largest unit that shows it exactly: `4G`, `1T`, `1500M`. */
export function formatMemory(mb: number): string {
  requirePositiveInt(mb, 'mb');
  if (mb % (1024 * 1024) === 0) {
    return `${mb / (1024 * 1024)}T`;
  }
  return mb % 1024 === 0 ? `${mb / 1024}G` : `${mb}M`;
}

/** A core count: a positive whole number no larger than MAX_CORES. */
export function parseCores(text: string): number | undefined {
  return parseCount(text, MAX_CORES);
}

/** A positive whole number written in decimal digits, at most `max`. */
export function parseCount(text: string, max = MAX_INT_FIELD): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    return undefined;
  }
  const value = Number(trimmed);
  return value >= 1 && value <= max ? value : undefined;
}

function positiveInt(value: number): number | undefined {
  return Number.isInteger(value) && value >= 1 && value <= MAX_INT_FIELD ? value : undefined;
}

function requirePositiveInt(value: number, name: string): void {
  if (positiveInt(value) === undefined) {
    throw new RangeError(`${name} must be a whole number from 1 to ${MAX_INT_FIELD}, not ${value}`);
  }
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** The most cores a job may ask of a queue, and what that comes from. */
export interface QueueCores {
  readonly max: number;
  readonly nodes: number;
  readonly perNode: number;
}

/**
 * What a queue can run, all its nodes together (a multi-node MPI job included): the cores of
 * one node times the nodes node_info lists. A queue of one node without unit_cpu_num has
 * cpu_num cores (the API's own example); without the node count nothing caps the job here,
 * and the cluster checks it.
 */
export function queueCores(queue: { cpuNum?: number; coresPerNode?: number; nodeCount?: number }): QueueCores | undefined {
  const nodes = queue.nodeCount;
  const perNode = queue.coresPerNode ?? (nodes === 1 ? queue.cpuNum : undefined);
  if (nodes === undefined || perNode === undefined || !(perNode >= 1)) {
    return undefined;
  }
  return { max: Math.min(perNode * nodes, MAX_CORES), nodes, perNode };
}
