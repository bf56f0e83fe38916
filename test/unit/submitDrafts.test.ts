// Kept answers against a script's #SBATCH lines changed since they were given.
import * as assert from 'assert/strict';
import { draftWithScriptNow } from '../../src/submit/drafts';

describe('a kept draft of a script', () => {
  const draft = { clusterKey: 'A/jn1a/ehpc-1', queueId: 'q-small', runUser: 'bob', name: 'mine', cores: 2, memLimitMb: 1024, timeLimitMinutes: 10 };
  const kept = { queueName: 'small', queueFromScript: true, name: 'train', cores: 2, timeLimitMinutes: 30 };

  it('is offered as it is while the #SBATCH lines say what they said when it was kept', () => {
    assert.deepEqual(draftWithScriptNow(draft, kept, { ...kept }, { ...kept, name: 'train' }), { initial: draft, changed: [] });
  });

  it('takes the new #SBATCH values for the fields whose lines changed, and what a fresh Submit offers for a line removed', () => {
    const now = { queueName: 'gpu', queueFromScript: true, name: 'train', cores: 8 };
    const fresh = { clusterKey: 'A/jn1a/ehpc-1', ...now };
    const { initial, changed } = draftWithScriptNow(draft, kept, now, fresh);
    assert.deepEqual(changed, ['queue', 'cores', 'time']);
    assert.deepEqual(initial, { ...draft, queueId: undefined, queueName: 'gpu', queueFromScript: true, cores: 8, timeLimitMinutes: undefined });
  });

  it('is offered as it is when kept without the #SBATCH values', () => {
    assert.deepEqual(draftWithScriptNow(draft, undefined, { cores: 8 }, { name: 'x', cores: 8 }), { initial: draft, changed: [] });
  });
});
