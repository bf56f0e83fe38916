// The connection hands out one client per key: a sign-out or another key stops the old
// client's reads at once.
import { EventEmitter, settings } from './support/fakeVscode';
import * as assert from 'assert/strict';
import * as http from 'http';
import { AddressInfo } from 'net';
import { CredentialStore } from '../../src/auth/credentialStore';
import { Connection } from '../../src/connection';
import { EhpcError } from '../../src/ehpc/errors';

describe('Connection', () => {
  it('stops the old key\'s reads under way when the stored key changes', async () => {
    const server = http.createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    settings.set('ehpc.endpoint', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const changed = new EventEmitter<void>();
      const store = { onDidChange: changed.event, get: () => Promise.resolve({ accessKeyId: 'AKID', secretAccessKey: 'SECRET' }) };
      const log = { info: () => undefined, warn: () => undefined };
      const connection = new Connection(store as unknown as CredentialStore, log as never);
      const read = (await connection.client()).listClusters('jn1a');
      changed.fire();
      await assert.rejects(read, (error: unknown) => error instanceof EhpcError && error.kind === 'cancelled');
    } finally {
      settings.delete('ehpc.endpoint');
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
