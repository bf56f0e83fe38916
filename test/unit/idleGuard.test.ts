// The idle guard's wiring on a fake clock, with fake lists: when it lists zones itself, the one
// warning per idle cluster (one notification for those due in the same round) and its three answers, the lists the tree and the watch hand it,
// nothing at all while off or signed out, and two windows sharing one clock.
import { settings } from './support/fakeVscode';
import * as assert from 'assert/strict';
import type { IdleListing, IdleWarning, ListPlace } from '../../src/clusters/idleClock';
import { IDLE_STATE_KEY, IdleAnswer, IdleGuard, idleButtons, idleMessage, MIN_ROUND_GAP_MS } from '../../src/clusters/idleGuard';
import { IdleStart, START_DELAY_MS } from '../../src/clusters/idleStart';
import { BudgetSpent } from '../../src/watch/budget';
import { FakeClock, settle } from './support/fakeClock';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A global state as VS Code keeps it: one object, shared by the windows given it. */
class FakeState {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

interface Harness {
  guard: IdleGuard;
  lists: ListPlace[];
  /** Every cluster warned about, in order. */
  asked: IdleWarning[];
  /** Each notification: the clusters it names. */
  asks: IdleWarning[][];
  /** Each Stop Cluster run: the clusters it was given. */
  stopped: unknown[][];
  warnings: string[];
}

/** Per zone, its clusters as the fake server lists them (mutable by the test). */
type Server = Map<string, IdleListing[]>;

function idle(clusterId: string, extra: Partial<IdleListing> = {}): IdleListing {
  return { clusterId, name: `name-${clusterId}`, status: 'active', paidType: 'PayForUsed', runningJobCount: 0, pendingJobCount: 0, ...extra };
}

function harness(options: {
  clock: FakeClock;
  places: ListPlace[];
  server: Server;
  state?: FakeState;
  minutes?: () => number;
  answer?: (warnings: readonly IdleWarning[]) => IdleAnswer | undefined;
  list?: (place: ListPlace) => Promise<IdleListing[]>;
}): Harness {
  const lists: ListPlace[] = [];
  const asked: IdleWarning[] = [];
  const asks: IdleWarning[][] = [];
  const stopped: unknown[][] = [];
  const warnings: string[] = [];
  const guard = new IdleGuard({
    now: () => options.clock.now,
    state: options.state ?? new FakeState(),
    minutes: options.minutes ?? (() => 60),
    places: () => Promise.resolve(options.places),
    list: options.list ?? ((place) => {
      lists.push(place);
      return Promise.resolve(options.server.get(`${place.account}/${place.zone}`) ?? []);
    }),
    ask: (warnings) => {
      asked.push(...warnings);
      asks.push([...warnings]);
      return Promise.resolve(options.answer?.(warnings));
    },
    stop: (clusters) => {
      stopped.push([...clusters]);
      return Promise.resolve();
    },
    log: { info: () => undefined, warn: (message: string) => void warnings.push(message) },
  });
  return { guard, lists, asked, asks, stopped, warnings };
}

describe('the idle guard', () => {
  let clock: FakeClock;
  const place = { account: 'main', zone: 'jn1a' };
  let guard: IdleGuard | undefined;

  beforeEach(() => {
    clock = new FakeClock().install();
    clock.now = Date.UTC(2026, 0, 1);
  });

  afterEach(() => {
    guard?.dispose();
    guard = undefined;
    clock.uninstall();
    settings.clear();
  });

  it('lists a zone nobody listed, warns once after the idle time, naming the cluster and how long', async () => {
    const server: Server = new Map([['main/jn1a', [idle('ehpc-a'), idle('ehpc-b', { runningJobCount: 2 })]]]);
    const h = harness({ clock, places: [place], server });
    guard = h.guard;
    await h.guard.round();
    assert.equal(h.lists.length, 1);
    await clock.advance(59 * MINUTE);
    assert.equal(h.asked.length, 0);
    await clock.advance(2 * MINUTE);
    assert.deepEqual(h.asked.map((warning) => [warning.clusterId, warning.name, warning.idleMs]), [['ehpc-a', 'name-ehpc-a', 60 * MINUTE]]);
    await clock.advance(3 * HOUR);
    assert.equal(h.asked.length, 1, 'one warning for the idle stretch');
    assert.match(idleMessage(h.asked, false), /“name-ehpc-a” has run no job for 1 h 0 min/);
    assert.match(idleMessage(h.asked, true), /“name-ehpc-a” of the account “main”/);
    // VS Code makes [label](https://…) in a message a link: a name from the server must not.
    const lure = idleMessage([{ ...h.asked[0], name: 'prod [Your key expired: sign in again](https://evil.example/login)' }], true);
    assert.doesNotMatch(lure, /\]\((https?|command|file):/);
    assert.match(lure, /\]\u200b\(https:\/\/evil\.example\/login\)/, 'the name is still shown as it is');
  });

  it('lists nothing and sets no timer while off or nobody is signed in', async () => {
    const server: Server = new Map([['main/jn1a', [idle('ehpc-a')]]]);
    for (const [minutes, places] of [[0, [place]], [60, []]] as const) {
      const h = harness({ clock, places: [...places], server, minutes: () => minutes });
      await h.guard.round();
      h.guard.observeList(place, [idle('ehpc-a')], clock.now);
      await clock.advance(5 * HOUR);
      assert.deepEqual([h.lists.length, h.asked.length, clock.pending().length], [0, 0, 0], `minutes ${minutes}, ${places.length} places`);
      h.guard.dispose();
    }
  });

  it('takes the tree\'s lists instead of its own, and the watch\'s jobs restart the idle time', async () => {
    const server: Server = new Map([['main/jn1a', [idle('ehpc-a')]]]);
    const h = harness({ clock, places: [place], server });
    guard = h.guard;
    h.guard.observeList(place, [idle('ehpc-a')], clock.now);
    await settle();
    await h.guard.round();
    assert.equal(h.lists.length, 0, 'the tree has just listed the zone');
    await clock.advance(30 * MINUTE);
    h.guard.sawActiveJob({ ...place, clusterId: 'ehpc-a' }, clock.now);
    await clock.advance(40 * MINUTE); // 70 min after the tree's list, 40 after the job
    assert.equal(h.asked.length, 0);
    await clock.advance(HOUR);
    assert.equal(h.asked.length, 1);
  });

  it('gives the tree a moment to list its other zones, and lists itself only those it did not', async () => {
    const other = { account: 'main', zone: 'jn1b' };
    const third = { account: 'main', zone: 'jn1c' };
    const h = harness({ clock, places: [place, other, third], server: new Map() });
    guard = h.guard;
    h.guard.observeList(place, [idle('ehpc-a')], clock.now);
    await clock.advance(1000);
    h.guard.observeList(other, [], clock.now);
    await clock.advance(2 * MIN_ROUND_GAP_MS);
    assert.deepEqual(h.lists, [third]);
  });

  it('Remind Me Later warns again after another idle time; Don\'t Warn never again, until allowed', async () => {
    const server: Server = new Map([['main/jn1a', [idle('ehpc-a')]]]);
    const answers: IdleAnswer[] = ['later', 'never'];
    const h = harness({ clock, places: [place], server, answer: () => answers.shift() });
    guard = h.guard;
    await h.guard.round();
    await clock.advance(61 * MINUTE);
    assert.equal(h.asked.length, 1);
    await clock.advance(50 * MINUTE);
    assert.equal(h.asked.length, 1, 'snoozed for the idle time');
    await clock.advance(15 * MINUTE);
    assert.equal(h.asked.length, 2, 'reminded');
    await clock.advance(10 * HOUR);
    assert.equal(h.asked.length, 2, 'never again');
    assert.equal(await h.guard.allowAll(), 1);
    server.set('main/jn1a', [idle('ehpc-a', { runningJobCount: 1 })]);
    await clock.advance(70 * MINUTE);
    server.set('main/jn1a', [idle('ehpc-a')]);
    await clock.advance(80 * MINUTE);
    assert.equal(h.asked.length, 3, 'warned again once allowed, in its next idle stretch');
  });

  it('Stop Cluster stops that cluster of that account and zone', async () => {
    const server: Server = new Map([['main/jn1a', [idle('ehpc-a')]]]);
    const h = harness({ clock, places: [place], server, answer: () => 'stop' });
    guard = h.guard;
    await h.guard.round();
    await clock.advance(61 * MINUTE);
    assert.deepEqual(h.stopped, [[{ account: 'main', zone: 'jn1a', clusterId: 'ehpc-a' }]]);
  });

  describe('several clusters due in the same round', () => {
    const other = { account: 'main', zone: 'jn1b' };
    const threeIdle = (): Server => new Map([['main/jn1a', [idle('ehpc-a'), idle('ehpc-b')]], ['main/jn1b', [idle('ehpc-c')]]]);
    const ids = (warnings: readonly { clusterId: string }[]) => warnings.map((warning) => warning.clusterId);

    it('are named in one notification; Remind Me Later snoozes each, Don\'t Warn excludes each', async () => {
      const answers: IdleAnswer[] = ['later', 'never'];
      const h = harness({ clock, places: [place, other], server: threeIdle(), answer: () => answers.shift() });
      guard = h.guard;
      await h.guard.round();
      await clock.advance(61 * MINUTE);
      assert.deepEqual(h.asks.map(ids), [['ehpc-a', 'ehpc-b', 'ehpc-c']], 'one notification for the three');
      await clock.advance(50 * MINUTE);
      assert.equal(h.asks.length, 1, 'each snoozed for the idle time');
      await clock.advance(15 * MINUTE);
      assert.deepEqual(h.asks.map(ids), [['ehpc-a', 'ehpc-b', 'ehpc-c'], ['ehpc-a', 'ehpc-b', 'ehpc-c']], 'reminded together');
      await clock.advance(10 * HOUR);
      assert.equal(h.asks.length, 2, 'none warned about again');
      assert.equal(await h.guard.allowAll(), 3, 'each was excluded');
    });

    it('Stop Clusters... gives every cluster of the notification to one Stop Cluster', async () => {
      const h = harness({ clock, places: [place, other], server: threeIdle(), answer: () => 'stop' });
      guard = h.guard;
      await h.guard.round();
      await clock.advance(61 * MINUTE);
      assert.deepEqual(h.stopped, [[
        { account: 'main', zone: 'jn1a', clusterId: 'ehpc-a' },
        { account: 'main', zone: 'jn1a', clusterId: 'ehpc-b' },
        { account: 'main', zone: 'jn1b', clusterId: 'ehpc-c' },
      ]]);
    });

    it('leave out a cluster another window warned about meanwhile', async () => {
      const state = new FakeState();
      // The other window is signed in to the second zone only, and its round comes first.
      const two = harness({ clock, places: [other], server: threeIdle(), state });
      const one = harness({ clock, places: [place, other], server: threeIdle(), state });
      try {
        await one.guard.round();
        await two.guard.round();
        one.guard.wake(); // its timer now set after the other window's
        await clock.advance(61 * MINUTE);
        assert.deepEqual([two.asks.map(ids), one.asks.map(ids)], [[['ehpc-c']], [['ehpc-a', 'ehpc-b']]]);
      } finally {
        one.guard.dispose();
        two.guard.dispose();
      }
    });

    it('name each (with its account when there are several) and how long at least; a long list is shortened', () => {
      const at = (clusterId: string, idleMs: number, account = 'main') => ({ account, zone: 'jn1a', clusterId, name: `name-${clusterId}`, idleSince: 0, idleMs });
      const three = [at('a', 125_000), at('b', 61 * MINUTE), at('c', 3 * MINUTE)];
      assert.equal(idleMessage(three, false), '3 clusters have run no job for 2 min or more: “name-a”, “name-b”, “name-c”. They are billed while they run: stop them?');
      assert.match(idleMessage([three[0], at('d', 2 * HOUR, 'lab')], true), /“name-a” \(account “main”\), “name-d” \(account “lab”\)/);
      assert.match(idleMessage([at('x', 2 * HOUR + 5 * MINUTE + 30_000), at('y', 3 * HOUR)], false), /^2 clusters have run no job for 2 h 5 min or more:/);
      const seven = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => at(id, 2 * MINUTE));
      assert.match(idleMessage(seven, false), /: “name-a”, “name-b”, “name-c”, “name-d” and 3 more\. They/);
      const lure = idleMessage([at('a', 2 * MINUTE), { ...at('b', 2 * MINUTE), name: 'prod [sign in again](https://evil.example/login)' }], false);
      assert.doesNotMatch(lure, /\]\((https?|command|file):/);
      assert.deepEqual(idleButtons(3).map(([answer, label]) => `${answer}: ${label}`), ['stop: Stop Clusters...', 'later: Remind Me Later', 'never: Don\'t Warn for These Clusters']);
      assert.deepEqual(idleButtons(1).map(([, label]) => label), ['Stop Cluster', 'Remind Me Later', 'Don\'t Warn for This Cluster']);
    });
  });

