import * as assert from 'assert/strict';
import { Job } from '../../src/ehpc/types';
import { findSubmitted, parseWireTime, SUBMIT_CLOCK_TOLERANCE_MS } from '../../src/submit/duplicates';

const sentAt = new Date('2026-03-04T05:00:00Z');
const sent = { name: 'lammps', cmdLine: "bash '/home/alice/.vscode-ehpc/lammps-20260304-050000-abc123.sh'", runUser: 'alice', sentAt };

function job(uuid: string, fields: Partial<Job> = {}): Job {
  return {
    account: 'QingCloud', zone: 'jn1a', clusterId: 'ehpc-1', hpcjobUuid: uuid, name: sent.name, status: 'pending',
    cmdLine: sent.cmdLine, runUser: sent.runUser, submittedTime: '2026-03-04T05:00:03', ...fields,
  };
}

const uuids = (matches: ReturnType<typeof findSubmitted>): string[] => matches.map((m) => m.job.hpcjobUuid);

describe('finding a job whose submit had no answer', () => {
  it('finds the job with the same name, cmd_line and run_user, submitted after it was sent', () => {
    const matches = findSubmitted([job('hpcjob-a')], sent);
    assert.deepEqual(matches, [{ job: job('hpcjob-a'), timeUnverified: false }]);
  });

  it('keeps the listed order (newest first) when several match', () => {
    assert.deepEqual(uuids(findSubmitted([job('hpcjob-new', { submittedTime: '2026-03-04T05:01:00' }), job('hpcjob-old')], sent)), [
      'hpcjob-new', 'hpcjob-old',
    ]);
  });

  it('passes over a job with another cmd_line, run_user or name (the list is searched by words, not the exact name)', () => {
    const candidates = [
      job('hpcjob-cmd', { cmdLine: "bash '/home/alice/.vscode-ehpc/lammps-20260304-045000-zzzzzz.sh'" }),
      job('hpcjob-user', { runUser: 'bob' }),
      job('hpcjob-name', { name: 'lammps-2' }),
      job('hpcjob-case', { name: 'LAMMPS' }),
    ];
    assert.deepEqual(findSubmitted(candidates, sent), []);
  });

  it('matches when the list item carries no cmd_line or run_user, and over white space at their ends', () => {
    const candidates = [job('hpcjob-bare', { cmdLine: undefined, runUser: undefined }), job('hpcjob-trimmed', { cmdLine: ` ${sent.cmdLine}\n` })];
    assert.deepEqual(uuids(findSubmitted(candidates, sent)), ['hpcjob-bare', 'hpcjob-trimmed']);
  });

  it('passes over a job submitted before the send, beyond the clock tolerance', () => {
    // The API refuses requests more than 60 s off its clock: 90 s keeps a margin, and no more.
    assert.equal(SUBMIT_CLOCK_TOLERANCE_MS, 90_000);
    const candidates = [
      job('hpcjob-edge', { submittedTime: '2026-03-04T04:58:30' }), // exactly the tolerance: the cluster clock may be behind
      job('hpcjob-old', { submittedTime: '2026-03-04T04:58:29' }),
      job('hpcjob-yesterday', { submittedTime: '2026-03-03T05:00:03' }),
    ];
    assert.deepEqual(uuids(findSubmitted(candidates, sent)), ['hpcjob-edge']);
    assert.deepEqual(uuids(findSubmitted(candidates, sent, 0)), []);
    assert.deepEqual(uuids(findSubmitted(candidates, sent, 2 * 86_400_000)), ['hpcjob-edge', 'hpcjob-old', 'hpcjob-yesterday']);
  });

  it('passes over the jobs listed before the submit (the one resubmitted among them), ended or not', () => {
    const candidates = [
      job('hpcjob-new'),
      job('hpcjob-before'),
      job('hpcjob-resubmitted', { status: 'finished' }),
      job('hpcjob-before-ended', { status: 'exited' }),
    ];
    const known = new Set(['hpcjob-before', 'hpcjob-resubmitted', 'hpcjob-before-ended']);
    assert.deepEqual(uuids(findSubmitted(candidates, { ...sent, known })), ['hpcjob-new']);
  });

  it('counts a new job that has already ended (a short or failing job, ended before the look-up) when its time fits', () => {
    const candidates = [
      job('hpcjob-exited', { status: 'exited' }),
      job('hpcjob-finished', { status: 'finished', submittedTime: '2026-03-04T04:59:00' }),
      job('hpcjob-cancelled', { status: 'cancelled' }),
      job('hpcjob-ended-long-ago', { status: 'finished', submittedTime: '2026-03-04T04:58:29' }),
    ];
    assert.deepEqual(uuids(findSubmitted(candidates, { ...sent, known: new Set(['hpcjob-older']) })), ['hpcjob-exited', 'hpcjob-finished', 'hpcjob-cancelled']);
  });

  it('does not count an ended job whose time is missing: nothing tells it from an older run', () => {
    const candidates = [job('hpcjob-ended-untimed', { status: 'finished', submittedTime: undefined }), job('hpcjob-live-untimed', { submittedTime: 'garbled' })];
    assert.deepEqual(uuids(findSubmitted(candidates, sent)), ['hpcjob-live-untimed']);
  });

  it('reads a time without a zone as UTC, and honours a zone when one is given', () => {
    const candidates = [
      job('hpcjob-utc', { submittedTime: '2026-03-04T05:00:03' }),
      job('hpcjob-z', { submittedTime: '2026-03-04T05:00:03Z' }),
      // 13:00 in Beijing is 05:00 UTC: after the send.
      job('hpcjob-beijing', { submittedTime: '2026-03-04T13:00:03+08:00' }),
      // 05:00 in Beijing is 21:00 UTC the day before: long before.
      job('hpcjob-beijing-old', { submittedTime: '2026-03-04T05:00:03+08:00' }),
    ];
    assert.deepEqual(uuids(findSubmitted(candidates, sent)), ['hpcjob-utc', 'hpcjob-z', 'hpcjob-beijing']);
  });

  it('with the jobs listed before the submit, tells the new job by its absence from that list, whatever zone the times are in', () => {
    const candidates = [
      // The new job, its time in a zone 8 hours west of how it is read: looks older than the send.
      job('hpcjob-new-west', { submittedTime: '2026-03-03T21:00:03' }),
      // An earlier run, its Beijing time read as UTC: looks newer than the send.
      job('hpcjob-earlier-beijing', { submittedTime: '2026-03-04T12:30:00' }),
      // A new job that has ended already, its time unlisted.
      job('hpcjob-new-ended', { status: 'finished', submittedTime: undefined }),
    ];
    const known = new Set(['hpcjob-earlier-beijing']);
    assert.deepEqual(uuids(findSubmitted(candidates, { ...sent, known, listedBefore: true })), ['hpcjob-new-west', 'hpcjob-new-ended']);
    // Without that list the time decides: the earlier run is found, which the caller offers only as possibly this one.
    assert.deepEqual(uuids(findSubmitted(candidates, { ...sent, known: new Set() })), ['hpcjob-earlier-beijing']);
  });

  it('keeps a job whose time is missing or unreadable when all else matches, and flags it', () => {
    const candidates = [job('hpcjob-none', { submittedTime: undefined }), job('hpcjob-garbled', { submittedTime: 'yesterday' })];
    assert.deepEqual(findSubmitted(candidates, sent), [
      { job: candidates[0], timeUnverified: true },
      { job: candidates[1], timeUnverified: true },
    ]);
    assert.deepEqual(findSubmitted([job('hpcjob-other', { submittedTime: undefined, runUser: 'bob' })], sent), []);
  });
});

describe('a wire time', () => {
  it('reads the forms the API and the simulator send', () => {
    const at = Date.UTC(2021, 7, 19, 14, 6, 41);
    assert.equal(parseWireTime('2021-08-19T14:06:41'), at);
    assert.equal(parseWireTime('2021-08-19 14:06:41'), at);
    assert.equal(parseWireTime('2021-08-19T14:06:41Z'), at);
    assert.equal(parseWireTime('2021-08-19T14:06:41.250Z'), at + 250);
    assert.equal(parseWireTime('2021-08-19T22:06:41+08:00'), at);
    assert.equal(parseWireTime('2021-08-19T22:06:41+0800'), at);
    assert.equal(parseWireTime('2021-08-19T09:06:41-05:00'), at);
  });

  it('reads no impossible or partial time', () => {
    for (const text of [undefined, '', '2021-02-30T00:00:00', '2021-08-19T24:00:00', '2021-08-19T14:60:00', '2021-13-01T00:00:00', '2021-08-19', '14:06:41', '0050-01-01T00:00:00', 'now']) {
      assert.equal(parseWireTime(text), undefined, String(text));
    }
  });
});
