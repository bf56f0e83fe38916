// The words of the Delete and Cancel confirmations: a verb on the confirming button, a line
// when live jobs are to be deleted, and the typed confirmation's prompt in whole sentences.
import { useBundle } from './support/fakeVscode';
import * as assert from 'assert/strict';
import { ClusterBatch } from '../../src/ehpc/batch';
import { Job, JobStatus } from '../../src/ehpc/types';
import { cancelAction, deleteAction } from '../../src/batch/actions';
import { confirmationText, detailSentences } from '../../src/ui/batchSummary';

function batch(statuses: readonly JobStatus[]): ClusterBatch[] {
  const jobs: Job[] = statuses.map((status, i) => ({ account: 'QingCloud', zone: 'jn1a', clusterId: 'ehpc-a', hpcjobUuid: `hpcjob-${i}`, name: `sim ${i}`, status }));
  return [{ account: 'QingCloud', zone: 'jn1a', clusterId: 'ehpc-a', jobs }];
}

const name = () => 'cfd-prod';

describe('confirmation words', () => {
  beforeEach(() => useBundle('en'));
  afterEach(() => useBundle('en'));

  it('Cancel confirms with a verb that cannot be taken for the dialog\'s own Cancel', () => {
    assert.equal(cancelAction.phrases.button(1), 'Stop Job');
    assert.equal(cancelAction.phrases.button(3), 'Stop 3 Jobs');
    for (const count of [1, 3]) {
      assert.doesNotMatch(cancelAction.phrases.button(count), /cancel/i);
    }
  });

  it('Delete says that running and pending jobs are stopped first', () => {
    const detail = (statuses: JobStatus[]) => confirmationText(batch(statuses), deleteAction.phrases, name).detail.split('\n');
    assert.deepEqual(detail(['running', 'running', 'pending']).slice(-2), ['2 of them running and 1 pending: they are stopped first.', 'Deleted jobs cannot be restored.']);
    assert.deepEqual(detail(['running', 'finished']).slice(-2), ['1 of them running: they are stopped first.', 'Deleted jobs cannot be restored.']);
    assert.deepEqual(detail(['pending', 'exited']).slice(-2), ['1 of them pending: they are stopped first.', 'Deleted jobs cannot be restored.']);
    assert.deepEqual(detail(['running']).slice(-2), ['It is running: it is stopped first.', 'Deleted jobs cannot be restored.']);
    assert.deepEqual(detail(['finished', 'exited']).slice(-2), ['', 'Deleted jobs cannot be restored.']);
    // Cancel acts on live jobs only: saying so again would add nothing.
    assert.deepEqual(confirmationText(batch(['running']), cancelAction.phrases, name).detail.split('\n').slice(-2), ['', cancelAction.phrases.consequence]);
  });

  it('the typed confirmation\'s prompt is sentences, not lines run together', () => {
    const statuses: JobStatus[] = Array.from({ length: 55 }, (_, i) => (i < 2 ? 'running' : 'finished'));
    const { detail } = confirmationText(batch(statuses), deleteAction.phrases, name);
    assert.equal(
      detailSentences(detail),
      'sim 0 (hpcjob-0), sim 1 (hpcjob-1), sim 2 (hpcjob-2), sim 3 (hpcjob-3), sim 4 (hpcjob-4), …and 50 more. ' +
        '2 of them running: they are stopped first. Deleted jobs cannot be restored.',
    );
    const many: ClusterBatch[] = [...batch(['finished']), { ...batch(['finished'])[0], clusterId: 'ehpc-b' }];
    assert.equal(detailSentences(confirmationText(many, deleteAction.phrases, (b) => b.clusterId).detail), 'sim 0 (hpcjob-0), sim 0 (hpcjob-0). Clusters: ehpc-a, ehpc-b. Deleted jobs cannot be restored.');
  });

  it('in Chinese, the same with Chinese full stops', () => {
    useBundle('zh-cn');
    const { detail } = confirmationText(batch(['running', 'pending']), deleteAction.phrases, name);
    // (The consequence was translated when its module loaded, in English here.)
    assert.equal(detailSentences(detail), `sim 0（hpcjob-0）、sim 1（hpcjob-1）。其中 1 个正在运行、1 个正在排队，将先被停止。${deleteAction.phrases.consequence}`);
  });
});
