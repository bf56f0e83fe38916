import * as assert from 'assert/strict';
import { EhpcError } from '../../src/ehpc/errors';
import { waitForOperations } from '../../src/ehpc/operations';

type Status = 'pending' | 'successful' | 'failed' | 'unknown';

/** A fake clock and client: each operation answers its statuses in turn, the last one repeated. */
function setUp(answers: Record<string, (Status | Error)[]>) {
  let clock = 0;
  const polls: string[] = [];
  const client = {
    operationStatus: async (_zone: string, id: string): Promise<Status> => {
      polls.push(`${clock}:${id}`);
      const list = answers[id];
      const answer = list.length > 1 ? list.shift()! : list[0];
      if (answer instanceof Error) {
        throw answer;
      }
      return answer;
    },
  };
  const options = {
    mayContinue: () => true,
    intervalMs: 1000,
    maxIntervalMs: 2000,
    timeoutMs: 8000,
    now: () => clock,
    sleep: async (ms: number) => void (clock += ms),
  };
  return { client, options, polls };
}

describe('waiting for asynchronous operations', () => {
  it('polls until every operation succeeded', async () => {
    const { client, options, polls } = setUp({ 'j-1': ['pending', 'pending', 'pending', 'successful'], 'j-2': ['successful'] });
    assert.equal(await waitForOperations(client, 'jn1a', ['j-1', 'j-2'], options), 'successful');
    // Pauses of 1 s, then 2 s (doubled), then 2 s (the most); j-2 is done and not asked again.
    assert.deepEqual(polls, ['0:j-1', '0:j-2', '1000:j-1', '3000:j-1', '5000:j-1']);
  });

  it('reports a failed operation at once', async () => {
    const { client, options } = setUp({ 'j-1': ['pending', 'failed'] });
    assert.equal(await waitForOperations(client, 'jn1a', ['j-1'], options), 'failed');
  });

  it('gives up as "pending" when the wait runs out, never as failed', async () => {
    const { client, options, polls } = setUp({ 'j-1': ['pending'] });
    assert.equal(await waitForOperations(client, 'jn1a', ['j-1'], options), 'pending');
    assert.deepEqual(polls, ['0:j-1', '1000:j-1', '3000:j-1', '5000:j-1', '7000:j-1'], 'polls at 0, 1, 3, 5, 7 s of an 8 s wait');
  });

  it('stops waiting when a poll fails, leaving the outcome to the look-up of the jobs', async () => {
    const { client, options, polls } = setUp({ 'j-1': [new EhpcError('busy', 'busy'), 'successful'] });
    assert.equal(await waitForOperations(client, 'jn1a', ['j-1'], options), 'pending');
    assert.equal(polls.length, 1);
  });

  it('keeps polling an operation whose state it does not know', async () => {
    const { client, options } = setUp({ 'j-1': ['unknown', 'successful'] });
    assert.equal(await waitForOperations(client, 'jn1a', ['j-1'], options), 'successful');
  });

  it('stops polling once the session ends', async () => {
    const { client, options, polls } = setUp({ 'j-1': ['pending'] });
    let signedIn = true;
    const result = waitForOperations(client, 'jn1a', ['j-1'], {
      ...options,
      mayContinue: () => signedIn,
      sleep: async (ms) => {
        await options.sleep(ms);
        signedIn = false;
      },
    });
    assert.equal(await result, 'pending');
    assert.equal(polls.length, 1, 'no poll with the removed key');
  });
});
