// The watch and the accounts: the real Rename Account command keeps the renamed account's
// watched jobs, while a sign-out, another key, a removal and a move to another endpoint drop
// them; a watched set saved at one endpoint is not taken back at another.
import * as fake from './support/fakeVscode';
import * as assert from 'assert/strict';
import { createHash } from 'crypto';
import { secretKeyFor } from '../../src/accounts/accounts';
import { Accounts } from '../../src/accounts/registry';
import { CredentialStore } from '../../src/accounts/credentialStore';
import { renameAccount } from '../../src/commands/accounts';
import type { Services } from '../../src/services';
import { lazyWatch } from '../../src/lazy/forward';
import { JobWatch } from '../../src/watch/jobWatch';
import { WATCH_STATE_KEY } from '../../src/watch/stateKey';
import { FakeSecrets } from './support/fakeSecrets';
import { Memento, silentLog } from './support/watchHost';

const settle = async (rounds = 30) => {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
};

/** Like VS Code's SecretStorage: the change event comes before the store's reply, and reads take a round trip. */
class RoundTripSecrets extends FakeSecrets {
  override get(key: string): Promise<string | undefined> {
    return new Promise((resolve) => setImmediate(() => resolve(this.entries.get(key))));
  }
  override store(key: string, value: string): Promise<void> {
    return new Promise((resolve) => setImmediate(() => void super.store(key, value).then(resolve)));
  }
  override delete(key: string): Promise<void> {
    return new Promise((resolve) => setImmediate(() => void super.delete(key).then(resolve)));
  }
}

const running = { account: 'A', zone: 'jn1a', clusterId: 'ehpc-aaaaaaaa', hpcjobUuid: 'hpcjob-aaaaaaaa', name: 'train', status: 'running' as const };

async function setUp(secrets: FakeSecrets, state = new Memento(), log = silentLog) {
  fake.settings.set('ehpc.accounts', [
    { name: 'A', endpoint: 'https://a.example.com', zones: ['jn1a'] },
    { name: 'B', endpoint: 'https://b.example.com', zones: ['jn1a'] },
  ]);
  const credentials = new CredentialStore(secrets);
  const accounts = new Accounts(credentials, silentLog);
  await credentials.store(accounts.find('A')!, { accessKeyId: 'KEYA', secretAccessKey: 'sa' });
  await credentials.store(accounts.find('B')!, { accessKeyId: 'KEYB', secretAccessKey: 'sb' });
  const watch = new JobWatch({
    accounts, credentials, log, state: state,
    model: { patchJob: () => false, findCluster: () => undefined },
    notifier: () => ({ show: () => Promise.resolve(undefined) }),
    act: () => Promise.resolve(),
  });
  await watch.ready;
  await settle();
  return { credentials, accounts, watch, state };
}

