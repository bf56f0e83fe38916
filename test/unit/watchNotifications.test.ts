// What the watch tells, in English and in Simplified Chinese: one notification per ended job
// with its reason or run time, one for the lot when many end together, and only what
// `ehpc.notifyOn` asks for. Also what a job's detail gives for the message.
import { settings, useBundle } from './support/fakeVscode';
import { account, makeWatch } from './support/watchHost';
import * as assert from 'assert/strict';
import { EhpcError } from '../../src/ehpc/errors';
import { Job } from '../../src/ehpc/types';
import { endingOf, formatDuration, isRequestedStop, notificationsFor } from '../../src/watch/notifications';
import { WatchEvent, WatchedJob } from '../../src/watch/scheduler';

function watched(n: number): WatchedJob {
  return { account: 'QingCloud', zone: 'jn1a', clusterId: 'ehpc-a', hpcjobUuid: `hpcjob-${n}`, name: `sim ${n}`, status: 'running', since: 0 };
}

function ended(n: number, status: 'finished' | 'exited' | 'cancelled' | 'stopped', ending?: { reason?: string; runSeconds?: number; exitCode?: number; errorFile?: string }): WatchEvent {
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
      ['info', 'Job "sim 1" finished on ehpc-a after 1 h 2 min.', ['output', 'details', 'resubmit']],
      ['error', 'Job "sim 2" failed on ehpc-a: non-zero exit code.', ['output', 'details', 'resubmit']],
      ['warning', 'Job "sim 3" is no longer listed on ehpc-a.', []],
    ]);
  });

  it('tells a job no longer watched because its state is not known to this version, even under "failures"', () => {
    useBundle('en');
    const event: WatchEvent = { kind: 'unknownState', job: watched(1), latest: { ...watched(1), status: 'unknown' } };
    assert.deepEqual(notificationsFor([event], 'failures').map((t) => [t.severity, t.message, t.actions]), [
      ['warning', 'Job "sim 1" is in a state this version does not know; it is no longer watched.', ['details', 'reveal']],
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
      'Job "sim 2" failed on ehpc-a.',
      'Could not cancel job "sim 4": the stop operation j-abc failed; the job still runs.',
      'Could not cancel job "sim 5": the stop operation j-def failed with error 1400; the job still runs.',
    ]);
    assert.deepEqual(notificationsFor(events, 'none'), []);
  });

  it('reads Chinese with full-width punctuation', () => {
    useBundle('zh-cn');
    const [finished, exited] = [ended(1, 'finished', { runSeconds: 65 }), ended(2, 'exited', { reason: 'NonZeroExitCode' })].flatMap((event) => notificationsFor([event], 'all'));
    assert.equal(finished.message, '作业“sim 1”已在集群 ehpc-a 上完成，运行了 1 分 5 秒。');
    assert.equal(exited.message, '作业“sim 2”在集群 ehpc-a 上失败：非零退出码。');
    assert.equal(formatDuration(90_000), '1 天 1 小时');
  });

  it('tells a failure with its cluster, reason in words, exit code, run time and error file, and a button to copy that path', () => {
    useBundle('en');
    const event = ended(1, 'exited', { reason: 'NonZeroExitCode', exitCode: 2, runSeconds: 20, errorFile: '/home/u/job-1482.err' });
    const [told] = notificationsFor([event], 'failures', () => 'cfd-prod');
    assert.equal(told.message, 'Job "sim 1" failed on cfd-prod after 20 s: exit code 2 (non-zero exit code). Error output: /home/u/job-1482.err');
    assert.deepEqual(told.actions, ['output', 'details', 'copyErrorFile', 'resubmit']);
    assert.equal(told.jobs[0].errorFile, '/home/u/job-1482.err');
    assert.equal(notificationsFor([ended(2, 'exited', { reason: 'TimeLimit' })], 'all', () => 'cfd-prod')[0].message, 'Job "sim 2" failed on cfd-prod: time limit reached.');
    assert.equal(notificationsFor([ended(3, 'exited', { reason: 'SomethingNew' })], 'all', () => 'cfd-prod')[0].message, 'Job "sim 3" failed on cfd-prod: SomethingNew.');
    useBundle('zh-cn');
    assert.equal(notificationsFor([event], 'failures', () => 'cfd-prod')[0].message, '作业“sim 1”在集群 cfd-prod 上运行 20 秒后失败：退出码 2（非零退出码）。错误输出：/home/u/job-1482.err');
  });

  it('never turns a name, reason, path or code from the server into a link', () => {
    useBundle('en');
    const link = /\[[^\]]*\]\s*\(/u;
    const job = { ...watched(1), name: 'train [docs](https://example.com/x)' };
    const latest: Job = { ...job, status: 'exited' };
    const failure: WatchEvent = {
      kind: 'ended',
      job,
      latest,
      status: 'exited',
      ending: { reason: '[Fix it](command:workbench.action.terminal.sendSequence)', exitCode: 1, errorFile: '/home/u/[x](file:///etc/passwd).err' },
    };
    const events: WatchEvent[] = [
      failure,
      { kind: 'ended', job, latest: { ...latest, status: 'finished' }, status: 'finished' },
      { kind: 'ended', job, latest: { ...latest, status: 'cancelled' }, status: 'cancelled' },
      { kind: 'gone', job },
      { kind: 'unknownState', job, latest: { ...latest, status: 'unknown' } },
      { kind: 'cancelFailed', job, operationId: '[op](command:x)', errorCodes: '[1400](command:y)' },
    ];
    const cluster = () => 'prod [home](https://example.com)';
    for (const event of events) {
      const [told] = notificationsFor([event], 'all', cluster);
      assert.doesNotMatch(told.message, link, told.message);
    }
    const [told] = notificationsFor([failure], 'all', cluster);
    assert.match(told.message, /^Job "train \[docs\]\u200b\(https:\/\/example\.com\/x\)" failed on prod /u, 'the text itself is kept');
    assert.equal(told.jobs[0].errorFile, '/home/u/[x](file:///etc/passwd).err', 'Copy Error File Path copies the path as sent');
  });

  it('says nothing of jobs the user asked to cancel once they have stopped, but tells a cancel that failed', () => {
    useBundle('en');
    const asked = (n: number, status: 'cancelled' | 'stopped' | 'finished'): WatchEvent => {
      const event = ended(n, status);
      return event.kind === 'ended' ? { ...event, job: { ...event.job, cancelRequested: true } } : event;
    };
    const three = [asked(1, 'cancelled'), asked(2, 'cancelled'), asked(3, 'stopped')];
    assert.deepEqual(three.map(isRequestedStop), [true, true, true]);
    assert.deepEqual(notificationsFor(three, 'all'), []);
    // One that finished before the cancel reached it is news; so is a cancel that failed.
    assert.deepEqual(notificationsFor([...three, asked(4, 'finished')], 'all').map((t) => t.message), ['Job "sim 4" finished on ehpc-a.']);
    assert.deepEqual(notificationsFor([...three, { kind: 'cancelFailed', job: watched(5), operationId: 'j-abc' }], 'failures').map((t) => t.message), [
      'Could not cancel job "sim 5": the stop operation j-abc failed; the job still runs.',
    ]);
    // A job cancelled by someone else is still told.
    assert.deepEqual(notificationsFor([ended(6, 'cancelled')], 'all').map((t) => t.message), ['Job "sim 6" was cancelled on ehpc-a.']);
  });

  it('takes the run time from the detail, or from its start and end times', () => {
    assert.deepEqual(endingOf({ reason: ' NonZeroExitCode ', run_time: '65' }), { reason: 'NonZeroExitCode', runSeconds: 65 });
    assert.deepEqual(endingOf({ run_time: '', started_time: '2026-01-01T10:00:00', end_time: '2026-01-01T11:30:00' }), { runSeconds: 5400 });
    assert.deepEqual(endingOf({ reason: '', run_time: 'soon' }), {});
    assert.deepEqual(endingOf({ exit_code: '1', stderr_redirect_path: ' /home/u/a.err ' }), { exitCode: 1, errorFile: '/home/u/a.err' });
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

  it('never turns the server\'s reason for the failure into a link', async () => {
    useBundle('en');
    const client = { findJob: () => Promise.reject(new EhpcError('server', '{0}', ['[Fix it](command:workbench.action.terminal.sendSequence)'])) };
    const { watch } = makeWatch({ accounts: [account('A')], keys: new Map([['A', { accessKeyId: 'KEYID', secretAccessKey: 'secret' }]]), client: () => client });
    await watch.ready;
    watch.watch([{ ...watched(1), account: 'A' }]);
    await watch.tick();
    watch.dispose();
    assert.equal(watch.shown.length, 1);
    assert.match(watch.shown[0].message, /Fix it/);
    assert.doesNotMatch(watch.shown[0].message, /\]\s*\(/u);
  });
});

