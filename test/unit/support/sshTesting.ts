// What the SSH room's tests share.
import * as assert from 'assert/strict';
import { SshError } from '../../../src/ssh/errors';

/** Resolves the SshError `promise` fails with, checking its kind; fails the test otherwise. */
export async function rejectsWith(promise: Promise<unknown>, kind: SshError['kind']): Promise<SshError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SshError, `not an SshError: ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`did not fail with ${kind}`);
}