describe('the watch and the accounts', () => {
  afterEach(() => fake.settings.clear());

  for (const [label, secrets] of [['synchronous secrets', () => new FakeSecrets()], ['round-trip secrets', () => new RoundTripSecrets()]] as const) {
    it(`keeps the jobs of an account renamed with Rename Account (${label})`, async () => {
      const { credentials, accounts, watch } = await setUp(secrets());
      watch.watch([running]);
      const services = { accounts, credentials, watch, log: silentLog, prompts: { accountName: () => Promise.resolve('Lab') } } as unknown as Services;
      assert.equal(await renameAccount(services, 'A'), true);
      await settle(60);
      assert.deepEqual(accounts.all.map((a) => a.name), ['Lab', 'B']);
      assert.deepEqual(watch.jobs().map((j) => [j.hpcjobUuid, j.account]), [[running.hpcjobUuid, 'Lab']]);
      watch.dispose();
    });
  }

  for (const settingsFirst of [true, false]) {
    it(`keeps the jobs of an account renamed in another window, the settings changed ${settingsFirst ? 'before' : 'after'} the old key is deleted`, async () => {
      const lines: string[] = [];
      const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) } as unknown as typeof silentLog;
      const secrets = new RoundTripSecrets();
      const state = new Memento();
      const { accounts, watch } = await setUp(secrets, state, log);
      watch.watch([running]);
      await settle();
      // What Rename Account does in the other window: the key stored under the new name, the
      // settings written, the old name's key deleted; this window sees the events, in either order.
      secrets.changeElsewhere(secretKeyFor('Lab'), secrets.entries.get(secretKeyFor('A')));
      await settle();
      const settingsChange = async () => {
        fake.settings.set('ehpc.accounts', [
          { name: 'Lab', endpoint: 'https://a.example.com', zones: ['jn1a'] },
          { name: 'B', endpoint: 'https://b.example.com', zones: ['jn1a'] },
        ]);
        accounts.reload();
        await settle();
      };
      if (settingsFirst) {
        await settingsChange();
      }
      secrets.changeElsewhere(secretKeyFor('A'), undefined);
      await settle();
      if (!settingsFirst) {
        await settingsChange();
      }
      await settle(60);
      assert.deepEqual(watch.jobs().map((j) => [j.hpcjobUuid, j.account]), [[running.hpcjobUuid, 'Lab']]);
      const said = lines.filter((line) => line.startsWith('Watch:')).join('\n');
      assert.match(said, /"A" was renamed "Lab" in another window/);
      assert.doesNotMatch(said, /signed out/);
      const saved = state.get<{ keys: Record<string, string>; watch: { jobs: { account: string }[] } }>(WATCH_STATE_KEY)!;
      assert.deepEqual([Object.keys(saved.keys).sort(), saved.watch.jobs.map((j) => j.account)], [['B', 'Lab'], ['Lab']], 'saved under the new name');
      watch.dispose();
    });
  }

  it('drops the jobs on a sign-out in another window, whatever other key was stored meanwhile', async () => {
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) } as unknown as typeof silentLog;
    const secrets = new RoundTripSecrets();
    const { watch } = await setUp(secrets, new Memento(), log);
    watch.watch([running]);
    await settle();
    // Another window adds an account with a key of its own, then signs out of A.
    secrets.changeElsewhere(secretKeyFor('New'), JSON.stringify({ accessKeyId: 'KEYN', secretAccessKey: 'sn', endpoint: 'https://a.example.com' }));
    await settle();
    secrets.changeElsewhere(secretKeyFor('A'), undefined);
    await settle(60);
    assert.deepEqual(watch.jobs(), []);
    assert.match(lines.join('\n'), /stopped watching 1 job\(s\): signed out/);
    watch.dispose();
  });

  it('drops the jobs on a sign-out, another key, or the account removed', async () => {
    const { credentials, accounts, watch } = await setUp(new FakeSecrets());
    watch.watch([running, { ...running, account: 'B', hpcjobUuid: 'hpcjob-bbbbbbbb' }]);
    await credentials.store(accounts.find('A')!, { accessKeyId: 'OTHER', secretAccessKey: 'x' });
    await settle();
    assert.deepEqual(watch.jobs().map((j) => j.account), ['B'], 'another key');
    await credentials.delete(accounts.find('B')!);
    await settle();
    assert.deepEqual(watch.jobs(), [], 'a sign-out');
    watch.watch([running]);
    await accounts.save([{ name: 'B', endpoint: 'https://b.example.com', zones: ['jn1a'] }]);
    await settle();
    assert.deepEqual(watch.jobs(), [], 'the account removed');
    watch.dispose();
  });

  it("drops an account's jobs when its endpoint moves, and keeps another's", async () => {
    const { accounts, watch } = await setUp(new FakeSecrets());
    watch.watch([running, { ...running, account: 'B', hpcjobUuid: 'hpcjob-bbbbbbbb' }]);
    await accounts.save([
      { name: 'A', endpoint: 'https://elsewhere.example.com', zones: ['jn1a'] },
      { name: 'B', endpoint: 'https://b.example.com', zones: ['jn1a'] },
    ]);
    await settle();
    assert.deepEqual(watch.jobs().map((j) => j.account), ['B']);
    watch.dispose();
  });

  for (const respelled of ['https://a.example.com/', 'https://A.EXAMPLE.COM', 'https://a.example.com:443']) {
    it(`keeps the jobs when the endpoint is only respelled (${respelled}): the key still signs`, async () => {
      const { accounts, credentials, watch } = await setUp(new FakeSecrets());
      watch.watch([running]);
      await accounts.save([
        { name: 'A', endpoint: respelled, zones: ['jn1a'] },
        { name: 'B', endpoint: 'https://b.example.com', zones: ['jn1a'] },
      ]);
      await settle();
      assert.ok(await credentials.get(accounts.find('A')!), 'the key is still used');
      assert.equal(watch.jobs().length, 1);
      watch.dispose();
    });
  }

  it('keeps the first job watched in a session across a reload, the watch created on first use', async () => {
    const state = new Memento();
    const { accounts, credentials, watch } = await setUp(new RoundTripSecrets(), state);
    watch.dispose(); // only its accounts are used
    const deps = {
      accounts, credentials, log: silentLog, state,
      model: { patchJob: () => false, findCluster: () => undefined },
      notifier: () => ({ show: () => Promise.resolve(undefined) }),
      act: () => Promise.resolve(),
    };
    const first = lazyWatch(state, () => new JobWatch(deps));
    first.watch([running]); // before the new watch has read the keys
    await first.ready;
    await settle();
    first.dispose();
    const again = lazyWatch(state, () => new JobWatch(deps)); // the window reloads
    await again.ready;
    assert.deepEqual(again.jobs().map((j) => j.hpcjobUuid), [running.hpcjobUuid]);
    again.dispose();
  });

  it('takes back a saved set only at the endpoint it was saved at', async () => {
    const first = await setUp(new FakeSecrets());
    first.watch.watch([running]);
    await settle();
    const saved = first.state.get(WATCH_STATE_KEY);
    assert.ok(saved);
    first.watch.dispose();
    const again = await setUp(new FakeSecrets(), first.state);
    assert.equal(again.watch.jobs().length, 1, 'same endpoint, same key: taken back');
    again.watch.dispose();

    await first.state.update(WATCH_STATE_KEY, saved);
    const secrets = new FakeSecrets();
    secrets.entries.set(secretKeyFor('A'), JSON.stringify({ accessKeyId: 'KEYA', secretAccessKey: 'sa' }));
    fake.settings.set('ehpc.accounts', [{ name: 'A', endpoint: 'https://elsewhere.example.com', zones: ['jn1a'] }]);
    const credentials = new CredentialStore(secrets);
    const moved = new JobWatch({
      accounts: new Accounts(credentials, silentLog), credentials, log: silentLog, state: first.state,
      model: { patchJob: () => false, findCluster: () => undefined },
      notifier: () => ({ show: () => Promise.resolve(undefined) }),
      act: () => Promise.resolve(),
    });
    await moved.ready;
    assert.deepEqual(moved.jobs(), [], 'the same key at another endpoint: not taken back');
    moved.dispose();
  });

  it('takes back, once, a set saved by the version before (its hash of the key id alone) for the same key and endpoint', async () => {
    const first = await setUp(new FakeSecrets());
    first.watch.watch([running]);
    await settle();
    first.watch.dispose();
    const earlierHash = createHash('sha256').update('ehpc-watch\0KEYA').digest('hex').slice(0, 16);
    const saved = first.state.get<{ keys: Record<string, string>; watch: unknown }>(WATCH_STATE_KEY)!;
    await first.state.update(WATCH_STATE_KEY, { ...saved, keys: { A: earlierHash } });
    const again = await setUp(new FakeSecrets(), first.state);
    assert.deepEqual(again.watch.jobs().map((job) => job.hpcjobUuid), [running.hpcjobUuid], 'the upgrade dropped the watched job');
    await settle();
    const resaved = first.state.get<{ keys: Record<string, string> }>(WATCH_STATE_KEY)!;
    assert.notEqual(resaved.keys.A, earlierHash, 'saved again in the form of this version');
    again.watch.dispose();
    // Another key behind the same account: not taken back.
    await first.state.update(WATCH_STATE_KEY, { ...saved, keys: { A: createHash('sha256').update('ehpc-watch\0OTHERKEY').digest('hex').slice(0, 16) } });
    const other = await setUp(new FakeSecrets(), first.state);
    assert.deepEqual(other.watch.jobs(), []);
    other.watch.dispose();
  });
});
