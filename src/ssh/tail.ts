// The last lines of a file on the login node, read from its end only: at most a fixed number
// of bytes, however big the file. For a quick look (the chat tool), not for following.
import type { FileSource } from './follower';

/** The most of a file's end read for a tail. */
export const TAIL_BYTES = 64 * 1024;

export interface Tail {
  /** The file's size when it was asked. */
  readonly size: number;
  /** The last lines, whole (a cut line at the start of the bytes read is left out), decoded. */
  readonly text: string;
  /** How many lines `text` holds (a last line without its newline counts). */
  readonly lines: number;
  /** The bytes of the file before `text`. */
  readonly omittedBytes: number;
}

const NEWLINE = 0x0a;

/** The last `lines` lines of `path`, from its last `maxBytes` bytes; undefined when there is no such file. */
export async function readTail(source: FileSource, path: string, lines: number, maxBytes = TAIL_BYTES): Promise<Tail | undefined> {
  const size = await source.size(path);
  if (size === undefined) {
    return undefined;
  }
  const start = Math.max(0, size - maxBytes);
  // One byte more before the end's bytes tells whether they begin a line.
  const before = start > 0 ? 1 : 0;
  const read = await source.read(path, start - before, size - start + before);
  const lineStart = before === 0 || read[0] === NEWLINE;
  const bytes = read.subarray(before);
  const { from, count } = lastLines(bytes, lines, !lineStart);
  return { size, text: new TextDecoder('utf-8').decode(bytes.subarray(from)), lines: count, omittedBytes: start + from };
}

/**
 * Where the last `wanted` lines of `bytes` begin, and how many there are. A newline byte never
 * occurs inside a UTF-8 character, so cutting after one never splits a character. `cutStart`:
 * the bytes begin inside the file, so their first line is likely cut and is left out (unless
 * it is all there is: one line longer than the bytes read, shown from a character's start).
 */
export function lastLines(bytes: Buffer, wanted: number, cutStart: boolean): { from: number; count: number } {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === NEWLINE) {
    end--; // the last line's own newline
  }
  let count = bytes.length > 0 ? 1 : 0;
  let from = 0;
  for (let i = end - 1; i >= 0; i--) {
    if (bytes[i] === NEWLINE) {
      if (count === wanted) {
        return { from: i + 1, count };
      }
      from = i + 1;
      count++;
    }
  }
  if (!cutStart) {
    return { from: 0, count };
  }
  if (count > 1) {
    return { from, count: count - 1 }; // from the first newline on
  }
  let first = 0;
  while (first < bytes.length && (bytes[first] & 0xc0) === 0x80) {
    first++; // continuation bytes of a character begun before the bytes read
  }
  return { from: first, count };
}
