// Follows a file on the login node as it grows: each tick asks its size and reads only the
// bytes added since the last one, so what is transferred is what was appended. A drop is
// retried with back-off from the byte it had (nothing shown twice, nothing lost); a file
// that shrank or was replaced is read again from its start, with a note. Free of `vscode`:
// the tab above it turns the events into text.

/** What a follower needs of the remote side; each call may fail with a dropped connection. */
export interface FileSource {
  /** The file's size, or undefined when there is no such file (yet). */
  size(path: string): Promise<number | undefined>;
  /** Up to `length` bytes from `offset`; fewer at the end of the file. */
  read(path: string, offset: number, length: number): Promise<Buffer>;
}

export type FollowState = 'waiting' | 'following' | 'reconnecting' | 'ended' | 'failed';

export interface FollowEvents {
  /** New text, decoded, in order. */
  text(text: string): void;
  /** The file shrank or was replaced: what was shown is not its start any more. */
  restarted(): void;
  /** Bytes left out: the start of a file bigger than the window, or a burst bigger than it. */
  skipped(bytes: number): void;
  state(state: FollowState, error?: unknown): void;
}

export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FollowOptions {
  /** At most this many of the file's last bytes are read when it starts, or after a burst. */
  windowBytes: number;
  /** The largest read sent at once. */
  chunkBytes?: number;
  /** Between ticks while the file grows, and (longer) while it does not. */
  intervalMs?: number;
  idleIntervalMs?: number;
  /** The first pause after a failure; it doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Whether a failure is worth another try (a dropped connection) or ends following (a refused login). */
  retryable(error: unknown): boolean;
  clock?: Clock;
  /** For the back-off's jitter. */
  random?: () => number;
  /** Milliseconds, to time a tick from its start. */
  now?: () => number;
}

/** Bytes compared, before the offset, to tell a file replaced by another of at least its size. */
const OVERLAP = 16;

const realClock: Clock = { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) };

export class Follower {
  private offset = 0;
  /** The last bytes read, up to OVERLAP: what the file must still hold just before `offset`. */
  private tail = Buffer.alloc(0);
  private decoder = new TextDecoder('utf-8');
  private timer: unknown;
  private disposed = false;
  private reading = false;
  /** Set by end(): the next successful read is the last. */
  private ending: (() => void) | undefined;
  private ended: Promise<void> | undefined;
  private failures = 0;
  private current: FollowState | undefined;
  private seen = false;
  /** Bytes received from the source, overlap included: the cost of following. */
  bytesRead = 0;
  /** Reads sent: each tick's first one carries up to OVERLAP bytes read before. */
  reads = 0;

