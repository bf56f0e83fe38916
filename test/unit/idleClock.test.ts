// The idle guard's clock on a fake clock: since when an active pay-as-you-go cluster has run no
// job, when it is due a warning, Remind Me Later and Don't Warn, a restart of the window, and
// how often the guard lists clusters itself.
import * as assert from 'assert/strict';
import {
  FRESH_MS, IdleClock, IdleListing, LIST_INTERVAL_MS, QUIET_LIST_INTERVAL_MS,
} from '../../src/clusters/idleClock';

const MINUTE = 60_000;
const IDLE = 60; // minutes
const place = { account: 'main', zone: 'jn1a' };
const ref = { ...place, clusterId: 'ehpc-a1' };

function listing(extra: Partial<IdleListing> = {}): IdleListing {
  return { clusterId: 'ehpc-a1', name: 'cfd', status: 'active', paidType: 'PayForUsed', runningJobCount: 0, pendingJobCount: 0, ...extra };
}

const due = (clock: IdleClock, now: number) => clock.warningsDue(now, IDLE).map((warning) => warning.clusterId);

describe('the idle clock', () => {
  it('warns about an active pay-as-you-go cluster idle for idleMinutes, naming since when', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    clock.observeList(place, [listing()], 50 * MINUTE);
    assert.deepEqual(due(clock, 59 * MINUTE), []);
    clock.observeList(place, [listing()], 60 * MINUTE);
    assert.deepEqual(clock.warningsDue(60 * MINUTE, IDLE), [{ ...ref, name: 'cfd', idleSince: 0, idleMs: 60 * MINUTE }]);
  });

  it('has no clock for a stopped, reserved, starting or stopping cluster, nor one whose job counts are not told', () => {
    for (const extra of [
      { status: 'stopped' }, { paidType: 'Reserved' as const }, { paidType: undefined }, { paidType: 'unknown' as const },
      { transitionStatus: 'stopping' as const }, { status: 'pending' }, { runningJobCount: undefined },
    ]) {
      const clock = new IdleClock();
      clock.observeList(place, [listing(extra)], 0);
      clock.observeList(place, [listing(extra)], 120 * MINUTE);
      assert.deepEqual(due(clock, 120 * MINUTE), [], JSON.stringify(extra));
      assert.equal(clock.idleSince(ref), undefined);
    }
  });

  it('restarts when a list shows a job running or pending, and when a job ended between two lists', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing({ finishedJobCount: 4 })], 0);
    clock.observeList(place, [listing({ pendingJobCount: 1, finishedJobCount: 4 })], 20 * MINUTE);
    assert.equal(clock.idleSince(ref), undefined);
    clock.observeList(place, [listing({ finishedJobCount: 4 })], 30 * MINUTE);
    assert.equal(clock.idleSince(ref), 30 * MINUTE);
    // A short job ran and ended between these two lists: only the finished count tells.
    clock.observeList(place, [listing({ finishedJobCount: 5 })], 40 * MINUTE);
    assert.equal(clock.idleSince(ref), 40 * MINUTE);
    clock.observeList(place, [listing({ finishedJobCount: 5 })], 100 * MINUTE);
    assert.deepEqual(due(clock, 100 * MINUTE), ['ehpc-a1']);
  });

  it('restarts when the watch sees a job running, and ignores a list taken before that sighting', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    clock.sawActiveJob(ref, 30 * MINUTE);
    clock.observeList(place, [listing()], 29 * MINUTE); // an answer that was slow to come
    assert.equal(clock.idleSince(ref), undefined);
    clock.observeList(place, [listing()], 40 * MINUTE);
    assert.equal(clock.idleSince(ref), 40 * MINUTE);
  });

  it('takes a refresh of the tree in between as one more list, without restarting the clock', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    clock.observeList(place, [listing({ name: 'cfd renamed' })], 5 * MINUTE);
    clock.observeList(place, [listing()], 61 * MINUTE);
    assert.equal(clock.idleSince(ref), 0);
    assert.deepEqual(due(clock, 61 * MINUTE), ['ehpc-a1']);
  });

  it('warns only on a fresh list: a cluster may have been stopped since an older one', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    clock.observeList(place, [listing()], 55 * MINUTE);
    assert.deepEqual(due(clock, 55 * MINUTE + FRESH_MS), ['ehpc-a1']);
    assert.deepEqual(due(clock, 55 * MINUTE + FRESH_MS + 1), []);
  });

  it('warns once per idle stretch', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    clock.observeList(place, [listing()], 60 * MINUTE);
    clock.warned(ref, 60 * MINUTE);
    clock.observeList(place, [listing()], 120 * MINUTE);
    assert.deepEqual(due(clock, 120 * MINUTE), []);
    clock.observeList(place, [listing({ runningJobCount: 2 })], 130 * MINUTE);
    clock.observeList(place, [listing()], 140 * MINUTE);
    clock.observeList(place, [listing()], 200 * MINUTE);
    assert.deepEqual(clock.warningsDue(200 * MINUTE, IDLE).map((warning) => [warning.idleSince, warning.idleMs]), [[140 * MINUTE, 60 * MINUTE]]);
  });

  it('Remind Me Later warns again after another idleMinutes', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    clock.observeList(place, [listing()], 60 * MINUTE);
    clock.snooze(ref, 61 * MINUTE, IDLE);
    clock.observeList(place, [listing()], 120 * MINUTE);
    assert.deepEqual(due(clock, 120 * MINUTE), []);
    clock.observeList(place, [listing()], 121 * MINUTE);
    assert.deepEqual(clock.warningsDue(121 * MINUTE, IDLE).map((warning) => warning.idleMs), [121 * MINUTE]);
  });

  it('a snooze ends with the idle stretch: after jobs, the warning comes idleMinutes after it idles again', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    clock.observeList(place, [listing()], 60 * MINUTE);
    clock.snooze(ref, 60 * MINUTE, IDLE);
    clock.observeList(place, [listing({ runningJobCount: 1 })], 70 * MINUTE);
    clock.observeList(place, [listing()], 100 * MINUTE);
    clock.observeList(place, [listing()], 130 * MINUTE);
    assert.deepEqual(due(clock, 130 * MINUTE), [], 'the old snooze (until 120) does not bring it forward');
    clock.observeList(place, [listing()], 160 * MINUTE);
    assert.deepEqual(due(clock, 160 * MINUTE), ['ehpc-a1']);
  });

  it('Don\'t Warn for This Cluster is kept through jobs, a stop and a restart of the window, until allowed again', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing(), listing({ clusterId: 'ehpc-b2' })], 0);
    clock.neverWarn(ref);
    clock.observeList(place, [listing({ status: 'stopped' }), listing({ clusterId: 'ehpc-b2' })], 30 * MINUTE);
    clock.observeList(place, [listing(), listing({ clusterId: 'ehpc-b2' })], 40 * MINUTE);
    const restarted = new IdleClock(JSON.parse(JSON.stringify(clock)));
    restarted.observeList(place, [listing(), listing({ clusterId: 'ehpc-b2' })], 200 * MINUTE);
    assert.deepEqual(due(restarted, 200 * MINUTE), ['ehpc-b2']);
    assert.ok(restarted.isNeverWarned(ref));
    restarted.allowWarnings(ref);
    assert.deepEqual(due(restarted, 200 * MINUTE).sort(), ['ehpc-a1', 'ehpc-b2']);
  });

  it('keeps the clock through a restart of the window: idle before stays idle since then', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing({ finishedJobCount: 3 })], 0);
    clock.observeList(place, [listing({ finishedJobCount: 3 })], 20 * MINUTE);
    const saved: unknown = JSON.parse(JSON.stringify(clock.toJSON()));
    const restarted = new IdleClock(saved);
    assert.equal(restarted.idleSince(ref), 0);
    assert.deepEqual(due(restarted, 90 * MINUTE), [], 'nothing on the old list alone');
    restarted.observeList(place, [listing({ finishedJobCount: 3 })], 90 * MINUTE);
    assert.deepEqual(restarted.warningsDue(90 * MINUTE, IDLE).map((warning) => warning.idleMs), [90 * MINUTE]);
  });

  it('after a restart, restarts the clock when a job was seen in between', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing({ finishedJobCount: 3 })], 0);
    const restarted = new IdleClock(JSON.parse(JSON.stringify(clock)));
    restarted.observeList(place, [listing({ finishedJobCount: 4 })], 90 * MINUTE);
    assert.equal(restarted.idleSince(ref), 90 * MINUTE);
    const running = new IdleClock(JSON.parse(JSON.stringify(clock)));
    running.observeList(place, [listing({ runningJobCount: 1, finishedJobCount: 3 })], 90 * MINUTE);
    assert.equal(running.idleSince(ref), undefined);
  });

  it('reads back a damaged saved state entry by entry, never throwing', () => {
    for (const saved of [undefined, null, 42, 'x', [], { version: 2 }, { version: 1, places: 'x', clusters: {}, never: [null, 7] }]) {
      assert.deepEqual(new IdleClock(saved).toJSON(), { version: 1, places: [], clusters: [], never: [] }, JSON.stringify(saved));
    }
    const partly = new IdleClock({
      version: 1,
      places: [{ account: 'main', zone: 'jn1a', listedAt: 5 }, { account: 'main', zone: 'jn1a', listedAt: 'soon' }],
      tried: [{ account: 'main', zone: 'jn1b', at: 4 }, { account: 'main', at: 4 }],
      clusters: [{ ...ref, name: 'cfd', seenAt: 5, idleSince: 1, extra: 'dropped' }, { ...ref, clusterId: 'ehpc-b2', name: 'x', seenAt: 5, idleSince: 'long ago' }],
      never: [{ ...ref, clusterId: 'ehpc-c3' }, { account: 'main' }],
    });
    assert.deepEqual(partly.toJSON(), {
      version: 1,
      places: [{ account: 'main', zone: 'jn1a', listedAt: 5 }],
      clusters: [{ ...ref, name: 'cfd', seenAt: 5, idleSince: 1 }],
      never: [{ ...ref, clusterId: 'ehpc-c3' }],
      tried: [{ account: 'main', zone: 'jn1b', at: 4 }],
    });
  });

  it('forgets a cluster that is no longer listed, and an account signed out of', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing(), listing({ clusterId: 'ehpc-b2' })], 0);
    clock.observeList(place, [listing({ clusterId: 'ehpc-b2' })], 10 * MINUTE);
    assert.equal(clock.idleSince(ref), undefined);
    clock.observeList(place, [listing(), listing({ clusterId: 'ehpc-b2' })], 20 * MINUTE);
    assert.equal(clock.idleSince(ref), 20 * MINUTE, 'back again: a new clock');
    clock.forgetAccount('main');
    assert.deepEqual(clock.toJSON().clusters, []);
    assert.deepEqual(clock.toJSON().places, []);
  });

  it('keeps a cluster of another zone or account apart', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    clock.observeList({ account: 'other', zone: 'jn1a' }, [listing()], 0);
    clock.observeList({ account: 'main', zone: 'pek3' }, [], 10 * MINUTE);
    clock.observeList(place, [listing()], 60 * MINUTE);
    clock.observeList({ account: 'other', zone: 'jn1a' }, [listing({ runningJobCount: 1 })], 60 * MINUTE);
    assert.deepEqual(clock.warningsDue(60 * MINUTE, IDLE).map((warning) => warning.account), ['main']);
  });

  it('warns about nothing when off (0 minutes)', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    clock.observeList(place, [listing()], 600 * MINUTE);
    assert.deepEqual(clock.warningsDue(600 * MINUTE, 0), []);
    assert.deepEqual(clock.listsDue(600 * MINUTE, [place], 0), { due: [] });
  });

  it('copes with the system clock going back', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 1000 * MINUTE);
    clock.observeList(place, [listing()], 100 * MINUTE);
    assert.equal(clock.idleSince(ref), 100 * MINUTE);
    clock.observeList(place, [listing()], 160 * MINUTE);
    assert.deepEqual(due(clock, 160 * MINUTE), ['ehpc-a1']);
  });
});

