import './support/fakeVscode';
import * as assert from 'assert/strict';
import { Job } from '../../src/ehpc/types';
import { BusyMarks } from '../../src/tree/busyMarks';

const job = (clusterId: string, hpcjobUuid: string, account = 'QingCloud'): Job => ({ account, zone: 'pek3', clusterId, hpcjobUuid, name: hpcjobUuid, status: 'running' });

describe('busy marks', () => {
  it('marks only the jobs not marked yet, and returns just those (only they may be sent)', () => {
    const marks = new BusyMarks();
    const [a, b, c] = [job('ehpc-1', 'hpcjob-a'), job('ehpc-1', 'hpcjob-b'), job('ehpc-2', 'hpcjob-a')];
    assert.deepEqual(marks.mark([a, b], 'deleting'), [a, b]);
    assert.deepEqual(marks.mark([b, c], 'cancelling'), [c], 'the same hpcjob_uuid in another cluster is another job');
    assert.equal(marks.kind(b), 'deleting', 'a second batch does not take over the mark');
    assert.equal(marks.kind({ account: 'QingCloud', zone: 'pek3', clusterId: 'ehpc-2', hpcjobUuid: 'hpcjob-a' }), 'cancelling');
    const other = job('ehpc-1', 'hpcjob-a', 'Lab');
    assert.deepEqual(marks.mark([other], 'cancelling'), [other], 'the same cluster and hpcjob_uuid under another account is another job');
    assert.equal(marks.kind(a), 'deleting');
  });

  it('sends a job named twice in one call once', () => {
    const marks = new BusyMarks();
    const a = job('ehpc-1', 'hpcjob-a');
    assert.deepEqual(marks.mark([a, { ...a }], 'deleting'), [a]);
  });

  it('clears marks, and tells the tree only when something changed', () => {
    const marks = new BusyMarks();
    let changes = 0;
    marks.onDidChange(() => changes++);
    const [a, b] = [job('ehpc-1', 'hpcjob-a'), job('ehpc-1', 'hpcjob-b')];
    marks.mark([a, b], 'deleting');
    marks.mark([a], 'deleting');
    assert.equal(changes, 1);
    marks.clear([a]);
    assert.equal(marks.kind(a), undefined);
    assert.equal(marks.kind(b), 'deleting');
    marks.clear([a]);
    assert.equal(changes, 2);
  });
});
