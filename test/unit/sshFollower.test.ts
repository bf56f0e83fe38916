// The follower on a fake clock: only new bytes read, resume after a drop, a file truncated or
// replaced, the window's cap on what is read, and a refused login not tried again.
import * as assert from 'assert/strict';
import { Clock, FileSource, Follower, FollowEvents, FollowOptions, FollowState } from '../../src/ssh/follower';

class FakeClock implements Clock {
  now = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 0;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.push({ at: this.now + ms, callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Runs every timer due within `ms`, letting each tick's reads settle. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) {
        break;
      }
      this.timers = this.timers.filter((timer) => timer !== due);
      this.now = due.at;
      due.callback();
    }
    this.now = until;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

class Dropped extends Error {}

/** Files in memory; `drop` makes the next calls fail as a lost connection would. */
class MemorySource implements FileSource {
  files = new Map<string, Buffer>();
  drops = 0;
  calls: string[] = [];
  fatal: Error | undefined;

  append(path: string, text: string | Buffer): void {
    this.files.set(path, Buffer.concat([this.files.get(path) ?? Buffer.alloc(0), Buffer.from(text)]));
  }

  size(path: string): Promise<number | undefined> {
    return this.call(`size`, () => this.files.get(path)?.length);
  }

  read(path: string, offset: number, length: number): Promise<Buffer> {
    return this.call(`read ${offset}+${length}`, () => Buffer.from((this.files.get(path) ?? Buffer.alloc(0)).subarray(offset, offset + length)));
  }