  it('lists each zone at most once every ten minutes, and tries a failed list again ten minutes later', async () => {
    let fail = true;
    const lists: number[] = [];
    const h = harness({
      clock, places: [place], server: new Map(), minutes: () => 1,
      list: () => {
        lists.push(clock.now);
        if (fail) {
          fail = false;
          return Promise.reject(new BudgetSpent());
        }
        return Promise.resolve([idle('ehpc-a', { runningJobCount: 1 })]); // busy: listed as often as allowed
      },
    });
    guard = h.guard;
    await h.guard.round();
    for (let i = 0; i < 20; i++) {
      h.guard.wake();
      await clock.advance(MIN_ROUND_GAP_MS);
    }
    await clock.advance(2 * HOUR);
    const gaps = lists.slice(1).map((at, i) => at - lists[i]);
    assert.ok(gaps.every((gap) => gap >= 10 * MINUTE), String(gaps));
    assert.equal(lists.length, 1 + 12, 'the failure, then one list every ten minutes over two hours');
    assert.match(h.warnings[0], /could not list the zone jn1a .*calls of this account are spent/);
  });

  it('two windows on one global state list the zone once and warn once', async () => {
    const server: Server = new Map([['main/jn1a', [idle('ehpc-a')]]]);
    const state = new FakeState();
    const one = harness({ clock, places: [place], server, state });
    const two = harness({ clock, places: [place], server, state });
    try {
      await one.guard.round();
      await two.guard.round();
      await clock.advance(2 * HOUR);
      assert.equal(one.lists.length + two.lists.length, 2 + 1, 'the first list, then one every hour (idle: nothing due between)');
      assert.equal(one.asked.length + two.asked.length, 1);
      assert.ok(state.get(IDLE_STATE_KEY) !== undefined);
    } finally {
      one.guard.dispose();
      two.guard.dispose();
    }
  });
});

