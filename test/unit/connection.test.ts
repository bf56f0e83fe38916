// Each account's key, and the connection that signs with it: an account reads, stores and
// forgets only its own SecretStorage entry; a sign-out (or another key) of one account ends
// its sessions and stops its client's reads at once, and leaves every other account alone.
import { FakeSecrets } from './support/fakeSecrets';
import * as assert from 'assert/strict';
import * as http from 'http';
import { AddressInfo } from 'net';
import { Account, LEGACY_SECRET_KEY, readAccounts, secretKeyFor } from '../../src/accounts/accounts';
import { CredentialStore } from '../../src/accounts/credentialStore';
import { Connection } from '../../src/accounts/connection';
import { EhpcClient } from '../../src/ehpc/client';
import { EhpcError } from '../../src/ehpc/errors';
import { endpointIdentity } from '../../src/ehpc/endpoint';
import { Credentials } from '../../src/ehpc/signing';
import { rejects } from './support/clientTesting';

function account(name: string, endpoint = 'https://hpc.api.qingcloud.com'): Account {
  return { name, endpoint, zones: ['jn1a'], secretKey: secretKeyFor(name), implicit: false };
}

const IMPLICIT = readAccounts({}).accounts[0];
const keyOf = (name: string): Credentials => ({ accessKeyId: `AKID-${name}`, secretAccessKey: `SECRET-${name}` });
/** An entry as an earlier version wrote it: no endpoint. */
const stored = (name: string) => JSON.stringify(keyOf(name));
/** An entry as this version writes it, from another window. */
const storedAt = (name: string, endpoint: string) => JSON.stringify({ ...keyOf(name), endpoint: endpointIdentity(endpoint) });

describe('CredentialStore, one entry per account', () => {
  let secrets: FakeSecrets;
  let store: CredentialStore;
  const [a, b] = [account('A'), account('B')];

  beforeEach(() => {
    secrets = new FakeSecrets();
    store = new CredentialStore(secrets);
  });
  afterEach(() => store.dispose());

  it("stores, reads and deletes only the account's own entry", async () => {
    secrets.entries.set(LEGACY_SECRET_KEY, stored('implicit'));
    await store.store(a, keyOf('A'));
    assert.deepEqual([...secrets.entries.keys()].sort(), [LEGACY_SECRET_KEY, 'ehpc.credentials/A']);
    assert.deepEqual(await store.get(a), keyOf('A'));
    assert.equal(await store.get(b), undefined, "B read A's key");

    await store.store(b, keyOf('B'));
    await store.delete(a);
    assert.equal(await store.get(a), undefined);
    assert.deepEqual(await store.get(b), keyOf('B'), "A's sign-out removed B's key");
    assert.equal(secrets.entries.get(LEGACY_SECRET_KEY), stored('implicit'), "the implicit account's key was touched");
  });

  it('reads the implicit account from the entry a single account always used', async () => {
    assert.equal(IMPLICIT.secretKey, LEGACY_SECRET_KEY);
    secrets.entries.set('ehpc.credentials', stored('upgrading user'));
    store.bindEarlierEntries([IMPLICIT]); // the account listed when this version first ran
    assert.deepEqual(await store.get(IMPLICIT), keyOf('upgrading user'));
    // An account named like the implicit one still has an entry of its own.
    assert.equal(await store.get(account(IMPLICIT.name)), undefined);
  });

  it('takes an unreadable entry for no key', async () => {
    secrets.entries.set(a.secretKey, '{not json');
    secrets.entries.set(b.secretKey, JSON.stringify({ accessKeyId: 'AKID-B' }));
    assert.equal(await store.get(a), undefined);
    assert.equal(await store.get(b), undefined);
  });

  it('says the keyring failed rather than act signed out', async () => {
    secrets.broken = new Error('no keyring');
    await rejects(store.get(a), 'keyring');
    await rejects(store.store(a, keyOf('A')), 'keyring');
  });

  it("moves an account's generation for its own sign-ins and sign-outs only, here or in another window", async () => {
    const generations = () => [store.generation(a), store.generation(b), store.generation(IMPLICIT)];
    const start = generations();
    await store.store(a, keyOf('A'));
    const afterA = generations();
    assert.ok(afterA[0] > start[0]);
    assert.deepEqual(afterA.slice(1), start.slice(1));

    secrets.changeElsewhere(b.secretKey, undefined);
    const afterB = generations();
    assert.ok(afterB[1] > afterA[1]);
    assert.deepEqual([afterB[0], afterB[2]], [afterA[0], afterA[2]]);

    secrets.changeElsewhere(LEGACY_SECRET_KEY, stored('implicit'));
    const afterImplicit = generations();
    assert.ok(afterImplicit[2] > afterB[2]);
    assert.deepEqual(afterImplicit.slice(0, 2), afterB.slice(0, 2));

    secrets.changeElsewhere('other.extension.secret', 'x');
    secrets.changeElsewhere('ehpc.credentialsX', 'x');
    assert.deepEqual(generations(), afterImplicit, 'a key of no account moved a generation');
  });

  it('moves the generation before the keyring answers', () => {
    const before = store.generation(a);
    void store.delete(a);
    assert.ok(store.generation(a) > before);
  });

  it('tells which entry changed, and nothing for entries of no account', async () => {
    const told: string[] = [];
    store.onDidChange((key) => told.push(key));
    await store.store(a, keyOf('A'));
    secrets.changeElsewhere(b.secretKey, stored('B'));
    secrets.changeElsewhere(LEGACY_SECRET_KEY, undefined);
    secrets.changeElsewhere('ehpc.credentials-old', 'x');
    secrets.changeElsewhere('github.token', 'x');
    assert.deepEqual(told, ['ehpc.credentials/A', 'ehpc.credentials/B', 'ehpc.credentials']);
  });
});

