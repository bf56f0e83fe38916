// Helpers for tests of the EHPC client against servers that answer as a test wants.
import * as assert from 'assert/strict';
import * as http from 'http';
import { AddressInfo } from 'net';
import { EhpcError } from '../../../src/ehpc/errors';

/** Awaits `promise`, which must reject with an EhpcError of `kind` (and `retCode`); returns it. */
export async function rejects(promise: Promise<unknown>, kind: EhpcError['kind'], retCode?: number): Promise<EhpcError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EhpcError, `not an EhpcError: ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    if (retCode !== undefined) {
      assert.equal(error.retCode, retCode);
    }
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

/** A server that answers every request with `handler`, for faults the simulator does not make. */
export async function rawServer(handler: http.RequestListener): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the hanging handler's socket would keep close() waiting
      }),
  };
}
