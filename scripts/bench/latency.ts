// The bench's one flag: the latency every simulator answer waits (`--latency N` ms).
export const DEFAULT_LATENCY_MS = 50;

/** Below this, requests sent together and requests sent one after another look alike. */
export const MIN_LATENCY_FOR_ROUND_TRIPS = 20;

export function parseLatency(argv: readonly string[], usage: string): number {
  const args = argv.flatMap((arg) => (arg.startsWith('--latency=') ? ['--latency', arg.slice('--latency='.length)] : [arg]));
  const at = args.indexOf('--latency');
  const unknown = args.filter((arg, i) => arg !== '--latency' && !(at >= 0 && i === at + 1));
  if (unknown.length > 0) {
    throw new Error(`unknown argument: ${unknown[0]} (usage: ${usage} [--latency N])`);
  }
  if (at < 0) {
    return DEFAULT_LATENCY_MS;
  }
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error('--latency takes a whole number of milliseconds');
  }
  return value;
}
