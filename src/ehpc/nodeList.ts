// A job's job_node_list: the names of the nodes it runs on. The API documents no format; the
// simulator sends a JSON array in a string, Slurm writes host lists ("cn[01-03],gpu1"). Read
// all of them, and anything else as no nodes rather than a failure. No `vscode` import.

/**
 * A list naming more nodes than this is not believed: no cluster has that many, and expanding
 * a range such as "n[0-99999999]" would stall the window. Counted before anything is expanded.
 */
export const MAX_NODE_NAMES = 10_000;

/**
 * The node names, in order, each once; [] when there are none, the value cannot be read, or it
 * names more than `most` (a job cannot run on more nodes than its cluster has).
 */
export function parseNodeList(value: unknown, most = MAX_NODE_NAMES): string[] {
  const names = namesOf(value, Math.min(most, MAX_NODE_NAMES));
  return [...new Set(names.map((name) => name.trim()).filter((name) => HOST_NAME.test(name)))];
}

/** A host name as far as it matters here: no spaces, quotes, braces or control characters (not JSON left over). */
const HOST_NAME = /^[^\s{}[\]"'<>;:\p{Cc}]{1,255}$/u;

function namesOf(value: unknown, most: number): string[] {
  if (Array.isArray(value)) {
    return value.length > most ? [] : value.filter((item): item is string => typeof item === 'string');
  }
  if (typeof value !== 'string') {
    return [];
  }
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return namesOf(JSON.parse(text) as unknown, most);
    } catch {
      // Not JSON: a host list may start with a bracket too.
    }
  }
  const groups = splitHostList(text).map(readGroup);
  const count = groups.reduce((sum, group) => sum + group.count, 0);
  return count > most ? [] : groups.flatMap(expand);
}

/** Splits at commas and spaces outside brackets: "a[1,3],b c" is "a[1,3]", "b", "c". */
function splitHostList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '[') {
      depth++;
    } else if (char === ']') {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0 && (char === ',' || /\s/.test(char))) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((part) => part !== '');
}

/** One name of a host list, its bracket group read but not expanded. */
interface Group {
  readonly prefix: string;
  readonly suffix: string;
  readonly ranges: readonly (readonly [from: number, to: number, width: number])[];
  /** How many names it stands for. */
  readonly count: number;
}

/** "cn[01-03,7]" stands for 4 names; a name without a bracket is one; anything else none. */
function readGroup(name: string): Group {
  const none: Group = { prefix: '', suffix: '', ranges: [], count: 0 };
  const match = /^([^[\]]*)\[([\d,\-\s]+)\]([^[\]]*)$/.exec(name);
  if (!match) {
    return name.includes('[') || name.includes(']') ? none : { prefix: name, suffix: '', ranges: [], count: 1 };
  }
  const [, prefix, text, suffix] = match;
  const ranges: [number, number, number][] = [];
  let count = 0;
  for (const range of text.split(',')) {
    const bounds = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(range);
    const [from, to] = bounds ? [Number(bounds[1]), Number(bounds[2] ?? bounds[1])] : [NaN, NaN];
    // Past 2^53 a number no longer counts up one by one.
    if (!bounds || !Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
      return none;
    }
    ranges.push([from, to, bounds[1].length]);
    count += Math.max(0, to - from + 1);
  }
  return { prefix, suffix, ranges, count };
}

function expand(group: Group): string[] {
  if (group.count === 0) {
    return [];
  }
  if (group.ranges.length === 0) {
    return [group.prefix];
  }
  const names: string[] = [];
  for (const [from, to, width] of group.ranges) {
    for (let n = from; n <= to; n++) {
      names.push(`${group.prefix}${String(n).padStart(width, '0')}${group.suffix}`);
    }
  }
  return names;
}