  private readonly chunkBytes: number;
  private readonly intervalMs: number;
  private readonly idleIntervalMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly source: FileSource,
    readonly path: string,
    private readonly events: FollowEvents,
    private readonly options: FollowOptions,
  ) {
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024;
    this.intervalMs = options.intervalMs ?? 1000;
    this.idleIntervalMs = options.idleIntervalMs ?? 2000;
    this.clock = options.clock ?? realClock;
  }

  get state(): FollowState | undefined {
    return this.current;
  }

  /** Whether the file was there at some read. */
  get found(): boolean {
    return this.seen;
  }

  /** Reads what the file holds now, then keeps following it until end() or dispose(). */
  start(): void {
    this.schedule(0);
  }

  /**
   * The job ended: one more successful read, for what it wrote at the end, then no more.
   * Resolves once that read is done, or following failed or was disposed.
   */
  end(): Promise<void> {
    if (!this.ended) {
      this.ended = new Promise((resolve) => (this.ending = resolve));
      if (this.current === 'failed' || this.disposed) {
        this.ending?.();
      } else if (!this.reading) {
        this.clock.clearTimeout(this.timer); // the last read at once, not at the next tick
        this.schedule(0);
      }
    }
    return this.ended;
  }

  dispose(): void {
    this.disposed = true;
    this.clock.clearTimeout(this.timer);
    this.ending?.();
  }

  private schedule(ms: number): void {
    if (this.disposed) {
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.reading = true;
      void this.tick().then((delay) => {
        this.reading = false;
        if (delay !== undefined) {
          this.schedule(delay);
        }
      });
    }, ms);
  }

  /** Reads what was added since the last tick; answers how long to wait for the next one, or undefined: no next one. */
  private async tick(): Promise<number | undefined> {
    const last = this.ending !== undefined;
    // A monotonic clock: a wall clock set back an hour would make the next read wait an hour.
    const now = this.options.now ?? (() => performance.now());
    const started = now();
    try {
      const grew = await this.readNew();
      this.failures = 0;
      if (last) {
        this.setState('ended');
        this.ending?.();
        return undefined;
      }
      // end() called during this read: read once more at once, for what came after it. A file
      // that grew is asked again an interval after this tick began: a long read (a fast writer)
      // does not add a whole interval, or the follower would fall behind and skip.
      return this.ending ? 0 : grew ? Math.max(0, this.intervalMs - (now() - started)) : this.idleIntervalMs;
    } catch (error) {
      if (this.disposed) {
        return undefined;
      }
      if (!this.options.retryable(error)) {
        this.setState('failed', error);
        this.ending?.();
        return undefined;
      }
      this.failures++;
      this.setState('reconnecting', error);
      const base = Math.min(this.options.maxBackoffMs ?? 60_000, (this.options.backoffMs ?? 1000) * 2 ** (this.failures - 1));
      return base / 2 + (base / 2) * (this.options.random ?? Math.random)();
    }
  }

  private async readNew(): Promise<boolean> {
    const size = await this.source.size(this.path);
    if (size === undefined) {
      this.setState(this.offset > 0 ? 'following' : 'waiting');
      return false;
    }
    this.seen = true;
    this.setState('following');
    if (size < this.offset) {
      this.restart();
    }
    if (size === this.offset) {
      return false; // nothing new: nothing read, not even the check below
    }
    // More than the window is waiting (the start of a big file, a long drop): skip to its last part.
    let skipLine = false;
    if (size - this.offset > this.options.windowBytes) {
      // From the byte before the window: the text starts after the first newline from there.
      const from = size - this.options.windowBytes - 1;
      this.events.skipped(from - this.offset);
      this.offset = from;
      this.tail = Buffer.alloc(0);
      this.decoder = new TextDecoder('utf-8');
      skipLine = true;
    }
    // The first read starts a few bytes early: they must be those read there last time, or
    // the file was replaced by another at least as long.
    let back = this.tail.length;
    while (this.offset < size && !this.disposed) {
      const read = await this.source.read(this.path, this.offset - back, back + Math.min(this.chunkBytes, size - this.offset));
      this.bytesRead += read.length;
      this.reads++;
      if (back > 0 && !read.subarray(0, back).equals(this.tail)) {
        this.restart();
        return this.readNew();
      }
      const bytes = read.subarray(back);
      back = 0;
      if (bytes.length === 0 || this.disposed) {
        break; // shorter than its size said: the rest comes next tick
      }
      this.offset += bytes.length;
      this.tail = Buffer.concat([this.tail, bytes]).subarray(-OVERLAP);
      let shown = bytes;
      if (skipLine) {
        // Start the text at a line: the bytes before the first newline end a line left out.
        const newline = bytes.indexOf(0x0a);
        shown = newline >= 0 ? bytes.subarray(newline + 1) : Buffer.alloc(0);
        this.events.skipped(bytes.length - shown.length);
        skipLine = newline < 0;
      }
      const text = this.decoder.decode(shown, { stream: true });
      if (text) {
        this.events.text(text);
      }
    }
    return true;
  }

  private restart(): void {
    this.offset = 0;
    this.tail = Buffer.alloc(0);
    this.decoder = new TextDecoder('utf-8');
    this.events.restarted();
  }

  private setState(state: FollowState, error?: unknown): void {
    if (this.disposed) {
      return;
    }
    if (state !== this.current || error !== undefined) {
      this.current = state;
      this.events.state(state, error);
    }
  }
}
