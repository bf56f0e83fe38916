import * as assert from 'assert/strict';
import { PreparedCalls } from '../../src/tools/preparedCalls';

describe('decisions prepared for tool calls', () => {
  it('lets a preparation see the decision an identical call was given, without taking it', () => {
    const calls = new PreparedCalls<{ target: string }>();
    const input = { cluster_id: 'ehpc-1', script_path: 'train.sh' };
    assert.equal(calls.peek(input), undefined);
    calls.set(input, { target: '/h/a.sh' }, calls.current);
    assert.deepEqual(calls.peek({ ...input }), { target: '/h/a.sh' });
    assert.deepEqual(calls.take(input), { target: '/h/a.sh' });
    assert.equal(calls.peek(input), undefined);
  });
});