  private call<T>(what: string, answer: () => T): Promise<T> {
    this.calls.push(what);
    if (this.fatal) {
      return Promise.reject(this.fatal);
    }
    if (this.drops > 0) {
      this.drops--;
      return Promise.reject(new Dropped('connection lost'));
    }
    return Promise.resolve(answer());
  }
}

function follow(source: MemorySource, clock: FakeClock, options: Partial<FollowOptions> = {}) {
  const seen = { text: '', restarts: 0, skipped: 0, states: [] as FollowState[], errors: [] as unknown[] };
  const events: FollowEvents = {
    text: (text) => (seen.text += text),
    restarted: () => {
      seen.restarts++;
      seen.text = '';
    },
    skipped: (bytes) => (seen.skipped += bytes),
    state: (state, error) => {
      seen.states.push(state);
      if (error) {
        seen.errors.push(error);
      }
    },
  };
  const follower = new Follower(source, '/home/u/job.out', events, {
    windowBytes: 1000,
    retryable: (error) => error instanceof Dropped,
    clock,
    random: () => 0.5,
    ...options,
  });
  return { follower, seen };
}

describe('following a file on the login node', () => {
  let clock: FakeClock;
  let source: MemorySource;
  const path = '/home/u/job.out';

  beforeEach(() => {
    clock = new FakeClock();
    source = new MemorySource();
  });

  it('shows what the file holds, then only what is appended, reading only the new bytes', async () => {
    source.append(path, 'step 1\n');
    const { follower, seen } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    assert.equal(seen.text, 'step 1\n');
    source.append(path, 'step 2\nstep 3\n');
    await clock.advance(1000);
    assert.equal(seen.text, 'step 1\nstep 2\nstep 3\n');
    // Every byte appended was read once, and the last bytes before them again, once, to check the file is the same.
    const appended = 'step 1\nstep 2\nstep 3\n'.length;
    assert.equal(follower.bytesRead, appended + 'step 1\n'.length);
    assert.equal(follower.reads, 2);
    // Idle ticks read nothing.
    await clock.advance(10_000);
    assert.equal(follower.bytesRead, appended + 'step 1\n'.length);
    assert.equal(follower.reads, 2);
    follower.dispose();
  });

  it('waits for a file that is not there yet, and shows it once it appears', async () => {
    const { follower, seen } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    assert.equal(follower.state, 'waiting');
    assert.equal(follower.found, false);
    source.append(path, 'hello\n');
    await clock.advance(2000);
    assert.equal(seen.text, 'hello\n');
    assert.equal(follower.state, 'following');
    follower.dispose();
  });

  it('polls again within two seconds while the file is idle, and within one while it grows', async () => {
    source.append(path, 'a\n');
    const { follower } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    source.calls.length = 0;
    await clock.advance(1999);
    assert.deepEqual(source.calls.filter((c) => c === 'size'), ['size']); // after the 1 s of a tick that grew
    source.calls.length = 0;
    await clock.advance(2000);
    assert.deepEqual(source.calls.filter((c) => c === 'size'), ['size']); // idle: every 2 s
    follower.dispose();
    assert.equal(clock.pending, 0);
  });

  it('resumes after dropped connections from the byte it had, nothing twice and nothing lost', async () => {
    source.append(path, 'one\n');
    const { follower, seen } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    source.drops = 3;
    source.append(path, 'two\n');
    await clock.advance(1000);
    assert.equal(follower.state, 'reconnecting');
    source.append(path, 'three\n');
    await clock.advance(60_000);
    assert.equal(seen.text, 'one\ntwo\nthree\n');
    assert.equal(follower.state, 'following');
    assert.equal(seen.errors.length, 3);
    follower.dispose();
  });

  it('backs off longer after each failure, up to the maximum', async () => {
    const { follower } = follow(source, clock, { backoffMs: 1000, maxBackoffMs: 8000 });
    source.drops = 100;
    follower.start();
    const times: number[] = [];
    const size = source.size.bind(source);
    source.size = (p) => {
      times.push(clock.now);
      return size(p);
    };
    await clock.advance(60_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // Jitter at its middle: 3/4 of 1, 2, 4, 8 s, then 8 s at most.
    assert.deepEqual(gaps.slice(0, 5), [750, 1500, 3000, 6000, 6000]);
    follower.dispose();
  });

  it('stops at once on a failure another try cannot fix (a refused login), and says so', async () => {
    const { follower, seen } = follow(source, clock);
    source.fatal = new Error('All configured authentication methods failed');
    follower.start();
    await clock.advance(60_000);
    assert.equal(follower.state, 'failed');
    assert.equal(source.calls.length, 1);
    assert.equal(seen.errors[0], source.fatal);
    assert.equal(clock.pending, 0);
  });

  it('reads a file that shrank again from its start', async () => {
    source.append(path, 'old line 1\nold line 2\n');
    const { follower, seen } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    source.files.set(path, Buffer.from('new\n'));
    await clock.advance(2000);
    assert.equal(seen.restarts, 1);
    assert.equal(seen.text, 'new\n');
    follower.dispose();
  });

  it('reads a file replaced by a longer one again from its start', async () => {
    source.append(path, 'first run, line 1\n');
    const { follower, seen } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    source.files.set(path, Buffer.from('second run: a different file, and longer\n'));
    await clock.advance(2000);
    assert.equal(seen.restarts, 1);
    assert.equal(seen.text, 'second run: a different file, and longer\n');
    follower.dispose();
  });

  it('reads only the last window of a big file, from a line start, and says how much it left out', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join('');
    source.append(path, lines);
    const { follower, seen } = follow(source, clock, { windowBytes: 1000, chunkBytes: 300 });
    follower.start();
    await clock.advance(0);
    assert.ok(seen.text.length <= 1000);
    assert.ok(/^line \d+\n/.test(seen.text), seen.text.slice(0, 20));
    assert.ok(seen.text.endsWith('line 4999\n'));
    assert.equal(seen.skipped + Buffer.byteLength(seen.text), lines.length);
    assert.ok(follower.bytesRead <= 1001, `read ${follower.bytesRead} bytes of ${lines.length}`);
    assert.ok(source.calls.filter((c) => c.startsWith('read')).every((c) => Number(c.split('+')[1]) <= 300));
    follower.dispose();
  });

  it('keeps a character split between two reads whole', async () => {
    const bytes = Buffer.from('你好\n');
    source.append(path, bytes.subarray(0, 4));
    const { follower, seen } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    source.append(path, bytes.subarray(4));
    await clock.advance(2000);
    assert.equal(seen.text, '你好\n');
    follower.dispose();
  });

  it('shows bytes that are not UTF-8 as replacement characters, never failing', async () => {
    source.append(path, Buffer.from([0x66, 0xff, 0xfe, 0x0a]));
    const { follower, seen } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    assert.equal(seen.text, 'f\ufffd\ufffd\n');
    follower.dispose();
  });

  it('reads once more when the job ends, then stops', async () => {
    source.append(path, 'running\n');
    const { follower, seen } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    source.append(path, 'done\n');
    const ended = follower.end();
    await clock.advance(0);
    await ended;
    assert.equal(seen.text, 'running\ndone\n');
    assert.equal(follower.state, 'ended');
    assert.equal(clock.pending, 0);
  });

  it('ends even when the last read needs another try after a drop', async () => {
    source.append(path, 'running\n');
    const { follower, seen } = follow(source, clock);
    follower.start();
    await clock.advance(0);
    source.append(path, 'done\n');
    source.drops = 1;
    const ended = follower.end();
    await clock.advance(5000);
    await ended;
    assert.equal(seen.text, 'running\ndone\n');
    assert.equal(follower.state, 'ended');
  });
});
