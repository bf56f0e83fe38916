// The accounts as the settings give them. `ehpc.accounts` lists them; without it, one
// implicit account is made from the single-account settings, its key where it always was.
// Where signed requests go (an account's endpoint) comes from the user's settings only,
// never from a workspace: an opened folder must not send the user's key elsewhere.
import { settings, shown, useBundle, workspaceSettings } from './support/fakeVscode';
import { FakeSecrets } from './support/fakeSecrets';
import * as assert from 'assert/strict';
import type * as vscode from 'vscode';
import {
  Account, editedSettings, findAccount, LEGACY_SECRET_KEY, MAX_NAME_LENGTH, nameProblem, readAccounts, secretKeyFor, splitZones, toSettings,
} from '../../src/accounts/accounts';
import { Accounts } from '../../src/accounts/registry';
import { CredentialStore } from '../../src/accounts/credentialStore';
import { DEFAULT_ENDPOINT } from '../../src/ehpc/endpoint';
import { EhpcError } from '../../src/ehpc/errors';
import { endpointMessage, zonesMessage } from '../../src/ui/accountForm';

const entry = (name: unknown, endpoint?: unknown, zones?: unknown) => ({ name, endpoint, zones });

describe('reading the accounts from the settings', () => {
  describe('without ehpc.accounts: the single-account settings', () => {
    it("makes one implicit account, 'QingCloud' on the default endpoint, keyed by the old entry", () => {
      for (const accounts of [undefined, [], 'Lab', {}, null]) {
        const read = readAccounts({ accounts });
        assert.deepEqual(read, {
          accounts: [{ name: 'QingCloud', endpoint: DEFAULT_ENDPOINT, zones: ['jn1a'], secretKey: 'ehpc.credentials', implicit: true }],
          problems: [],
        }, JSON.stringify(accounts));
      }
      assert.equal(LEGACY_SECRET_KEY, 'ehpc.credentials', 'an upgrading user would lose the stored key');
    });

    it("names it after the host of the endpoint the user set, without a port: no address for a name", () => {
      const [account] = readAccounts({ endpoint: ' https://hpc.example.internal:8443/ehpc ' }).accounts;
      assert.equal(account.name, 'hpc.example.internal');
      assert.equal(account.endpoint, 'https://hpc.example.internal:8443/ehpc');
      assert.equal(account.secretKey, LEGACY_SECRET_KEY);
      assert.equal(readAccounts({ endpoint: 'http://localhost:8080' }).accounts[0].name, 'localhost');
      assert.equal(readAccounts({ endpoint: 'http://127.0.0.1:46517' }).accounts[0].name, '127.0.0.1');
      assert.equal(readAccounts({ endpoint: 'http://[::1]:8080' }).accounts[0].name, '[::1]');
      assert.equal(readAccounts({ endpoint: 'https://hpc.api.shanhe.com' }).accounts[0].name, 'hpc.api.shanhe.com');
    });

    it('splits typed zones on commas and spaces, each once, and edits one entry of the list only', () => {
      assert.deepEqual(splitZones(' jn1a, pek3 ，jn1a  sh1a、gd2 '), ['jn1a', 'pek3', 'sh1a', 'gd2']);
      assert.deepEqual(splitZones(' , '), []);
      const { accounts } = readAccounts({
        accounts: [
          { name: 'Lab', endpoint: 'https://a.example.com', zones: ['jn1a', 'nosuch9'] },
          { name: 'Home', zones: ['pek3'] },
        ],
      });
      assert.deepEqual(editedSettings(accounts, 'Lab', { zones: ['jn1a'] }), [
        { name: 'Lab', endpoint: 'https://a.example.com', zones: ['jn1a'] },
        { name: 'Home', endpoint: DEFAULT_ENDPOINT, zones: ['pek3'] },
      ]);
      assert.deepEqual(editedSettings(accounts, 'Home', { endpoint: 'https://b.example.com' })[1], { name: 'Home', endpoint: 'https://b.example.com', zones: ['pek3'] });
    });

    it('keeps an endpoint it cannot use as written (its rows say what is wrong), named by it', () => {
      const [account] = readAccounts({ endpoint: 'not a url' }).accounts;
      assert.equal(account.endpoint, 'not a url');
      assert.equal(account.name, 'not a url');
      const long = `https://${'x'.repeat(100)}`;
      assert.equal(readAccounts({ endpoint: `${long} with spaces` }).accounts[0].name.length, MAX_NAME_LENGTH);
    });

    it('takes the default endpoint for an empty or mistyped one', () => {
      for (const endpoint of ['', '   ', 42, null, ['https://x.example.com']]) {
        const [account] = readAccounts({ endpoint }).accounts;
        assert.equal(account.endpoint, DEFAULT_ENDPOINT, JSON.stringify(endpoint));
        assert.equal(account.name, 'QingCloud');
      }
    });

    it('trims the zones, drops empty, repeated and mistyped ones, and defaults to jn1a', () => {
      assert.deepEqual(readAccounts({ zones: ['jn1b', ' pek3 ', 'jn1b', '', 7, 'pek3'] }).accounts[0].zones, ['jn1b', 'pek3']);
      for (const zones of [undefined, [], ['', ' '], 'jn1b', [null]]) {
        assert.deepEqual(readAccounts({ zones }).accounts[0].zones, ['jn1a'], JSON.stringify(zones));
      }
    });
  });

  describe('with ehpc.accounts', () => {
    it('takes its entries, names trimmed, each keyed by its own entry; the single-account settings are not used', () => {
      const { accounts, problems } = readAccounts({
        accounts: [entry(' Lab ', 'https://hpc.lab.example.com', ['pek3']), entry('QingCloud')],
        endpoint: 'https://ignored.example.com',
        zones: ['sh1a'],
      });
      assert.deepEqual(problems, []);
      assert.deepEqual(accounts, [
        { name: 'Lab', endpoint: 'https://hpc.lab.example.com', zones: ['pek3'], secretKey: 'ehpc.credentials/Lab', implicit: false },
        { name: 'QingCloud', endpoint: DEFAULT_ENDPOINT, zones: ['jn1a'], secretKey: 'ehpc.credentials/QingCloud', implicit: false },
      ]);
    });

    it('defaults and de-duplicates each entry as it does the single-account settings', () => {
      const [account] = readAccounts({ accounts: [entry('Lab', '  ', [' jn1b', 'jn1b ', 3, ''])] }).accounts;
      assert.equal(account.endpoint, DEFAULT_ENDPOINT);
      assert.deepEqual(account.zones, ['jn1b']);
    });

    it('leaves out an entry without a usable name, saying which and why', () => {
      const { accounts, problems } = readAccounts({
        accounts: [
          entry('First'),
          entry(''),
          entry('   '),
          entry(undefined),
          entry(42),
          null,
          'Lab',
          entry('x'.repeat(MAX_NAME_LENGTH + 1)),
          entry('Line\nbreak'),
          entry('Tab\there'),
          entry('Delete\u007f'),
          entry(' first '),
          entry('FIRST'),
          entry('x'.repeat(MAX_NAME_LENGTH)),
          entry('中文账户'),
        ],
      });
      assert.deepEqual(accounts.map((account) => account.name), ['First', 'x'.repeat(MAX_NAME_LENGTH), '中文账户']);
      assert.deepEqual(problems, [
        { index: 1, problem: 'empty' },
        { index: 2, problem: 'empty' },
        { index: 3, problem: 'empty' },
        { index: 4, problem: 'empty' },
        { index: 5, problem: 'empty' },
        { index: 6, problem: 'empty' },
        { index: 7, problem: 'tooLong' },
        { index: 8, problem: 'control' },
        { index: 9, problem: 'control' },
        { index: 10, problem: 'control' },
        { index: 11, problem: 'taken' },
        { index: 12, problem: 'taken' },
      ]);
    });

    it('tells why a name cannot name a new account', () => {
      const taken = [{ name: 'Lab' }];
      assert.equal(nameProblem('Other', taken), undefined);
      assert.equal(nameProblem(' lab ', taken), 'taken');
      assert.equal(nameProblem(' ', taken), 'empty');
      assert.equal(nameProblem(undefined, taken), 'empty');
      assert.equal(nameProblem('a\u0000b', taken), 'control');
      assert.equal(nameProblem('y'.repeat(MAX_NAME_LENGTH + 1), taken), 'tooLong');
    });

    it('takes the C1 controls (U+0080 to U+009F) for control characters too', () => {
      // U+0085 is a line break to some readers, U+009B starts a terminal escape.
      for (const name of ['Next\u0085line', 'Esc\u009b31m', 'Pad\u0080']) {
        assert.equal(nameProblem(name, []), 'control', JSON.stringify(name));
      }
      assert.deepEqual(readAccounts({ accounts: [entry('Lab\u0085Fake')] }).problems, [{ index: 0, problem: 'control' }]);
      assert.equal(nameProblem('Labor\u00e9', []), undefined, 'U+00E9 is a letter');
    });

    it('refuses names with characters that show as nothing, and takes two spellings of one name for one', () => {
      for (const name of ['La\u200Bb', '\u200DLab', 'Lab\u2060', 'Lab\uFEFF2', 'L\u00ADab', 'Lab\u202E', 'Lab\uFE0F', 'Lab\u3164', 'Lab\u2028x']) {
        assert.equal(nameProblem(name, []), 'invisible', JSON.stringify(name));
      }
      const nfc = 'Caf\u00e9';
      const nfd = 'Cafe\u0301';
      const { accounts, problems } = readAccounts({ accounts: [entry(nfd), entry(nfc), entry('ＣＡＦＥ\u0301'), entry('La\u200Bb')] });
      assert.deepEqual(accounts.map((account) => account.name), [nfc], 'kept in one spelling (NFC)');
      assert.deepEqual(problems, [{ index: 1, problem: 'taken' }, { index: 2, problem: 'taken' }, { index: 3, problem: 'invisible' }]);
      assert.equal(nameProblem(nfd, [{ name: nfc }]), 'taken');
      assert.equal(nameProblem('cafe\u0301', [{ name: nfc }]), 'taken', 'case and spelling together');
      assert.equal(nameProblem('Two  words', [{ name: 'two words' }]), 'taken');
      assert.equal(findAccount(accounts, nfd)?.name, nfc);
      assert.equal(nameProblem('Cafe', [{ name: nfc }]), undefined, 'e and é are two letters');
      assert.equal(nameProblem('中文账户', []), undefined);
    });

    it('refuses a name that looks like another: Cyrillic or Greek letters drawn like Latin ones', () => {
      const names = ['Lab', 'L\u0430b', '\uFF2C\uFF41\uFF42', 'Lab\u00A0', '\u216Cab', '\u039B\u0391\u0392', '\u041B\u0430\u0431'];
      const { accounts, problems } = readAccounts({ accounts: names.map((name) => entry(name)) });
      assert.deepEqual(accounts.map((account) => account.name), ['Lab', '\u039B\u0391\u0392', '\u041B\u0430\u0431'], 'one "Lab"; Greek ΛΑΒ and Cyrillic Лаб read otherwise');
      assert.deepEqual(problems, [{ index: 1, problem: 'lookalike' }, { index: 2, problem: 'taken' }, { index: 3, problem: 'taken' }, { index: 4, problem: 'taken' }]);
      assert.equal(nameProblem('L\u0430b', [{ name: 'Lab' }]), 'lookalike', 'Cyrillic a');
      assert.equal(nameProblem('Lab', [{ name: 'L\u0430b' }]), 'lookalike', 'either way round');
      assert.equal(nameProblem('\u0421\u0410\u0415', [{ name: 'cae' }]), 'lookalike', 'Cyrillic capitals, without case');
      assert.equal(nameProblem('\u03A1\u039F\u03A1', [{ name: 'Pop' }]), 'lookalike', 'Greek capitals');
      assert.equal(nameProblem('\u03BD\u03B9\u03C1', [{ name: 'vip' }]), 'lookalike', 'Greek small letters');
      assert.equal(nameProblem('\u041B\u0430\u0431', [{ name: 'Lab' }]), undefined, 'Л and б look like no Latin letter');
      assert.equal(findAccount(accounts, 'L\u0430b'), undefined, 'a look-alike finds no account: it only cannot be added');
    });

    it('finds an account by name without case or surrounding blanks', () => {
      const { accounts } = readAccounts({ accounts: [entry('Lab'), entry('Lab/gpu')] });
      assert.equal(findAccount(accounts, ' lab/GPU ')?.name, 'Lab/gpu');
      assert.equal(findAccount(accounts, 'LAB')?.name, 'Lab');
      assert.equal(findAccount(accounts, 'Lab/'), undefined);
    });
  });

  describe('keys and settings written back', () => {
    it('keys each named account by its own entry, apart from the implicit one', () => {
      assert.equal(secretKeyFor('Lab'), 'ehpc.credentials/Lab');
      const keys = ['Lab', 'lab2', 'Lab/gpu', 'QingCloud', ''].map(secretKeyFor);
      assert.equal(new Set([...keys, LEGACY_SECRET_KEY]).size, keys.length + 1);
    });

    it('writes accounts back as entries that read as the same accounts', () => {
      const read = readAccounts({ accounts: [entry('Lab', 'https://hpc.lab.example.com', ['pek3', 'sh1a']), entry('QingCloud', undefined, ['jn1b'])] });
      const written = toSettings(read.accounts);
      assert.deepEqual(written, [
        { name: 'Lab', endpoint: 'https://hpc.lab.example.com', zones: ['pek3', 'sh1a'] },
        { name: 'QingCloud', endpoint: DEFAULT_ENDPOINT, zones: ['jn1b'] },
      ]);
      assert.deepEqual(readAccounts({ accounts: JSON.parse(JSON.stringify(written)) }), read);
      written[0].zones.push('changed');
      assert.deepEqual(read.accounts[0].zones, ['pek3', 'sh1a'], 'the settings share the zones of the accounts read');
    });

    it('writes the implicit account as an entry of its own name, endpoint and zones', () => {
      const implicit = readAccounts({ endpoint: 'https://hpc.example.internal', zones: ['pek3'] }).accounts;
      const lab: Account = { name: 'Lab', endpoint: DEFAULT_ENDPOINT, zones: ['jn1a'], secretKey: secretKeyFor('Lab'), implicit: false };
      const written = toSettings([...implicit, lab]);
      assert.deepEqual(written[0], { name: 'hpc.example.internal', endpoint: 'https://hpc.example.internal', zones: ['pek3'] });
      const [again] = readAccounts({ accounts: written }).accounts;
      assert.equal(again.implicit, false);
      assert.equal(again.secretKey, 'ehpc.credentials/hpc.example.internal', 'listed, it is keyed by its name like any other');
    });
  });
});

