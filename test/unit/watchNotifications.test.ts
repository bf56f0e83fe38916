// What the watch tells, in English and in Simplified Chinese: one notification per ended job
// with its reason or run time, one for the lot when many end together, and only what
// `ehpc.notifyOn` asks for. Also what a job's detail gives for the message.
import { settings, useBundle } from './support/fakeVscode';
import { account, makeWatch } from './support/watchHost';
import * as assert from 'assert/strict';
import { EhpcError } from '../../src/ehpc/errors';
import { Job } from '../../src/ehpc/types';
import { endingOf, formatDuration, notificationsFor } from '../../src/watch/notifications';
import { WatchEvent, WatchedJob } from '../../src/watch/scheduler';

function watched(n: number): WatchedJob {
  return { account: 'QingCloud', zone: 'jn1a', clusterId: 'ehpc-a', hpcjobUuid: `hpcjob-${n}`, name: `sim ${n}`, status: 'running', since: 0 };
}

function ended(n: number, status: 'finished' | 'exited' | 'cancelled' | 'stopped', ending?: { reason?: string; runSeconds?: number }): WatchEvent {
  const job = watched(n);
  const latest: Job = { ...job, status };
  return { kind: 'ended', job: { ...job, status }, latest, status, ending };
}

describe('watch notifications', () => {
  afterEach(() => useBundle('en'));

  it('tells each ending with its run time or reason, and the buttons that fit', () => {
    useBundle('en');
    const told = [
      ended(1, 'finished', { runSeconds: 3725 }),
      ended(2, 'exited', { reason: 'NonZeroExitCode' }),
      { kind: 'gone', job: watched(3) } as const,
    ].flatMap((event) => notificationsFor([event], 'all'));
    assert.deepEqual(told.map((t) => [t.severity, t.message, t.actions]), [
      ['info', 'Job sim 1 finished after 1 h 2 min.', ['output', 'details', 'resubmit', 'reveal']],
      ['error', 'Job sim 2 exited: NonZeroExitCode', ['output', 'details', 'resubmit', 'reveal']],
      ['warning', 'Job sim 3 is no longer listed.', []],
    ]);
  });

  it('tells a job no longer watched because its state is not known to this version, even under "failures"', () => {
    useBundle('en');
    const event: WatchEvent = { kind: 'unknownState', job: watched(1), latest: { ...watched(1), status: 'unknown' } };
    assert.deepEqual(notificationsFor([event], 'failures').map((t) => [t.severity, t.message, t.actions]), [
      ['warning', 'Job sim 1 is in a state this version does not know; it is no longer watched.', ['details', 'reveal']],
    ]);
    useBundle('zh-cn');
    assert.equal(notificationsFor([event], 'all')[0].message, '作业“sim 1”处于此版本无法识别的状态，已停止监视。');
  });

  it('groups two or more endings of one tick into one notification', () => {
    useBundle('en');
    const events = [ended(1, 'finished'), ended(2, 'finished'), ended(3, 'finished'), ended(4, 'finished'), ended(5, 'exited')];
    const told = notificationsFor(events, 'all');
    assert.equal(told.length, 1);
    assert.equal(told[0].message, '5 watched jobs ended: 4 finished, 1 exited.');
    assert.deepEqual(told[0].actions, ['reveal']);
    assert.equal(told[0].jobs.length, 5);
    assert.deepEqual(notificationsFor([ended(1, 'cancelled'), ended(2, 'cancelled'), ended(3, 'cancelled')], 'all').map((t) => t.message), ['3 watched jobs ended: 3 cancelled.']);
    useBundle('zh-cn');
    assert.equal(notificationsFor(events, 'all')[0].message, '5 个监视中的作业已结束：已完成 4 个、失败 1 个。');
  });

  it('tells only failures under "failures", and nothing under "none"', () => {
    useBundle('en');
    const events: WatchEvent[] = [ended(1, 'finished'), ended(2, 'exited'), ended(3, 'cancelled'), { kind: 'cancelFailed', job: watched(4), operationId: 'j-abc' }, { kind: 'cancelFailed', job: watched(5), operationId: 'j-def', errorCodes: '1400' }];
    assert.deepEqual(notificationsFor(events, 'failures').map((t) => t.message), ['3 watched jobs ended: 1 exited, 2 could not be cancelled.']);
    assert.deepEqual(events.flatMap((event) => notificationsFor([event], 'failures')).map((t) => t.message), [
      'Job sim 2 exited.',
      'Could not cancel job sim 4: the stop operation j-abc failed; the job still runs.',
      'Could not cancel job sim 5: the stop operation j-def failed with error 1400; the job still runs.',
    ]);
    assert.deepEqual(notificationsFor(events, 'none'), []);
  });

  it('reads Chinese with full-width punctuation', () => {
    useBundle('zh-cn');
    const [finished, exited] = [ended(1, 'finished', { runSeconds: 65 }), ended(2, 'exited', { reason: 'NonZeroExitCode' })].flatMap((event) => notificationsFor([event], 'all'));
    assert.equal(finished.message, '作业“sim 1”已完成，运行了 1 分 5 秒。');
    assert.equal(exited.message, '作业“sim 2”失败：NonZeroExitCode');
    assert.equal(formatDuration(90_000), '1 天 1 小时');
  });

  it('takes the run time from the detail, or from its start and end times', () => {
    assert.deepEqual(endingOf({ reason: ' NonZeroExitCode ', run_time: '65' }), { reason: 'NonZeroExitCode', runSeconds: 65 });
    assert.deepEqual(endingOf({ run_time: '', started_time: '2026-01-01T10:00:00', end_time: '2026-01-01T11:30:00' }), { runSeconds: 5400 });
    assert.deepEqual(endingOf({ reason: '', run_time: 'soon' }), {});
  });
});

describe('the watch failing to check', () => {
  afterEach(() => settings.clear());

  it('says it could not check the watched jobs even when ehpc.notifyOn is none', async () => {
    useBundle('en');
    settings.set('ehpc.notifyOn', 'none');
    const client = { findJob: () => Promise.reject(new EhpcError('network', 'The EHPC API could not be reached.')) };
    const { watch } = makeWatch({ accounts: [account('A')], keys: new Map([['A', { accessKeyId: 'KEYID', secretAccessKey: 'secret' }]]), client: () => client });
    await watch.ready;
    watch.watch([{ ...watched(1), account: 'A' }]);
    await watch.tick();
    watch.dispose();
    assert.deepEqual(watch.shown.map((shown) => shown.severity), ['warning']);
    assert.match(watch.shown[0].message, /^Could not check the watched jobs: /);
  });
});