describe('when the idle guard lists clusters itself', () => {
  const other = { account: 'main', zone: 'pek3' };

  it('lists a zone it has never seen at once', () => {
    assert.deepEqual(new IdleClock().listsDue(0, [place, other], IDLE), { due: [place, other] });
  });

  it('lists a zone at most once per ten minutes, and not while the tree hands it fresher lists', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing({ runningJobCount: 1 })], 0);
    assert.deepEqual(clock.listsDue(LIST_INTERVAL_MS - 1, [place], IDLE), { due: [], nextAt: LIST_INTERVAL_MS });
    clock.observeList(place, [listing({ runningJobCount: 1 })], 8 * MINUTE); // the tree refreshed
    assert.deepEqual(clock.listsDue(LIST_INTERVAL_MS, [place], IDLE), { due: [], nextAt: 18 * MINUTE });
    assert.deepEqual(clock.listsDue(18 * MINUTE, [place], IDLE).due, [place]);
  });

  it('lists an idle cluster\'s zone when its warning would be due, not before', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing()], 0);
    assert.deepEqual(clock.listsDue(0, [place], IDLE), { due: [], nextAt: 60 * MINUTE });
    clock.snooze(ref, 60 * MINUTE, IDLE);
    clock.observeList(place, [listing()], 60 * MINUTE);
    assert.equal(clock.listsDue(60 * MINUTE, [place], IDLE).nextAt, 120 * MINUTE);
    clock.warned(ref, 120 * MINUTE);
    clock.observeList(place, [listing()], 120 * MINUTE);
    assert.equal(clock.listsDue(120 * MINUTE, [place], IDLE).nextAt, 120 * MINUTE + QUIET_LIST_INTERVAL_MS, 'warned: only the quiet look');
  });

  it('looks at a zone with nothing to watch once an hour, and at one marked never the same', () => {
    const clock = new IdleClock();
    clock.observeList(place, [listing({ status: 'stopped' })], 0);
    clock.observeList(other, [listing()], 0);
    clock.neverWarn({ ...other, clusterId: 'ehpc-a1' });
    assert.deepEqual(clock.listsDue(0, [place, other], IDLE), { due: [], nextAt: QUIET_LIST_INTERVAL_MS });
  });

  it('counts a list sent as a list until one answers: a failed one is tried again ten minutes later, in any window', () => {
    const clock = new IdleClock();
    clock.trying(place, 0);
    assert.deepEqual(clock.listsDue(LIST_INTERVAL_MS - 1, [place], IDLE), { due: [], nextAt: LIST_INTERVAL_MS }, 'never listed, tried');
    const saved = new IdleClock(JSON.parse(JSON.stringify(clock)));
    assert.deepEqual(saved.listsDue(LIST_INTERVAL_MS - 1, [place], IDLE), { due: [], nextAt: LIST_INTERVAL_MS }, 'in the shared state');
    clock.observeList(place, [listing({ status: 'stopped' })], 5 * MINUTE); // the tree listed it meanwhile
    assert.equal(clock.toJSON().tried, undefined);
    clock.trying(place, QUIET_LIST_INTERVAL_MS + 5 * MINUTE); // the quiet look fails
    assert.deepEqual(clock.listsDue(QUIET_LIST_INTERVAL_MS + 14 * MINUTE, [place], IDLE), { due: [], nextAt: QUIET_LIST_INTERVAL_MS + 15 * MINUTE });
    clock.forgetAccount('main');
    assert.deepEqual(clock.toJSON(), { version: 1, places: [], clusters: [], never: [] });
  });

  it('takes a list or an attempt far ahead of now (the clock set back, a damaged state) as none: the zone is listed, not silenced', () => {
    const day = 24 * 60 * MINUTE;
    const listed = new IdleClock();
    listed.observeList(place, [listing()], 2 * day);
    assert.deepEqual(listed.listsDue(day, [place], IDLE).due, [place]);
    const tried = new IdleClock();
    tried.trying(place, 8.64e15);
    assert.deepEqual(tried.listsDue(0, [place], IDLE).due, [place]);
    const soon = new IdleClock();
    soon.observeList(place, [listing()], 5 * MINUTE); // another window's clock a little ahead: kept
    assert.deepEqual(soon.listsDue(0, [place], IDLE).due, []);
  });

  it('with 3 accounts of 10 busy clusters each, lists at most 6 times an hour per account and zone', () => {
    const clock = new IdleClock();
    const places = ['a', 'b', 'c'].map((account) => ({ account, zone: 'jn1a' }));
    const busy = Array.from({ length: 10 }, (_, i) => listing({ clusterId: `ehpc-c${i}`, runningJobCount: 1 }));
    let lists = 0;
    for (let now = 0; now < 60 * MINUTE; now += MINUTE) {
      for (const due of clock.listsDue(now, places, IDLE).due) {
        lists++;
        clock.observeList(due, busy, now);
      }
    }
    assert.equal(lists, 18);
  });
});
