// A key stored by an earlier version holds no endpoint. It keeps its user signed in and is
// bound to the endpoint its account had when this version first ran; an entry no account
// named then is bound to nothing. A sign-out or a new key,
// here or in another window, while that first read is under way is neither undone nor
// unheard. SecretStorage answers as VS Code's does (round trips, change event first).
import { Memento } from './support/watchHost';
import { RoundTripSecrets, settle } from './support/roundTripSecrets';
import * as assert from 'assert/strict';
import { secretKeyFor } from '../../src/accounts/accounts';
import { CredentialStore } from '../../src/accounts/credentialStore';

const HOME = 'https://hpc.api.qingcloud.com';
const OTHER = 'https://ehpc.example.com';
const lab = (endpoint = HOME) => ({ name: 'Lab', secretKey: secretKeyFor('Lab'), endpoint });
const OLD = { accessKeyId: 'OLDKEYID', secretAccessKey: 'old-secret' };
const NEW = { accessKeyId: 'NEWKEYID', secretAccessKey: 'new-secret' };

describe("an earlier version's key, bound to its endpoint", () => {
  let secrets: RoundTripSecrets;
  let state: Memento;
  let store: CredentialStore;
  let heard: string[];

  beforeEach(() => {
    secrets = new RoundTripSecrets();
    secrets.entries.set(lab().secretKey, JSON.stringify(OLD)); // as the earlier version wrote it
    state = new Memento();
    store = new CredentialStore(secrets, state);
    store.bindEarlierEntries([lab()]); // the accounts listed when this version first ran
    heard = [];
    store.onDidChange((key) => heard.push(key));
  });
  afterEach(() => store.dispose());

  it('keeps a Sign Out made during the first read, and tells of it', async () => {
    const generation = store.generation(lab());
    await Promise.all([store.get(lab()), store.delete(lab())]);
    await settle();
    assert.equal(secrets.entries.has(lab().secretKey), false, 'the old key came back after Sign Out');
    assert.equal(await store.get(lab()), undefined);
    assert.deepEqual(heard, [lab().secretKey], 'the sign-out was not heard');
    assert.ok(store.generation(lab()) > generation, 'work under the old key would go on');
  });

  it('keeps a key entered in another window during the first read, and tells of it', async () => {
    const generation = store.generation(lab());
    const entered = JSON.stringify({ ...NEW, endpoint: HOME });
    await Promise.all([store.get(lab()), secrets.changeElsewhere(lab().secretKey, entered)]);
    await settle();
    assert.equal(secrets.entries.get(lab().secretKey), entered, 'the new key was overwritten');
    assert.deepEqual(await store.get(lab()), NEW);
    assert.deepEqual(heard, [lab().secretKey], 'the sign-in was not heard');
    assert.ok(store.generation(lab()) > generation);
  });

  it('keeps its user signed in, at the endpoint the account had when this version first ran, this session and the next', async () => {
    const generation = store.generation(lab());
    assert.deepEqual(await Promise.all([store.get(lab()), store.get(lab()), store.boundElsewhere(lab())]), [OLD, OLD, undefined]);
    await settle();
    assert.deepEqual(secrets.writes, [], 'the keyring was written to just to read a key');
    assert.deepEqual(heard, [], 'reading the key was taken for a sign-in');
    assert.equal(store.generation(lab()), generation, 'reading the key ended work under way');

    // The endpoint edited afterwards: signed out there, and told where the key belongs.
    assert.equal(await store.get(lab(OTHER)), undefined);
    assert.equal(await store.boundElsewhere(lab(OTHER)), HOME);

    // The next session (same global state) still holds the key to its first endpoint, whatever the accounts are then.
    const next = new CredentialStore(secrets, state);
    next.bindEarlierEntries([lab(OTHER)]);
    assert.equal(await next.get(lab(OTHER)), undefined, 'the key went to an endpoint it was never used with');
    assert.deepEqual(await next.get(lab(`${HOME}/`)), OLD);
    next.dispose();
  });

  it('forgets the binding once the account signs in again, or out', async () => {
    await store.get(lab());
    await store.store(lab(OTHER), NEW);
    assert.deepEqual(await store.get(lab(OTHER)), NEW);
    assert.deepEqual(bindings(), []);

    secrets.entries.set(lab().secretKey, JSON.stringify(OLD));
    await store.get(lab());
    await store.delete(lab());
    assert.deepEqual(bindings(), []);
  });

  const bindings = () => state.keys().filter((key) => key.startsWith('ehpc.keyEndpoint:'));
});

describe("an earlier version's key that no account named when this version first ran", () => {
  it('is bound to no endpoint: an account of that name added later signs in again', async () => {
    const secrets = new RoundTripSecrets();
    secrets.entries.set(lab().secretKey, JSON.stringify(OLD)); // Lab was removed from the settings by hand, its key left behind
    const state = new Memento();
    const store = new CredentialStore(secrets, state);
    store.bindEarlierEntries([{ secretKey: secretKeyFor('Other'), endpoint: HOME }]);
    // Later the user adds an account Lab at another endpoint.
    assert.equal(await store.get(lab(OTHER)), undefined, "the orphaned key was sent to an endpoint it was never entered for");
    assert.equal(await store.get(lab()), undefined);
    assert.equal(await store.boundElsewhere(lab(OTHER)), undefined);
    // Nor does a later session bind it.
    const next = new CredentialStore(secrets, state);
    next.bindEarlierEntries([lab(OTHER)]);
    assert.equal(await next.get(lab(OTHER)), undefined);
    store.dispose();
    next.dispose();
  });
});
