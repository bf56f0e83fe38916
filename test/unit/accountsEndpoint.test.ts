// A key is used only with the endpoint it was entered and checked for. An account whose
// endpoint is edited in the settings is signed out there ("Sign in to Lab at <host>") and
// nothing is sent with its key; back at its endpoint it is signed in again. Edits that leave
// the endpoint and the key entry alone (zones, another account) leave its work alone too.
// Three simulators stand for three deployments; the registry, store and client are the real ones.
import { settings } from './support/fakeVscode';
import { FakeSecrets } from './support/fakeSecrets';
import * as assert from 'assert/strict';
import type * as vscode from 'vscode';
import { secretKeyFor } from '../../src/accounts/accounts';
import { Accounts } from '../../src/accounts/registry';
import { CredentialStore } from '../../src/accounts/credentialStore';
import { EhpcError } from '../../src/ehpc/errors';
import { Simulator, startSimulator } from '../../simulator/server';

const ZONE = 'jn1a';
const lab = (endpoint: string, zones = [ZONE]) => [{ name: 'Lab', endpoint, zones }];

describe('an account key bound to its endpoint', () => {
  let home: Simulator;
  let other: Simulator;
  /** Another deployment that would accept Lab's key id: it must still see none of it. */
  let twin: Simulator;
  let secrets: FakeSecrets;
  let store: CredentialStore;
  let accounts: Accounts;
  const log = { info: () => undefined, warn: () => undefined } as unknown as vscode.LogOutputChannel;
  const labKey = () => ({ accessKeyId: home.accessKeyId, secretAccessKey: home.secretAccessKey });
  const open = (entries: unknown) => {
    settings.set('ehpc.accounts', entries);
    accounts?.dispose();
    accounts = new Accounts(store, log);
    return accounts;
  };
  const edit = (entries: unknown) => {
    settings.set('ehpc.accounts', entries);
    accounts.reload();
  };
  /** What the tree, the watch and the tools would try for Lab: nothing may reach the server. */
  const tryEverything = async () => {
    const connection = accounts.connection('Lab');
    assert.equal(await connection.isSignedIn(), false, 'signed in at an endpoint the key was not entered for');
    assert.equal(await store.get(accounts.find('Lab')!), undefined, 'the watch would read the key');
    assert.deepEqual([...(await accounts.sessions()).keys()], [], 'a batch would sign with the key');
    await assert.rejects(accounts.requireSignedIn(), (error: unknown) => error instanceof EhpcError && error.kind === 'signedOut');
    return assert.rejects(connection.client(), (error: unknown) => error instanceof EhpcError && error.kind === 'signedOut' && /^Sign in to Lab at 127\.0\.0\.1:\d+/.test(error.message));
  };

  before(async () => {
    home = await startSimulator({ zones: [ZONE, 'jn1b'], clustersPerZone: 1, jobsPerCluster: 2, accessKeyId: 'LABKEYID0000000000001', secretAccessKey: 'lab-secret' });
    other = await startSimulator({ zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 2, seed: 99, accessKeyId: 'OTHERDEPLOYMENTKEYID0', secretAccessKey: 'other-secret' });
    twin = await startSimulator({ zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 2, seed: 77, accessKeyId: 'LABKEYID0000000000001', secretAccessKey: 'lab-secret' });
  });
  after(() => Promise.all([home.close(), other.close(), twin.close()]));
  beforeEach(() => {
    secrets = new FakeSecrets();
    store = new CredentialStore(secrets);
    home.setLatency(0);
    [home, other, twin].forEach((simulator) => simulator.clearRequests());
  });
  afterEach(() => {
    accounts?.dispose();
    store.dispose();
    settings.clear();
  });

  it('signs an account out at an edited endpoint, sends its key nowhere new, and signs it in again back home', async () => {
    open(lab(home.endpoint));
    await store.store(accounts.find('Lab')!, labKey());
    await (await accounts.connection('Lab').client()).listClusters(ZONE);
    assert.equal(home.requests.length, 1);

    for (const elsewhere of [other, twin]) {
      edit(lab(elsewhere.endpoint));
      await tryEverything();
      assert.equal(await accounts.connection('Lab').keyElsewhere(), true, 'the row would not say why');
      assert.deepEqual(elsewhere.requests, [], `${elsewhere.endpoint} received Lab's key id`);
    }

    edit(lab(`${home.endpoint}/`)); // as first entered, written another way
    assert.equal(await accounts.connection('Lab').isSignedIn(), true);
    await (await accounts.connection('Lab').client()).listClusters(ZONE);
    assert.equal(home.requests.length, 2);
  });

  it('does not give a key left under a removed name to a later account of that name elsewhere', async () => {
    open(lab(home.endpoint));
    await store.store(accounts.find('Lab')!, labKey());
    edit([{ name: 'Kept', endpoint: home.endpoint, zones: [ZONE] }]); // Lab's entry deleted by hand; its key stays
    assert.ok(secrets.entries.has(secretKeyFor('Lab')));
    edit(lab(other.endpoint));
    await tryEverything();
    assert.deepEqual(other.requests, []);
  });

  it("binds a key stored by an earlier version to the account's endpoint when first read: the user stays signed in", async () => {
    open(lab(home.endpoint));
    secrets.entries.set(secretKeyFor('Lab'), JSON.stringify(labKey()));
    const changes: string[] = [];
    store.onDidChange((key) => changes.push(key));
    const generation = store.generation(accounts.find('Lab')!);

    const reads = await Promise.all([store.get(accounts.find('Lab')!), store.get(accounts.find('Lab')!), accounts.connection('Lab').isSignedIn()]);
    assert.deepEqual(reads, [labKey(), labKey(), true]);
    assert.equal(secrets.entries.get(secretKeyFor('Lab')), JSON.stringify(labKey()), 'the key was written back to bind it');
    assert.deepEqual(changes, [], 'binding the key was taken for a sign-in');
    assert.equal(store.generation(accounts.find('Lab')!), generation, 'binding the key ended work under way');

    edit(lab(other.endpoint));
    await tryEverything();
    assert.deepEqual(other.requests, []);
  });

  it("keeps the account's connection and the read under way when only its zones, or another account, change", async () => {
    open([...lab(home.endpoint), { name: 'Other', endpoint: other.endpoint, zones: [ZONE] }]);
    await store.store(accounts.find('Lab')!, labKey());
    const connection = accounts.connection('Lab');
    const session = await connection.session();
    home.setLatency(150);
    const read = session.client.listClusters(ZONE);

    edit([...lab(home.endpoint, [ZONE, 'jn1b']), { name: 'Other', endpoint: other.endpoint, zones: [ZONE, 'jn1b'] }]);
    assert.equal(accounts.connection('Lab'), connection);
    assert.deepEqual(accounts.connection('Lab').account.zones, [ZONE, 'jn1b']);
    assert.equal(session.isCurrent(), true, 'a batch or an open submit form would end with "you signed out"');
    edit(lab(home.endpoint, [ZONE, 'jn1b'])); // Other removed
    assert.equal(session.isCurrent(), true);
    assert.ok((await read).items.length > 0, 'the read under way was cancelled');

    edit(lab(other.endpoint, [ZONE, 'jn1b']));
    assert.equal(session.isCurrent(), false, 'work went on for an account moved to another endpoint');
  });
});
