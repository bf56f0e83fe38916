// A job's job_node_list: the names of the nodes it runs on. The API documents no format; the
// simulator sends a JSON array in a string, Slurm writes host lists ("cn[01-03],gpu1"). Read
// all of them, and anything else as no nodes rather than a failure. No `vscode` import.

/** At most this many names from one list: a malformed range must not make millions. */
const MAX_NAMES = 1000;

/** The node names, in order, each once; [] when there are none or the value cannot be read. */
export function parseNodeList(value: unknown): string[] {
  const names = namesOf(value);
  return [...new Set(names.map((name) => name.trim()).filter((name) => HOST_NAME.test(name)))].slice(0, MAX_NAMES);
}

/** A host name as far as it matters here: no spaces, quotes, braces or control characters (not JSON left over). */
const HOST_NAME = /^[^\s{}[\]"'<>;:\p{Cc}]{1,255}$/u;

function namesOf(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === 'string');
  }
  if (typeof value !== 'string') {
    return [];
  }
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return namesOf(JSON.parse(text) as unknown);
    } catch {
      // Not JSON: a host list may start with a bracket too.
    }
  }
  return splitHostList(text).flatMap(expandRange);
}

/** Splits at commas and spaces outside brackets: "a[1,3],b c" is "a[1,3]", "b", "c". */
function splitHostList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '[') {
      depth++;
    } else if (char === ']') {
      depth = Math.max(0, depth - 1);
    }
    if (depth === 0 && (char === ',' || /\s/.test(char))) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.filter((part) => part !== '');
}

/** "cn[01-03,7]" is cn01, cn02, cn03, cn7; a name without one bracket group is itself. */
function expandRange(name: string): string[] {
  const match = /^([^[\]]*)\[([\d,\-\s]+)\]([^[\]]*)$/.exec(name);
  if (!match) {
    return name.includes('[') || name.includes(']') ? [] : [name];
  }
  const [, prefix, ranges, suffix] = match;
  const names: string[] = [];
  for (const range of ranges.split(',')) {
    const bounds = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(range);
    if (!bounds) {
      return [];
    }
    const [, from, to = from] = bounds;
    const width = from.length;
    for (let n = Number(from); n <= Number(to) && names.length < MAX_NAMES; n++) {
      names.push(`${prefix}${String(n).padStart(width, '0')}${suffix}`);
    }
  }
  return names;
}