describe('Accounts, from the user settings', () => {
  const logged: string[] = [];
  const log = { info: (line: string) => logged.push(line), warn: (line: string) => logged.push(line) } as unknown as vscode.LogOutputChannel;
  let secrets: FakeSecrets;
  let store: CredentialStore;
  let registry: Accounts | undefined;
  const open = () => (registry = new Accounts(store, log));

  beforeEach(() => {
    secrets = new FakeSecrets();
    store = new CredentialStore(secrets);
  });
  afterEach(() => {
    registry?.dispose();
    registry = undefined;
    store.dispose();
    settings.clear();
    workspaceSettings.clear();
    shown.length = 0;
    logged.length = 0;
  });

  it("ignores a workspace's ehpc.endpoint, taking the user's", () => {
    settings.set('ehpc.endpoint', 'https://hpc.example.internal');
    workspaceSettings.set('ehpc.endpoint', 'https://collector.example.com');
    assert.deepEqual(open().all.map((a) => [a.name, a.endpoint]), [['hpc.example.internal', 'https://hpc.example.internal']]);
  });

  it("falls back to the default, not to a workspace's ehpc.endpoint", () => {
    workspaceSettings.set('ehpc.endpoint', 'https://collector.example.com');
    assert.deepEqual(open().all.map((a) => [a.name, a.endpoint]), [['QingCloud', DEFAULT_ENDPOINT]]);
  });

  // The first Add Account writes these zones into the user's ehpc.accounts.
  it("ignores a workspace's ehpc.zones: the implicit account's zones are the user's", () => {
    settings.set('ehpc.zones', ['jn1b', ' pek3 ', 'jn1b']);
    workspaceSettings.set('ehpc.zones', ['zone-a', 'zone-b']);
    const accounts = open();
    assert.deepEqual(accounts.all[0].zones, ['jn1b', 'pek3']);
    settings.delete('ehpc.zones');
    accounts.reload();
    assert.deepEqual(accounts.all[0].zones, ['jn1a'], 'the default, not the workspace');
  });

  it("ignores a workspace's ehpc.accounts: without the user's, the one implicit account", () => {
    workspaceSettings.set('ehpc.accounts', [entry('QingCloud', 'https://collector.example.com'), entry('Evil', 'https://collector.example.com')]);
    const accounts = open();
    assert.deepEqual(accounts.all.map((a) => [a.name, a.endpoint, a.implicit]), [['QingCloud', DEFAULT_ENDPOINT, true]]);
    assert.equal(accounts.find('Evil'), undefined);
    assert.throws(() => accounts.connection('Evil'), (error: unknown) => error instanceof EhpcError && error.kind === 'config');
  });

  it("ignores a workspace's ehpc.accounts next to the user's", () => {
    settings.set('ehpc.accounts', [entry('Lab', 'https://hpc.lab.example.com')]);
    workspaceSettings.set('ehpc.accounts', [entry('Lab', 'https://collector.example.com'), entry('Evil', 'https://collector.example.com')]);
    const accounts = open();
    assert.deepEqual(accounts.all.map((a) => [a.name, a.endpoint]), [['Lab', 'https://hpc.lab.example.com']]);
    assert.equal(accounts.connection('Lab').account.endpoint, 'https://hpc.lab.example.com');
  });

  it("hands out each account's own connection, by name without case; none for a name not there", () => {
    settings.set('ehpc.accounts', [entry('Lab'), entry('Lab/gpu', 'https://gpu.example.com')]);
    const accounts = open();
    assert.equal(accounts.several, true);
    const gpu = accounts.connection('lab/GPU');
    assert.equal(gpu.account.name, 'Lab/gpu');
    assert.equal(gpu.account.secretKey, 'ehpc.credentials/Lab/gpu');
    assert.notEqual(accounts.connection('Lab'), gpu);
    assert.equal(accounts.connection('Lab/gpu'), gpu, 'one connection per account');
    assert.throws(() => accounts.connection('Lab/'), /no EHPC account named Lab\//);
  });

  it("keeps an unchanged account's connection on reload, and ends the sessions of one moved elsewhere", async () => {
    settings.set('ehpc.accounts', [entry('Lab'), entry('Other')]);
    await store.store({ secretKey: secretKeyFor('Lab'), endpoint: DEFAULT_ENDPOINT }, { accessKeyId: 'AKID-LAB', secretAccessKey: 'SECRET' });
    await store.store({ secretKey: secretKeyFor('Other'), endpoint: DEFAULT_ENDPOINT }, { accessKeyId: 'AKID-OTHER', secretAccessKey: 'SECRET' });
    const accounts = open();
    let changes = 0;
    accounts.onDidChange(() => changes++);
    const [lab, other] = [accounts.connection('Lab'), accounts.connection('Other')];
    const [labSession, otherSession] = [await lab.session(), await other.session()];

    accounts.reload();
    assert.equal(changes, 0, 'nothing changed');
    assert.equal(accounts.connection('Lab'), lab);

    settings.set('ehpc.accounts', [entry('Lab'), entry('Other', 'https://collector.example.com')]);
    accounts.reload();
    assert.equal(changes, 1);
    assert.equal(accounts.connection('Lab'), lab);
    assert.equal(labSession.isCurrent(), true, "moving Other ended Lab's batch");
    assert.notEqual(accounts.connection('Other'), other);
    assert.equal(otherSession.isCurrent(), false, 'a batch went on for an account moved to another endpoint');
    assert.equal(accounts.connection('Other').account.endpoint, 'https://collector.example.com');
  });

  it('writes the accounts to the user settings, and reads them back at once', async () => {
    const accounts = open();
    let changes = 0;
    accounts.onDidChange(() => changes++);
    await accounts.save([...toSettings(accounts.all), { name: 'Lab', endpoint: 'https://hpc.lab.example.com', zones: ['pek3'] }]);
    assert.deepEqual(settings.get('ehpc.accounts'), [
      { name: 'QingCloud', endpoint: DEFAULT_ENDPOINT, zones: ['jn1a'] },
      { name: 'Lab', endpoint: 'https://hpc.lab.example.com', zones: ['pek3'] },
    ]);
    assert.equal(workspaceSettings.has('ehpc.accounts'), false);
    assert.deepEqual(accounts.all.map((a) => [a.name, a.implicit]), [['QingCloud', false], ['Lab', false]]);
    assert.equal(changes, 1);
  });

  it('says once which entries were left out, and again only when that changes', () => {
    settings.set('ehpc.accounts', [entry('Lab'), entry('lab')]);
    const accounts = open();
    assert.deepEqual(accounts.all.map((a) => a.name), ['Lab']);
    accounts.reload();
    assert.deepEqual(shown.map((s) => s.kind), ['warning']);
    assert.equal(shown[0].message, 'Some entries of the "ehpc.accounts" setting were left out: ehpc.accounts[1] (its name is taken by an earlier entry).');
    assert.ok(logged.some((line) => line.includes('ehpc.accounts[1]: its name is taken by an earlier entry')), 'the log says why in English');
    assert.equal(logged.filter((line) => line.includes('left out')).length, 1);
    settings.set('ehpc.accounts', [entry('Lab'), entry('')]);
    accounts.reload();
    assert.equal(shown.length, 2);
    assert.match(shown[1].message, /ehpc\.accounts\[1\] \(it has no name\)/);
  });

  it('says an entry was left out for a name that looks like an earlier one', () => {
    settings.set('ehpc.accounts', [entry('Lab'), entry('L\u0430b')]);
    assert.deepEqual(open().all.map((a) => a.name), ['Lab']);
    assert.equal(shown[0].message, 'Some entries of the "ehpc.accounts" setting were left out: ehpc.accounts[1] (its name looks like an earlier entry\'s, with Cyrillic or Greek letters drawn like Latin ones).');
    assert.ok(logged.some((line) => line.includes("ehpc.accounts[1]: its name looks like an earlier entry's")));
  });

  it('says in Chinese why entries were left out, and in English in the log', () => {
    useBundle('zh-cn');
    try {
      settings.set('ehpc.accounts', [entry('Lab'), entry('lab'), entry(''), entry('La\u200Bb')]);
      open();
      assert.equal(shown[0].message, '“ehpc.accounts”设置中有条目被忽略：ehpc.accounts[1]（名称与前面的条目重复）；ehpc.accounts[2]（没有名称）；ehpc.accounts[3]（名称包含不可见字符）。');
      assert.ok(logged.some((line) => line.includes('ehpc.accounts[3]: its name holds invisible characters')));
    } finally {
      useBundle('en');
    }
  });

  it('requires a key of some account, and gives a session for each account that has one', async () => {
    settings.set('ehpc.accounts', [entry('Lab'), entry('Other')]);
    const accounts = open();
    await assert.rejects(accounts.requireSignedIn(), (error: unknown) => error instanceof EhpcError && error.kind === 'signedOut');
    await store.store({ secretKey: secretKeyFor('Other'), endpoint: DEFAULT_ENDPOINT }, { accessKeyId: 'AKID-OTHER', secretAccessKey: 'SECRET' });
    await accounts.requireSignedIn();
    const sessions = await accounts.sessions();
    assert.deepEqual([...sessions.keys()], ['Other']);
    assert.equal(sessions.get('Other')!.client.account, 'Other');
  });
});

describe('the Add Account form\'s endpoint step', () => {
  afterEach(() => useBundle('en'));
  const typed = ['', '  ', 'hpc.api.qingcloud.com', 'ftp://hpc.example.com', 'https://user:pw@hpc.example.com', 'https://hpc.example.com/?a=1', 'http://hpc.example.com'];

  it('says what to type instead, never to fix a setting the form does not write', () => {
    for (const locale of ['en', 'zh-cn'] as const) {
      useBundle(locale);
      for (const value of typed) {
        const message = endpointMessage(value);
        assert.ok(message, `${locale} ${JSON.stringify(value)} was accepted`);
        assert.doesNotMatch(message, /ehpc\.endpoint|setting|设置/, `${locale} ${JSON.stringify(value)}: ${message}`);
      }
    }
    useBundle('en');
    assert.equal(endpointMessage(''), 'Enter the endpoint.');
    assert.equal(endpointMessage('hpc.api.qingcloud.com'), '"hpc.api.qingcloud.com" is not a valid address. Enter an endpoint that starts with https://, e.g. https://hpc.api.qingcloud.com.');
    for (const value of [DEFAULT_ENDPOINT, 'https://hpc.example.internal:8443/ehpc', 'http://127.0.0.1:8080']) {
      assert.equal(endpointMessage(value), undefined, value);
    }
  });

  it('renders in Chinese as the translators proposed', () => {
    useBundle('zh-cn');
    assert.equal(endpointMessage(''), '请输入端点。');
    assert.equal(endpointMessage('hpc.api.qingcloud.com'), '“hpc.api.qingcloud.com”不是有效的地址。请输入以 https:// 开头的端点，例如 https://hpc.api.qingcloud.com。');
    assert.equal(endpointMessage('ftp://x.example.com'), '端点必须以 https:// 开头。');
  });
});

describe('the Add Account form\'s zones step, back from a zone the endpoint does not know', () => {
  afterEach(() => useBundle('en'));

  it('says which zones the endpoint does not know and which answered, until they are corrected', () => {
    assert.equal(zonesMessage('jn1a, nosuch9', ['nosuch9'], 'https://hpc.example.com'), 'hpc.example.com has no zone nosuch9; jn1a answered. Correct or remove it.');
    assert.equal(zonesMessage('nosuch9', ['nosuch9'], 'https://hpc.example.com'), 'hpc.example.com has no zone nosuch9. Enter the zones of your account there, e.g. jn1a.');
    assert.equal(zonesMessage('jn1a', ['nosuch9'], 'https://hpc.example.com'), undefined);
    assert.equal(zonesMessage('jn1a, pek3'), undefined);
    useBundle('zh-cn');
    assert.equal(zonesMessage('jn1a, nosuch9', ['nosuch9'], 'https://hpc.example.com'), 'hpc.example.com 没有区域 nosuch9；jn1a 有响应。请更正或删除它。');
  });
});