describe('the idle guard across windows', () => {
  const place = { account: 'main', zone: 'jn1a' };
  const busy = () => Promise.resolve([idle('ehpc-a', { runningJobCount: 1 })]);
  const failing = () => Promise.reject(new Error('HTTP 502'));

  /** The lists `windows` guards on one global state send in the hour after they start. */
  async function listsInAnHour(windows: number, list: () => Promise<IdleListing[]>): Promise<number[]> {
    const clock = new FakeClock().install();
    clock.now = Date.UTC(2026, 0, 1);
    const start = clock.now;
    const state = new FakeState();
    const sent: number[] = [];
    const guards = Array.from({ length: windows }, () => harness({
      clock, places: [place], server: new Map(), state,
      list: () => {
        sent.push(clock.now - start);
        return list();
      },
    }).guard);
    try {
      for (const guard of guards) {
        await guard.round();
      }
      await clock.advance(HOUR - 1);
      return sent;
    } finally {
      guards.forEach((guard) => guard.dispose());
      clock.uninstall();
    }
  }

  for (const windows of [1, 3]) {
    for (const [what, list] of [['answers', busy], ['fails', failing]] as const) {
      it(`${windows} window(s) list a zone whose list ${what} once every ten minutes together`, async () => {
        const sent = await listsInAnHour(windows, list);
        assert.deepEqual(sent, [0, 10, 20, 30, 40, 50].map((minutes) => minutes * MINUTE));
      });
    }
  }

  it('a window whose list failed tries again ten minutes later, though another window made the attempt', async () => {
    const clock = new FakeClock().install();
    clock.now = Date.UTC(2026, 0, 1);
    const state = new FakeState();
    let fail = true;
    const list = () => (fail ? failing() : busy());
    const one = harness({ clock, places: [place], server: new Map(), state, list });
    const two = harness({ clock, places: [place], server: new Map(), state, list: () => list().then((clusters) => (two.lists.push(place), clusters)) });
    try {
      await one.guard.round();
      one.guard.dispose(); // the window that failed is closed
      fail = false;
      await two.guard.round();
      assert.equal(two.lists.length, 0, 'the failed attempt counts for every window');
      await clock.advance(10 * MINUTE);
      assert.equal(two.lists.length, 1);
    } finally {
      one.guard.dispose();
      two.guard.dispose();
      clock.uninstall();
    }
  });
});

