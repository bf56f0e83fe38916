// The part of a job's output a tab holds: at most `maxChars` of its end, cut at a line start,
// and a count of what was left out before it (bytes the follower skipped, text dropped here).
// Memory stays bounded however long the job writes. No `vscode` import: tested in plain Node.

export class OutputWindow {
  private text = '';
  /** Bytes skipped after some text was shown: a line marks the gap before the next text. */
  private gapBytes = 0;
  /** The last text appended ended with `\r`: a `\n` starting the next is the same line end. */
  private afterReturn = false;
  /** The start of a colour code the last text ended in, kept for the rest of it in the next. */
  private heldEscape = '';
  /** Bytes of the file before the text shown. */
  omittedBytes = 0;
  /** The gap lines in the text: where each starts, its length, and the bytes it stands for. */
  private gaps: { at: number; length: number; bytes: number }[] = [];

  /** `gapLine`: the line that marks bytes left out in the middle (a burst bigger than the window). */
  constructor(
    private readonly maxChars: number,
    private readonly gapLine: (bytes: number) => string = (bytes) => `[${bytes} bytes not shown]`,
  ) {}

  get content(): string {
    return this.text;
  }

  append(text: string): void {
    if (this.gapBytes > 0) {
      const bytes = this.gapBytes;
      this.gapBytes = 0;
      if (this.text !== '' && !this.text.endsWith('\n')) {
        this.text += '\n';
      }
      const line = `${this.gapLine(bytes)}\n`;
      this.gaps.push({ at: this.text.length, length: line.length, bytes });
      this.text += line;
    }
    let rest = this.afterReturn && text.startsWith('\n') ? text.slice(1) : text;
    this.afterReturn = text.endsWith('\r');
    rest = this.heldEscape + rest;
    // eslint-disable-next-line no-control-regex -- an escape sequence cut off at the end of a read
    const cut = /\u001b(\[[0-?]*[ -/]*)?$/.exec(rest);
    this.heldEscape = cut ? cut[0] : '';
    this.text += clean(cut ? rest.slice(0, cut.index) : rest);
    if (this.text.length > this.maxChars) {
      let cut = this.text.length - this.maxChars;
      const newline = this.text.indexOf('\n', cut - 1);
      cut = newline >= 0 && newline < this.text.length - 1 ? newline + 1 : cut;
      // A gap line dropped with the text counts the file's bytes it stood for, not its own.
      let dropped = Buffer.byteLength(this.text.slice(0, cut));
      for (const gap of this.gaps.filter((g) => g.at < cut)) {
        dropped += gap.bytes - Buffer.byteLength(this.text.slice(gap.at, gap.at + gap.length));
      }
      this.gaps = this.gaps.filter((g) => g.at >= cut).map((g) => ({ ...g, at: g.at - cut }));
      this.omittedBytes += dropped;
      this.text = this.text.slice(cut);
    }
  }

  /** Bytes of the file not read: before the text when none is shown yet, else a gap in it. */
  skipped(bytes: number): void {
    if (this.text === '') {
      this.omittedBytes += bytes;
    } else {
      this.gapBytes += bytes;
    }
  }

  /** The file was replaced or truncated: it starts again. */
  clear(): void {
    this.text = '';
    this.omittedBytes = 0;
    this.gapBytes = 0;
    this.gaps = [];
    this.afterReturn = false;
    this.heldEscape = '';
  }
}

// Terminal colour codes and control characters: a log shown as text, not a terminal's screen.
// eslint-disable-next-line no-control-regex -- control characters are what is being removed
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Characters that show nothing yet carry text or turn it around: Unicode tags (an invisible
 * copy of ASCII), bidirectional overrides and isolates, zero-width characters. A job's output
 * may hold them to hide words from the reader (and from a chat model reading it).
 */
export const INVISIBLE = /[\u{E0000}-\u{E007F}\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060-\u2064\uFEFF]/gu;

/** Text as a document shows it: `\r\n` and a lone `\r` (a progress bar's) as line ends, no escapes, nothing invisible. */
export function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ESCAPES, '').replace(INVISIBLE, '');
}
