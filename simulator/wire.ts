// What arrives on the wire, decoded by the simulator itself: the raw request target split
// into path and query parameters, each percent-decoded once from its bytes.
import { ApiError, RetCode } from './errors';

export interface QueryParam {
  name: string;
  value: string;
}

export interface WireTarget {
  /** The path, percent-decoded once. */
  path: string;
  /** The query parameters in wire order, each name and value decoded once. */
  params: QueryParam[];
}

/** Splits and decodes a request target (`/api/job/list?zone=jn1a&...`). */
export function parseTarget(rawTarget: string): WireTarget {
  const queryStart = rawTarget.indexOf('?');
  const rawPath = queryStart < 0 ? rawTarget : rawTarget.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : rawTarget.slice(queryStart + 1);
  const params: QueryParam[] = [];
  const seen = new Set<string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') {
      continue;
    }
    const eq = pair.indexOf('=');
    const name = decodeWire(eq < 0 ? pair : pair.slice(0, eq), true);
    // A parameter sent twice has no single signed value: refuse it rather than pick one.
    if (seen.has(name)) {
      throw new ApiError(RetCode.BadParameter, `parameter [${name}] is given more than once`);
    }
    seen.add(name);
    params.push({ name, value: eq < 0 ? '' : decodeWire(pair.slice(eq + 1), true) });
  }
  return { path: decodeWire(rawPath, false), params };
}

/** The parameters by name (names are unique, `parseTarget` checks). */
export function paramsByName(params: readonly QueryParam[]): Record<string, string> {
  return Object.fromEntries(params.map((p) => [p.name, p.value]));
}

/**
 * Percent-decodes `text` once: `%XX` is a byte, other characters stand for themselves, and the
 * bytes must form UTF-8. A query is form-decoded (`+` is a space); a path is not.
 */
export function decodeWire(text: string, plusIsSpace: boolean): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new ApiError(RetCode.BadParameter, `malformed percent-encoding in [${text}]`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (ch === '+' && plusIsSpace) {
      bytes.push(0x20);
    } else if (ch.charCodeAt(0) < 0x80) {
      bytes.push(ch.charCodeAt(0));
    } else {
      // A request target is ASCII; a client must percent-encode everything else.
      throw new ApiError(RetCode.BadParameter, `unencoded non-ASCII character in [${text}]`);
    }
  }
  return decodeUtf8(Buffer.from(bytes), `[${text}] does not decode to UTF-8`);
}

/** Strict UTF-8: no replacement characters, and a BOM is kept (it is part of what was signed). */
export function decodeUtf8(bytes: Buffer, message = 'request body is not valid UTF-8'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ApiError(RetCode.BadParameter, message);
  }
}