describe('the idle guard at activation', () => {
  let clock: FakeClock;
  beforeEach(() => {
    clock = new FakeClock().install();
  });
  afterEach(() => {
    clock.uninstall();
    settings.clear();
  });

  function start(signedIn: boolean) {
    const made: string[] = [];
    const fake = { observeList: () => made.push('list'), sawActiveJob: () => undefined, allowAll: () => Promise.resolve(0), wake: () => made.push('wake'), round: () => Promise.resolve(), dispose: () => undefined, nextRoundInMs: undefined };
    const stand = new IdleStart(() => {
      made.push('made');
      return fake;
    }, () => Promise.resolve(signedIn));
    return { stand, made };
  }

  it('is made a while after activation when it has work, not at the tree\'s first lists, which it is handed then', async () => {
    const later = start(true);
    assert.deepEqual(later.made, []);
    later.stand.observeList({ account: 'a', zone: 'z' }, [], 0);
    later.stand.observeList({ account: 'a', zone: 'y' }, [], 0);
    later.stand.observeList({ account: 'a', zone: 'z' }, [], 1);
    assert.deepEqual(later.made, [], 'loading the guard would slow the tree\'s first rows');
    await clock.advance(START_DELAY_MS);
    assert.deepEqual(later.made, ['made', 'list', 'list', 'wake'], 'the latest list of each zone, then a round');
    later.stand.observeList({ account: 'a', zone: 'z' }, [], 2);
    assert.deepEqual(later.made.slice(4), ['list'], 'once made, each list goes straight to it');
    later.stand.dispose();
  });

  it('is never made while off or signed out', async () => {
    settings.set('ehpc.idleClusterMinutes', 0);
    const off = start(true);
    off.stand.observeList({ account: 'a', zone: 'z' }, [], 0);
    await clock.advance(START_DELAY_MS);
    settings.clear();
    const signedOut = start(false);
    await clock.advance(START_DELAY_MS);
    assert.deepEqual([off.made, signedOut.made], [[], []]);
    [off, signedOut].forEach(({ stand }) => stand.dispose());
  });
});