describe('Connection, one per account', () => {
  let secrets: FakeSecrets;
  let store: CredentialStore;
  /** Every client made: for which account, with which key. */
  let made: { account: string; accessKeyId: string; client: EhpcClient }[];
  const connections: Connection[] = [];

  const newClient = (of: Account, credentials: Credentials): EhpcClient => {
    const client = new EhpcClient({ endpoint: of.endpoint, account: of.name, credentials, retry: { attempts: 1 } });
    made.push({ account: of.name, accessKeyId: credentials.accessKeyId, client });
    return client;
  };
  const connect = (of: Account): Connection => {
    const connection = new Connection(of, store, newClient);
    connections.push(connection);
    return connection;
  };

  beforeEach(() => {
    secrets = new FakeSecrets();
    store = new CredentialStore(secrets);
    made = [];
  });
  afterEach(() => {
    connections.splice(0).forEach((connection) => connection.dispose());
    store.dispose();
  });

  it("hands out a client of the account's own endpoint and key, never another account's", async () => {
    const [a, b] = [account('A', 'https://a.example.com'), account('B', 'https://b.example.com')];
    await store.store(a, keyOf('A'));
    await store.store(b, keyOf('B'));
    const [toA, toB] = [connect(a), connect(b)];
    const [clientA, clientB] = [await toA.client(), await toB.client()];
    assert.notEqual(clientA, clientB);
    assert.equal(clientA.account, 'A');
    assert.equal(clientB.account, 'B');
    assert.deepEqual(made.map((m) => [m.account, m.accessKeyId]), [['A', 'AKID-A'], ['B', 'AKID-B']]);
    assert.equal(await toB.client(), clientB, 'one client per key');
    assert.equal(toB.clientFor(keyOf('new')).account, 'B', "a key being checked is checked against B's endpoint");

    // A's new key makes A a new client; B keeps its own.
    await store.store(a, keyOf('A2'));
    const clientA2 = await toA.client();
    assert.notEqual(clientA2, clientA);
    assert.equal(await toB.client(), clientB);
    assert.deepEqual(made.map((m) => [m.account, m.accessKeyId]).slice(-1), [['A', 'AKID-A2']]);
  });

  it('signs the implicit account in with the entry a single account always used', async () => {
    secrets.entries.set(LEGACY_SECRET_KEY, stored('implicit'));
    store.bindEarlierEntries([IMPLICIT]); // the account listed when this version first ran
    const connection = connect(IMPLICIT);
    assert.equal(await connection.isSignedIn(), true);
    await connection.client();
    assert.deepEqual(made.map((m) => [m.account, m.accessKeyId]), [['QingCloud', 'AKID-implicit']]);
    assert.equal(await connect(account('B')).isSignedIn(), false, 'B took the implicit key');
  });

  it("ends A's sessions when A signs out, and leaves B's", async () => {
    const [a, b] = [account('A'), account('B')];
    await store.store(a, keyOf('A'));
    await store.store(b, keyOf('B'));
    const [toA, toB] = [connect(a), connect(b)];
    const [sessionA, sessionB] = [await toA.session(), await toB.session()];
    assert.ok(sessionA.isCurrent() && sessionB.isCurrent());

    await store.delete(a);
    assert.equal(sessionA.isCurrent(), false, "A's batch would go on after its sign-out");
    assert.equal(sessionB.isCurrent(), true, "A's sign-out stopped B's batch");
    assert.equal(await toA.isSignedIn(), false);
    await rejects(toA.client(), 'signedOut');
    assert.equal(await toB.client(), sessionB.client);
  });

  it('reads as signed out to a listener that hears of the sign-out before the connection does', async () => {
    // The window's own listener is registered at activation; a connection made later (an
    // account renamed or added) hears of every key change after it.
    const heard: boolean[] = [];
    const later: { connection?: Connection } = {};
    store.onDidChange(() => void later.connection?.isSignedIn().then((signedIn) => heard.push(signedIn)));
    const a = account('A');
    await store.store(a, keyOf('A'));
    const connection = (later.connection = connect(a));
    assert.equal(await connection.isSignedIn(), true);
    await store.delete(a);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(heard, [false], 'the key just removed was still taken for signed in');
    secrets.changeElsewhere(a.secretKey, storedAt('A2', a.endpoint));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(heard, [false, true]);
    assert.equal((await connection.client()).account, 'A');
    assert.deepEqual(made.map((m) => m.accessKeyId), ['AKID-A2']);
  });

  it("ends A's sessions when another window signs A in with another key", async () => {
    const [a, b] = [account('A'), account('B')];
    await store.store(a, keyOf('A'));
    await store.store(b, keyOf('B'));
    const [sessionA, sessionB] = [await connect(a).session(), await connect(b).session()];
    secrets.changeElsewhere(a.secretKey, storedAt('A2', a.endpoint));
    assert.equal(sessionA.isCurrent(), false);
    assert.equal(sessionB.isCurrent(), true);
  });

  it('ends its sessions when disposed (the account removed or changed), and hands out no client', async () => {
    const a = account('A');
    await store.store(a, keyOf('A'));
    const connection = connect(a);
    const session = await connection.session();
    connection.dispose();
    assert.equal(session.isCurrent(), false);
    const error = await rejects(connection.client(), 'config');
    assert.match(error.message, /no EHPC account named A/);
    await rejects(session.client.listClusters('jn1a'), 'cancelled');
  });

  it("stops A's reads under way when A's key changes, not when B's does", async () => {
    const server = http.createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const [a, b] = [account('A', endpoint), account('B', endpoint)];
      await store.store(a, keyOf('A'));
      await store.store(b, keyOf('B'));
      const [toA, toB] = [connect(a), connect(b)];
      const readA = (await toA.client()).listClusters('jn1a');
      const readB = (await toB.client()).listClusters('jn1a');
      let settledA = false;
      readA.then(() => (settledA = true), () => (settledA = true));

      secrets.changeElsewhere(b.secretKey, stored('B2'));
      await assert.rejects(readB, (error: unknown) => error instanceof EhpcError && error.kind === 'cancelled');
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(settledA, false, "B's new key stopped A's read");

      secrets.changeElsewhere(a.secretKey, undefined);
      await assert.rejects(readA, (error: unknown) => error instanceof EhpcError && error.kind === 'cancelled');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
