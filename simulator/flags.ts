// Command-line flags of the simulator's CLI and of `npm start`: `--name value` or
// `--name=value`, each known by name; and the job lifecycle flags both take.
import { DEFAULT_RUN_MS, DEFAULT_START_AFTER_MS, type LifecycleOptions } from './lifecycle';

export const LIFECYCLE_FLAGS = ['start-after', 'run-for', 'move-generated-jobs'] as const;

/** The flags by name; throws for an unknown one, a missing value, or a stray argument. */
export function parseFlags(argv: readonly string[], known: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new Error(`unexpected argument: ${arg}`);
    }
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else if (i + 1 < argv.length) {
      flags.set(arg.slice(2), argv[++i]);
    } else {
      throw new Error(`missing value for ${arg}`);
    }
  }
  const unknown = [...flags.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown flag: --${unknown[0]} (known: ${known.map((k) => '--' + k).join(' ')})`);
  }
  return flags;
}

/** The demo's lifecycle: generated jobs move too, unless `--move-generated-jobs no`. */
export function lifecycleFlags(flags: ReadonlyMap<string, string>): LifecycleOptions {
  const move = flags.get('move-generated-jobs') ?? 'yes';
  if (move !== 'yes' && move !== 'no') {
    throw new Error(`--move-generated-jobs must be yes or no, got ${move}`);
  }
  return {
    startAfterMs: optionalInteger('start-after', flags.get('start-after')),
    runMs: optionalInteger('run-for', flags.get('run-for')),
    moveGeneratedJobs: move === 'yes',
  };
}

export function integer(name: string, text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new Error(`--${name} must be a non-negative integer, got ${text}`);
  }
  return Number(text);
}

export function optionalInteger(name: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : integer(name, text);
}

/** One line for a startup banner: how jobs move. */
export function describeLifecycle(lifecycle: LifecycleOptions): string {
  const seconds = (ms: number | undefined, fallback: number) => `${(ms ?? fallback) / 1000} s`;
  const generated = lifecycle.moveGeneratedJobs ? 'the demo jobs move too' : 'the demo jobs stay as they are';
  return `Submitted jobs start ${seconds(lifecycle.startAfterMs, DEFAULT_START_AFTER_MS)} after submission and run ${seconds(lifecycle.runMs, DEFAULT_RUN_MS)}; ${generated}.`;
}
