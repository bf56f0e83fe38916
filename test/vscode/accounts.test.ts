// Several accounts side by side: two simulators, each with its own endpoint and key pair,
// named in `ehpc.accounts`. Each account's requests go to its own endpoint signed with its
// own key; one account's trouble (an endpoint down, a removal in the middle of a batch)
// leaves the other's rows and actions alone.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import { Account, AccountSetting, LEGACY_SECRET_KEY, secretKeyFor } from '../../src/accounts/accounts';
import type { BatchResult } from '../../src/batch/runner';
import type { ExtensionApi } from '../../src/extension';
import type { AccountNode, MessageNode } from '../../src/tree/nodes';
import type { Prompts } from '../../src/ui/prompts';
import { BACK } from '../../src/ui/multiStep';
import { Simulator, startSimulator } from '../../simulator/server';
import { testKeyOptions } from '../testKeys';
import { activateExtension, children, clusterNodes, jobNodes, labelOf, scriptedPrompts, signInDirectly, waitFor } from './helpers';

const ALPHA = 'Alpha';
const BETA = 'Beta';
const TWIN = 'Alpha twin';
const GAMMA = 'Gamma';

function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('several accounts side by side', () => {
  let alpha: Simulator;
  let beta: Simulator;
  let api: ExtensionApi;
  let originalPrompts: Prompts;
  const config = () => vscode.workspace.getConfiguration('ehpc');
  const account = (name: string): Account => {
    const found = api.accounts.find(name);
    assert.ok(found, `no account ${name}`);
    return found;
  };
  const names = () => api.accounts.all.map((entry) => entry.name);
  const entry = (name: string, simulator: Simulator, zones: string[]): AccountSetting => ({ name, endpoint: simulator.endpoint, zones });
  const pair = () => [entry(ALPHA, alpha, ['jn1a', 'jn1b']), entry(BETA, beta, ['jn1a'])];
  const deletes = (simulator: Simulator) => simulator.requests.filter((r) => r.path === '/api/job/deleteJobs');
  /** Every request the simulator received was signed with its own key, and accepted. */
  const onlyOwnKey = (simulator: Simulator) => {
    assert.ok(simulator.requests.length > 0, 'the simulator received nothing');
    for (const request of simulator.requests) {
      assert.equal(request.query.access_key_id === simulator.accessKeyId, true, `${request.path} was sent with another account's key`);
      assert.notEqual(request.retCode, 1200, `${request.path} was refused as badly signed`);
    }
  };

  async function useAccounts(entries: AccountSetting[] | undefined): Promise<void> {
    await config().update('accounts', entries, vscode.ConfigurationTarget.Global);
    const wanted = entries?.map((e) => e.name).join('\n');
    await waitFor(() => (wanted === undefined ? api.accounts.all.length === 1 && api.accounts.all[0].implicit : names().join('\n') === wanted));
  }

  /** Keys other tests may have stored: removed so that no test starts signed in where it should not be. */
  async function deleteStrayKeys(): Promise<void> {
    const implicit = new URL(alpha.endpoint).hostname;
    for (const key of [LEGACY_SECRET_KEY, secretKeyFor(TWIN), secretKeyFor(GAMMA), secretKeyFor(implicit)]) {
      await api.credentials.delete({ secretKey: key });
    }
  }

  before(async function () {
    this.timeout(30_000);
    // Alpha: two zones (zone rows under its row); Beta: one zone, its clusters right under its
    // row, other data (another seed) and the run's second key pair.
    alpha = await startSimulator({ ...testKeyOptions(0), zones: ['jn1a', 'jn1b'], clustersPerZone: 2, jobsPerCluster: [12, 250], stopDelayMs: 300 });
    beta = await startSimulator({ ...testKeyOptions(1), seed: 4242, zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: [12, 250], stopDelayMs: 300 });
    assert.notEqual(alpha.accessKeyId, beta.accessKeyId, 'the two simulators share a key id');
    api = await activateExtension();
    originalPrompts = api.prompts;
  });

  after(async function () {
    this.timeout(30_000);
    api.prompts = originalPrompts;
    // Other suites see one implicit account again, and no key of these.
    await useAccounts(undefined);
    for (const name of [ALPHA, BETA]) {
      await api.credentials.delete({ secretKey: secretKeyFor(name) });
    }
    await deleteStrayKeys();
    await alpha.close();
    await beta.close();
  });

  beforeEach(async function () {
    this.timeout(30_000);
    await useAccounts(pair());
    await deleteStrayKeys();
    await signInDirectly(api, alpha, account(ALPHA));
    await signInDirectly(api, beta, account(BETA));
    api.model.forget(ALPHA);
    api.model.forget(BETA);
    for (const simulator of [alpha, beta]) {
      simulator.clearFaults();
      simulator.setLatency(0);
      simulator.clearRequests();
    }
    api.prompts = scriptedPrompts({});
  });

  it('shows one row per account (its name and endpoint), each with its own clusters, all at one depth; with one account, no account row', async () => {
    const top = await children(api);
    assert.deepEqual(top.map((node) => node.kind === 'account' && node.account), [ALPHA, BETA]);
    const items = top.map((node) => api.provider.getTreeItem(node));
    assert.deepEqual(items.map(labelOf), [ALPHA, BETA]);
    assert.deepEqual(items.map((item) => item.description), [new URL(alpha.endpoint).host, new URL(beta.endpoint).host]);
    assert.equal(api.provider.getParent(top[0]), undefined);

    // Alpha's two zones are rows under its row.
    const underAlpha = await children(api, top[0]);
    assert.deepEqual(underAlpha.map((node) => node.kind === 'zone' && `${node.account}/${node.zone}`), [`${ALPHA}/jn1a`, `${ALPHA}/jn1b`]);
    for (const zone of ['jn1a', 'jn1b']) {
      const clusters = await clusterNodes(api, zone, ALPHA);
      assert.deepEqual(clusters.map((node) => node.cluster.clusterId), alpha.clusters(zone).map((c) => c.cluster_id));
      assert.ok(clusters.every((node) => node.cluster.account === ALPHA));
    }
    const betaClusters = await clusterNodes(api, 'jn1a', BETA);
    assert.deepEqual(betaClusters.map((node) => node.cluster.clusterId), beta.clusters('jn1a').map((c) => c.cluster_id));
    // Beta's one zone is a row too: side by side, every account at one depth.
    const underBeta = await children(api, top[1]);
    assert.deepEqual(underBeta.map((node) => node.kind === 'zone' && `${node.account}/${node.zone}`), [`${BETA}/jn1a`]);
    assert.ok(betaClusters.every((node) => node.cluster.account === BETA && api.provider.getParent(node) === underBeta[0] && api.provider.getParent(underBeta[0]) === top[1]));
    const alphaIds = new Set(['jn1a', 'jn1b'].flatMap((zone) => alpha.clusters(zone).map((c) => c.cluster_id)));
    assert.ok(betaClusters.every((node) => !alphaIds.has(node.cluster.clusterId)), 'the two simulators share cluster ids: the test would prove less');
    onlyOwnKey(alpha);
    onlyOwnKey(beta);

    await useAccounts([entry(ALPHA, alpha, ['jn1a', 'jn1b'])]);
    const alone = await children(api);
    assert.deepEqual(alone.map((node) => node.kind === 'zone' && node.zone), ['jn1a', 'jn1b'], 'one account: its zones are the top level, as before accounts');
    assert.equal(api.provider.getParent(alone[0]), undefined);
  });

  it("offers on an account's row the key actions that fit (Sign Out and Change Key..., or Sign In), and says when a zone does not exist, with Edit Zones...", async () => {
    const contexts = async () => (await children(api)).map((node) => api.provider.getTreeItem(node).contextValue);
    assert.deepEqual(await contexts(), ['account.signedIn', 'account.signedIn']);
    await api.credentials.delete(account(BETA));
    await waitFor(async () => (await contexts())[1] === 'account.signedOut');
    assert.deepEqual(await contexts(), ['account.signedIn', 'account.signedOut']);

    await useAccounts([entry(ALPHA, alpha, ['jn1a', 'nosuch9']), entry(BETA, beta, ['jn1a'])]);
    const [missing] = (await children(api, api.model.zoneNode(ALPHA, 'nosuch9'))) as MessageNode[];
    const item = api.provider.getTreeItem(missing);
    assert.equal(labelOf(item), 'Zone nosuch9 does not exist on this endpoint.');
    assert.equal(item.contextValue, 'error.zone', 'Edit Zones... inline, no Retry');
    assert.equal(item.command?.command, 'ehpc.editZones');
    assert.equal(item.command?.arguments?.[0], missing);
    assert.equal((await clusterNodes(api, 'jn1a', ALPHA)).length, 2, 'the other zone lists its clusters');

    // An account named after its endpoint's address: the row does not say it twice.
    const host = new URL(alpha.endpoint).host;
    await useAccounts([entry(host, alpha, ['jn1a']), entry(BETA, beta, ['jn1a'])]);
    await signInDirectly(api, beta, account(BETA)); // signed out above
    const rows = (await children(api)).map((node) => api.provider.getTreeItem(node));
    assert.deepEqual(rows.map((row) => [labelOf(row), row.description]), [[host, undefined], [BETA, new URL(beta.endpoint).host]]);
    await api.credentials.delete({ secretKey: secretKeyFor(host) });
  });

  it('Submit Job... while signed out signs in first, then goes on to the form', async () => {
    await api.credentials.delete(account(ALPHA));
    await api.credentials.delete(account(BETA));
    await waitFor(() => api.contextKeys.get('ehpc.signedIn') === false);
    const prompts = scriptedPrompts({ pickAccount: async () => ALPHA, accessKeyId: async () => alpha.accessKeyId, secretAccessKey: async () => alpha.secretAccessKey });
    api.prompts = prompts;
    await vscode.commands.executeCommand('ehpc.submitJob');
    assert.deepEqual(prompts.asked.filter((step) => step === 'submitForm'), ['submitForm'], `the form came after the sign-in: ${prompts.asked.join(', ')}`);
    assert.ok(await api.accounts.connection(ALPHA).isSignedIn());

    // Giving up the sign-in gives up the submit, without an error.
    await api.credentials.delete(account(ALPHA));
    await waitFor(() => api.contextKeys.get('ehpc.signedIn') === false);
    const gaveUp = scriptedPrompts({ pickAccount: async () => ALPHA });
    api.prompts = gaveUp;
    assert.equal(await vscode.commands.executeCommand('ehpc.submitJob'), undefined);
    assert.deepEqual(gaveUp.asked, ['accessKeyId']);
  });

  it('sends each cluster of a batch across accounts to its own endpoint with its own key, and names the account in the summary', async () => {
    const [alphaA] = await clusterNodes(api, 'jn1a', ALPHA);
    const [alphaB] = await clusterNodes(api, 'jn1b', ALPHA);
    const [betaA] = await clusterNodes(api, 'jn1a', BETA);
    const alphaJobs = [...(await jobNodes(api, alphaA)).slice(0, 2), ...(await jobNodes(api, alphaB)).slice(0, 1)];
    const betaJobs = (await jobNodes(api, betaA)).slice(0, 2);
    const selection = [...alphaJobs, ...betaJobs];
    const prompts = scriptedPrompts({ confirm: async () => true });
    api.prompts = prompts;
    // Beta's server refuses: the summary must say which account's cluster kept its jobs.
    beta.failNext({ path: '/api/job/deleteJobs', retCode: 1400 });
    alpha.clearRequests();
    beta.clearRequests();

    const outcome = await vscode.commands.executeCommand<BatchResult>('ehpc.deleteJobs', selection[0], selection);

    assert.deepEqual(prompts.asked, ['confirm: Delete 5 jobs in 3 clusters?']);
    assert.deepEqual(
      deletes(alpha).map((r) => [r.body?.zone, r.body?.cluster_id, r.body?.job_ids]).sort(),
      [
        ['jn1a', alphaA.cluster.clusterId, alphaJobs.slice(0, 2).map((n) => n.job.hpcjobUuid)],
        ['jn1b', alphaB.cluster.clusterId, [alphaJobs[2].job.hpcjobUuid]],
      ].sort(),
    );
    assert.deepEqual(deletes(beta).map((r) => [r.body?.zone, r.body?.cluster_id, r.body?.job_ids]), [['jn1a', betaA.cluster.clusterId, betaJobs.map((n) => n.job.hpcjobUuid)]]);
    onlyOwnKey(alpha);
    assert.ok(beta.requests.every((r) => r.query.access_key_id === beta.accessKeyId), "a request to Beta's endpoint was signed with Alpha's key");
    const leftInAlpha = alpha.jobs('jn1a', alphaA.cluster.clusterId).map((job) => job.hpcjob_uuid);
    assert.ok(alphaJobs.slice(0, 2).every((node) => !leftInAlpha.includes(node.job.hpcjobUuid)));
    assert.equal(beta.jobs('jn1a', betaA.cluster.clusterId).length, 12, "Beta's jobs went although its server refused");

    assert.equal(outcome.done, 3);
    assert.match(outcome.summary, new RegExp(`^Deleted 3 of 5 jobs.*2 still listed in cluster ${escaped(betaA.cluster.name)} \\(${BETA}\\)`));
  });

  it("keeps one account's rows and actions working while the other's endpoint is down, with the error under the failing account's row", async function () {
    this.timeout(30_000);
    beta.failNext({ path: '/api', reset: true, times: Infinity }); // every path below /api
    api.model.refresh();
    const [alphaRow, betaRow] = (await children(api)) as AccountNode[];
    const betaZone = api.model.zoneNode(BETA, 'jn1a');
    const underBeta = (await children(api, betaZone)) as MessageNode[];
    assert.equal(underBeta.length, 1);
    assert.equal(underBeta[0].kind, 'message');
    assert.equal(underBeta[0].account, BETA);
    assert.equal(api.provider.getParent(underBeta[0]), betaZone);
    assert.equal(api.provider.getParent(betaZone), betaRow);
    const item = api.provider.getTreeItem(underBeta[0]);
    assert.match(labelOf(item), /Could not list the clusters of zone jn1a/);
    assert.equal(item.command?.command, 'ehpc.retry');

    assert.deepEqual((await children(api, alphaRow)).map((node) => node.kind), ['zone', 'zone']);
    const [cluster] = await clusterNodes(api, 'jn1a', ALPHA);
    assert.equal(cluster.cluster.account, ALPHA);
    const [job] = await jobNodes(api, cluster);
    api.prompts = scriptedPrompts({ confirm: async () => true });
    const outcome = await vscode.commands.executeCommand<BatchResult>('ehpc.deleteJobs', job, [job]);
    assert.equal(outcome.summary, 'Deleted 1 job.');
    assert.ok(!alpha.jobs('jn1a', cluster.cluster.clusterId).some((j) => j.hpcjob_uuid === job.job.hpcjobUuid));
    onlyOwnKey(alpha);
  });

  it("signs out from the view's title only the account picked, after asking with its name; the row it is handed is not the user's choice", async () => {
    const picked: string[] = [];
    const prompts = scriptedPrompts({
      pickAccount: async (accounts) => (picked.push(accounts.map((a) => a.name).join(',')), ALPHA),
      confirm: async () => false,
    });
    api.prompts = prompts;
    // VS Code hands a title command the focused row: here Beta's.
    await vscode.commands.executeCommand('ehpc.signOutFromView', api.model.accountNode(BETA));
    assert.deepEqual(picked, [`${ALPHA},${BETA}`], 'no account was picked');
    assert.deepEqual(prompts.asked, [`confirm: Sign out of the EHPC account ${ALPHA}?`]);
    assert.equal(await api.accounts.connection(ALPHA).isSignedIn(), true, 'signed out although the user said no');

    prompts.asked.length = 0;
    api.prompts = Object.assign(prompts, { confirm: async (message: string) => (prompts.asked.push(`confirm: ${message}`), true) });
    await vscode.commands.executeCommand('ehpc.signOutFromView', api.model.accountNode(BETA));
    assert.equal(await api.accounts.connection(ALPHA).isSignedIn(), false);
    assert.equal(await api.accounts.connection(BETA).isSignedIn(), true, "the focused row's account was signed out");

    // The row's own menu acts on its row, without a pick.
    picked.length = 0;
    await vscode.commands.executeCommand('ehpc.signOut', api.model.accountNode(BETA));
    assert.deepEqual(picked, []);
    assert.equal(await api.accounts.connection(BETA).isSignedIn(), false);
  });

  it('after Rename, Remove and Sign Out the view is signed out: its welcome content and Sign In come back', async function () {
    this.timeout(30_000);
    const prompts = scriptedPrompts({ accountName: async () => 'Renamed', confirm: async () => true });
    api.prompts = prompts;
    await waitFor(() => api.contextKeys.get('ehpc.signedIn') === true && api.contextKeys.get('ehpc.severalAccounts') === true);

    await vscode.commands.executeCommand('ehpc.renameAccount', api.model.accountNode(ALPHA));
    await waitFor(() => names().join() === `Renamed,${BETA}`);
    await vscode.commands.executeCommand('ehpc.removeAccount', api.model.accountNode(BETA));
    await waitFor(() => names().join() === 'Renamed');
    await waitFor(() => api.contextKeys.get('ehpc.severalAccounts') === false);
    assert.equal(api.contextKeys.get('ehpc.signedIn'), true);
    assert.ok((await children(api)).length > 0);

    const [cluster] = await clusterNodes(api, 'jn1a');
    await vscode.commands.executeCommand('ehpc.signOutFromView', cluster); // the focused row
    assert.ok(prompts.asked.includes('confirm: Sign out of the EHPC account Renamed?'), prompts.asked.join('\n'));
    await waitFor(async () => (await children(api)).length === 0);
    await waitFor(() => api.contextKeys.get('ehpc.signedIn') === false);
    await api.credentials.delete({ secretKey: secretKeyFor('Renamed') });
  });

  it('removes one account from its row: its key and entry go, the other stays signed in', async () => {
    // A watched job of the account: the question says it will no longer be watched.
    const [betaCluster] = await clusterNodes(api, 'jn1a', BETA);
    const live = (await jobNodes(api, betaCluster)).find((node) => node.job.status === 'running' || node.job.status === 'pending');
    assert.ok(live, 'no live job in the account\'s first cluster');
    api.watch.watch([live.job]);
    let detail = '';
    const prompts = scriptedPrompts({ confirm: async (_message, text) => ((detail = text), true) });
    api.prompts = prompts;
    beta.clearRequests(); // listing its jobs above asked it: only what follows the removal counts
    await vscode.commands.executeCommand('ehpc.removeAccount', api.model.accountNode(BETA));

    assert.deepEqual(prompts.asked, [`confirm: Remove the EHPC account ${BETA}?`]);
    assert.ok(detail.endsWith(`\n\nThe job "${live.job.name}" is no longer watched.`), detail);
    await waitFor(() => !api.watch.isWatched(live.job.hpcjobUuid));
    assert.deepEqual(names(), [ALPHA]);
    assert.deepEqual(config().inspect('accounts')?.globalValue, [entry(ALPHA, alpha, ['jn1a', 'jn1b'])]);
    assert.equal(await api.credentials.get({ secretKey: secretKeyFor(BETA), endpoint: beta.endpoint }), undefined, "the removed account's key is still stored");
    assert.equal((await api.credentials.get(account(ALPHA)))?.accessKeyId, alpha.accessKeyId);
    assert.equal(await api.accounts.connection(ALPHA).isSignedIn(), true);
    const top = await children(api);
    assert.deepEqual(top.map((node) => node.kind === 'zone' && node.zone), ['jn1a', 'jn1b']);
    assert.equal((await clusterNodes(api, 'jn1b', ALPHA)).length, 2);
    assert.equal(beta.requests.length, 0, 'the removal sent something to the removed account');
  });

  it('sends nothing more with a key removed in the middle of a batch, and says what was and was not sent', async function () {
    this.timeout(40_000);
    const big = (await clusterNodes(api, 'jn1a', BETA))[1]; // 250 jobs
    await jobNodes(api, big);
    await api.model.loadMore(big);
    await api.model.loadMore(big);
    const betaJobs = await jobNodes(api, big);
    assert.equal(betaJobs.length, 250);
    const [alphaCluster] = await clusterNodes(api, 'jn1a', ALPHA);
    const alphaJobs = (await jobNodes(api, alphaCluster)).slice(0, 2);
    const selection = [...alphaJobs, ...betaJobs];
    api.prompts = scriptedPrompts({ confirm: async () => true, confirmTyped: async () => true });
    // Beta's first request acts at once and is answered late: the account is removed meanwhile.
    beta.failNext({ path: '/api/job/deleteJobs', latencyMs: 1000 });
    const { clusterId } = big.cluster;

    const running = vscode.commands.executeCommand<BatchResult>('ehpc.deleteJobs', selection[0], selection);
    await waitFor(() => beta.jobs('jn1a', clusterId).length === 150);
    const removedAt = new Date();
    await vscode.commands.executeCommand('ehpc.removeAccount', api.model.accountNode(BETA));
    const outcome = await running;

    assert.deepEqual(names(), [ALPHA]);
    assert.equal(deletes(beta).length, 1, 'a request went out with the removed key');
    // Later than the removal began: the delete in flight arrived before it, in the same millisecond at times.
    assert.deepEqual(beta.requests.filter((r) => r.time > removedAt).map((r) => r.path), [], 'something reached Beta after its removal');
    assert.equal(beta.jobs('jn1a', clusterId).length, 150);
    const betaOutcome = outcome.clusters.find((cluster) => cluster.account === BETA);
    assert.ok(betaOutcome);
    assert.equal(betaOutcome.unknown.length, 100, 'the sent jobs are "not checked", never "not deleted"');
    assert.equal(betaOutcome.notSent.length, 150);
    // Alpha's part of the batch is unharmed.
    assert.deepEqual(deletes(alpha).map((r) => r.body?.job_ids), [alphaJobs.map((n) => n.job.hpcjobUuid)]);
    const alphaOutcome = outcome.clusters.find((cluster) => cluster.account === ALPHA);
    assert.equal(alphaOutcome?.done.length, 2);
    onlyOwnKey(alpha);
    // Named with its account, though the account was gone by the time of the summary.
    assert.match(outcome.summary, new RegExp(`100 sent to cluster ${big.cluster.name} \\(${BETA}\\), but not checked afterwards`));
    assert.match(outcome.summary, new RegExp(`150 not sent to cluster ${big.cluster.name} \\(${BETA}\\)`));
  });

  it('adds an account only with a key its server accepts; a rejected key asks for the secret again, all else kept', async () => {
    const gamma = entry(GAMMA, beta, ['jn1a']); // Beta's server under another name
    const asked: string[] = [];
    api.prompts = scriptedPrompts({
      accountForm: async (_taken, draft) => (asked.push(`form${draft ? ' again' : ''}`), gamma),
      accessKeyId: async (_name, typed) => (asked.push(`id ${typed?.accessKeyId ?? '-'}`), beta.accessKeyId),
      secretAccessKey: async (_name, problem) => (asked.push(`secret ${problem ?? '-'}`), problem ? beta.secretAccessKey : 'not-the-secret'),
    });

    await vscode.commands.executeCommand('ehpc.addAccount');
    const host = new URL(beta.endpoint).host;
    assert.deepEqual(asked, ['form', 'id -', 'secret -', `secret ${host} rejected this key pair. Check the secret, or go Back to change the Access Key ID.`], 'the form or the id was asked again, or the secret was not');
    const calls = beta.requests.map((r) => [r.path, r.retCode]);
    assert.deepEqual(calls.slice(0, 2), [['/api/cluster/list', 1200], ['/api/cluster/list', 0]], 'the key is checked with one call each time');
    // After them, only the view's own lists of the account just added (when it is on screen).
    assert.deepEqual(calls.slice(2).filter(([path, code]) => path !== '/api/cluster/list' || code !== 0), [], 'a call after the checks that is not the view listing the new account');
    assert.deepEqual(names(), [ALPHA, BETA, GAMMA]);
    assert.deepEqual(config().inspect('accounts')?.globalValue, [...pair(), gamma]);
    assert.deepEqual(await api.credentials.get(account(GAMMA)), { accessKeyId: beta.accessKeyId, secretAccessKey: beta.secretAccessKey });
    assert.deepEqual((await children(api)).map((node) => node.kind === 'account' && node.account), [ALPHA, BETA, GAMMA]);
  });

  it('is one flow: Back from the key goes to the zones step, and the id typed comes back with the form', async () => {
    const gamma = entry(GAMMA, beta, ['jn1a']);
    const asked: unknown[] = [];
    let backs = 0;
    let ids = 0;
    api.prompts = scriptedPrompts({
      accountForm: async (_taken, draft) => (asked.push(draft ?? 'form'), gamma),
      accessKeyId: async (_name, typed, place) => {
        if (ids++ === 1) {
          asked.push('id back');
          return BACK;
        }
        asked.push(`id ${typed?.accessKeyId ?? '-'} ${place?.step}/${place?.totalSteps}`);
        return beta.accessKeyId;
      },
      secretAccessKey: async (_name, _problem, place) => (asked.push(`secret ${place?.step}/${place?.totalSteps}`), backs++ === 0 ? BACK : beta.secretAccessKey),
    });
    await vscode.commands.executeCommand('ehpc.addAccount');
    assert.deepEqual(asked, [
      'form', `id - 4/5`, 'secret 5/5', // Back from the secret
      'id back', // Back from the id
      { setting: gamma, atZones: true },
      `id ${beta.accessKeyId} 4/5`, 'secret 5/5',
    ]);
    assert.deepEqual(names(), [ALPHA, BETA, GAMMA]);
  });

  it('takes Add Account back to the zones step for a zone the endpoint does not know, keeping the key; closing it adds nothing', async () => {
    const typed = entry(GAMMA, beta, ['jn1a', 'nosuch9']);
    const drafts: unknown[] = [];
    let keys = 0;
    const prompts = (corrected: AccountSetting | undefined) =>
      scriptedPrompts({
        accountForm: async (_taken, draft) => (drafts.push(draft), draft ? corrected : typed),
        accessKeyId: async () => (keys++, beta.accessKeyId),
        secretAccessKey: async () => beta.secretAccessKey,
      });
    api.prompts = prompts(undefined); // closed at the zones step
    await vscode.commands.executeCommand('ehpc.addAccount');
    assert.deepEqual(drafts, [undefined, { setting: typed, unknownZones: ['nosuch9'] }]);
    assert.deepEqual(names(), [ALPHA, BETA], 'added with a zone its endpoint does not know');

    drafts.length = 0;
    keys = 0;
    api.prompts = prompts(entry(GAMMA, beta, ['jn1a']));
    await vscode.commands.executeCommand('ehpc.addAccount');
    assert.equal(drafts.length, 2);
    assert.equal(keys, 1, 'the key was asked again');
    assert.deepEqual(names(), [ALPHA, BETA, GAMMA]);
    assert.deepEqual(config().inspect<AccountSetting[]>('accounts')?.globalValue?.[2], entry(GAMMA, beta, ['jn1a']));
  });

  it('asks the key again when Add Account comes back to the form and the endpoint is changed there; the first key never reaches the new one', async () => {
    const typed = entry(GAMMA, beta, ['jn1a', 'nosuch9']);
    const moved = entry(GAMMA, alpha, ['jn1a']); // Back to the endpoint step, another endpoint
    const asked: string[] = [];
    const keys = [beta, alpha];
    let turn = 0;
    api.prompts = scriptedPrompts({
      accountForm: async (_taken, draft) => (draft ? moved : typed),
      // Named, never printed: a key id in the test output fails the run's secret scan.
      accessKeyId: async (_name, offered) => (asked.push(`id, offered ${offered ? (offered.accessKeyId === beta.accessKeyId ? "Beta's" : 'another') : 'nothing'}`), keys[turn].accessKeyId),
      secretAccessKey: async () => (asked.push('secret'), keys[turn++]?.secretAccessKey),
    });
    await vscode.commands.executeCommand('ehpc.addAccount');
    assert.deepEqual(asked, ['id, offered nothing', 'secret', "id, offered Beta's", 'secret']);
    onlyOwnKey(alpha);
    assert.deepEqual(names(), [ALPHA, BETA, GAMMA]);
    assert.deepEqual(await api.credentials.get(account(GAMMA)), { accessKeyId: alpha.accessKeyId, secretAccessKey: alpha.secretAccessKey });
  });

  it('on the first Add, moves the single account\'s key under its name, keeps it signed in, and writes both entries', async function () {
    this.timeout(30_000);
    // A profile from before accounts: no ehpc.accounts, the endpoint setting, the key at its old place.
    await config().update('endpoint', alpha.endpoint, vscode.ConfigurationTarget.Global);
    await useAccounts(undefined);
    const implicit = api.accounts.all[0];
    assert.equal(implicit.secretKey, LEGACY_SECRET_KEY);
    assert.equal(implicit.name, new URL(alpha.endpoint).hostname, 'named after the host, without the port');
    await signInDirectly(api, alpha, implicit);
    const zones = [...implicit.zones];
    assert.ok((await clusterNodes(api, zones[0], implicit.name)).length > 0);

    api.prompts = scriptedPrompts({
      accountForm: async () => entry(BETA, beta, ['jn1a']),
      accessKeyId: async () => beta.accessKeyId,
      secretAccessKey: async () => beta.secretAccessKey,
    });
    beta.clearRequests();
    await vscode.commands.executeCommand('ehpc.addAccount');

    assert.deepEqual(names(), [implicit.name, BETA]);
    assert.deepEqual(config().inspect('accounts')?.globalValue, [{ name: implicit.name, endpoint: alpha.endpoint, zones }, entry(BETA, beta, ['jn1a'])]);
    assert.deepEqual(await api.credentials.get({ secretKey: secretKeyFor(implicit.name), endpoint: alpha.endpoint }), { accessKeyId: alpha.accessKeyId, secretAccessKey: alpha.secretAccessKey });
    assert.equal(await api.credentials.get({ secretKey: LEGACY_SECRET_KEY, endpoint: alpha.endpoint }), undefined, 'the key stayed at its old place too');
    assert.equal(await api.accounts.connection(implicit.name).isSignedIn(), true, 'the first account was signed out by the Add');
    const top = (await children(api)) as AccountNode[];
    assert.deepEqual(top.map((node) => node.account), [implicit.name, BETA]);
    alpha.clearRequests();
    assert.deepEqual((await clusterNodes(api, zones[0], implicit.name)).map((node) => node.cluster.clusterId), alpha.clusters(zones[0]).map((c) => c.cluster_id));
    onlyOwnKey(alpha);
  });

  it('says in the status bar, not in a notification, that Sign Out, Sign In, Add Account and Remove Account did what was asked', async function () {
    this.timeout(30_000);
    // The view shows each of these at once: a notification would only repeat it.
    const notified: string[] = [];
    const passing: string[] = [];
    const window = vscode.window as unknown as { showInformationMessage: (message: string) => Thenable<undefined> };
    const original = { notifier: api.notifier, showInformationMessage: window.showInformationMessage };
    api.notifier = { show: (_severity, message) => (notified.push(message), Promise.resolve(undefined)), status: (message) => void passing.push(message) };
    window.showInformationMessage = (message) => (notified.push(message), Promise.resolve(undefined));
    try {
      api.prompts = scriptedPrompts({
        confirm: async () => true,
        accountForm: async () => entry(GAMMA, beta, ['jn1a']),
        accessKeyId: async () => beta.accessKeyId,
        secretAccessKey: async () => beta.secretAccessKey,
      });
      await vscode.commands.executeCommand('ehpc.signOut', api.model.accountNode(BETA));
      await vscode.commands.executeCommand('ehpc.signIn', api.model.accountNode(BETA));
      assert.equal(await api.accounts.connection(BETA).isSignedIn(), true);
      await vscode.commands.executeCommand('ehpc.addAccount');
      assert.deepEqual(names(), [ALPHA, BETA, GAMMA]);
      await vscode.commands.executeCommand('ehpc.removeAccount', api.model.accountNode(GAMMA));
      assert.deepEqual(names(), [ALPHA, BETA]);
    } finally {
      api.notifier = original.notifier;
      window.showInformationMessage = original.showInformationMessage;
    }
    assert.deepEqual(notified, []);
    assert.deepEqual(passing, [
      `Signed out of the EHPC account ${BETA}. Its key was removed from this computer.`,
      `Signed in to the EHPC account ${BETA}.`,
      `Added the EHPC account ${GAMMA}.`,
      `Removed the EHPC account ${GAMMA}. Its key was removed from this computer.`,
    ]);
  });

  it("lists each watched job with its cluster and account in the status bar's picker", async () => {
    // A job of its own on each account's first cluster: earlier tests may have ended the seeded ones.
    const live = async (name: string, simulator: Simulator) => {
      const [{ cluster }] = await clusterNodes(api, 'jn1a', name);
      const added = simulator.addRunningJob('jn1a', cluster.clusterId, `long ${name}`, 600_000);
      const job = { account: name, zone: 'jn1a', clusterId: cluster.clusterId, hpcjobUuid: added.hpcjob_uuid, name: added.job_name, status: 'running' as const };
      return { cluster: cluster.name, job };
    };
    const watched = [await live(ALPHA, alpha), await live(BETA, beta)];
    api.watch.watch(watched.map((entry) => entry.job));
    // The picker VS Code shows, caught as it is made.
    const window = vscode.window as unknown as { createQuickPick: typeof vscode.window.createQuickPick };
    const createQuickPick = window.createQuickPick;
    let picker: vscode.QuickPick<vscode.QuickPickItem> | undefined;
    window.createQuickPick = <T extends vscode.QuickPickItem>() => (picker = createQuickPick<T>() as unknown as vscode.QuickPick<vscode.QuickPickItem>) as unknown as vscode.QuickPick<T>;
    try {
      const shown = vscode.commands.executeCommand('ehpc.showWatchedJobs');
      const items = await waitFor(() => (picker && picker.items.length > 0 ? picker.items : undefined));
      assert.ok(items);
      assert.deepEqual(
        items.map((item) => [item.label, item.description, item.buttons?.map((button) => button.tooltip)]),
        watched.map(({ cluster, job }, i) => [job.name, `${cluster} (${[ALPHA, BETA][i]}) · running`, ['Stop Watching']]),
      );
      picker?.hide();
      await shown;
    } finally {
      window.createQuickPick = createQuickPick;
      api.watch.unwatch(watched.map((entry) => entry.job.hpcjobUuid));
    }
  });

  describe('the chat tools', () => {
    const invoke = async (name: string, input: object) => textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));

    it('ehpc_listClusters lists the clusters of each account under its name', async () => {
      const all = await invoke('ehpc_listClusters', {});
      const alphaAt = all.indexOf(`Account "${ALPHA}" (${alpha.endpoint}):`);
      const betaAt = all.indexOf(`Account "${BETA}" (${beta.endpoint}):`);
      assert.ok(alphaAt >= 0 && betaAt > alphaAt, all);
      for (const zone of ['jn1a', 'jn1b']) {
        for (const cluster of alpha.clusters(zone)) {
          const at = all.indexOf(`cluster_id=${cluster.cluster_id} `);
          assert.ok(at > alphaAt && at < betaAt, `${cluster.cluster_id} is not under Alpha:\n${all}`);
        }
      }
      for (const cluster of beta.clusters('jn1a')) {
        assert.ok(all.indexOf(`cluster_id=${cluster.cluster_id} `) > betaAt, `${cluster.cluster_id} is not under Beta:\n${all}`);
      }
      onlyOwnKey(alpha);
      onlyOwnKey(beta);

      const onlyBeta = await invoke('ehpc_listClusters', { account: BETA });
      assert.ok(!onlyBeta.includes(alpha.clusters('jn1a')[0].cluster_id), onlyBeta);
      assert.ok(onlyBeta.includes(beta.clusters('jn1a')[0].cluster_id), onlyBeta);
    });

    it('ehpc_listJobs refuses a cluster id two accounts list unless the account is named', async () => {
      // The same server under a second name: every cluster id is listed by both.
      await useAccounts([...pair(), entry(TWIN, alpha, ['jn1a'])]);
      await signInDirectly(api, alpha, account(TWIN));
      const cluster = alpha.clusters('jn1a')[0];
      alpha.clearRequests();

      const refused = await invoke('ehpc_listJobs', { cluster_id: cluster.cluster_id });
      assert.match(refused, new RegExp(`^Refused: Cluster ${cluster.cluster_id} is listed by several accounts \\("${ALPHA}", "${TWIN}"\\)`));
      assert.equal(alpha.requests.filter((r) => r.path === '/api/job/list').length, 0, 'jobs were listed for an ambiguous id');

      const answered = await invoke('ehpc_listJobs', { cluster_id: cluster.cluster_id, account: TWIN });
      const first = alpha.jobs('jn1a', cluster.cluster_id)[0];
      assert.ok(answered.includes(first.hpcjob_uuid), answered);
      assert.equal(alpha.requests.filter((r) => r.path === '/api/job/list').length, 1);
      onlyOwnKey(alpha);
    });
  });
});
