import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Simulator } from '../../simulator/server';
import { children, clusterNodes, EXTENSION_ID, jobNodes, labelOf, mainAccount, scriptedPrompts, setUpSuite, waitFor } from './helpers';

describe('the extension in a real VS Code', () => {
  let simulator: Simulator;
  let api: ExtensionApi;

  before(() => {
    // Checked before anything here touches the extension: nothing opened the view yet.
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, false, 'activated before the view opened or a command ran');
  });
  setUpSuite((s, a) => ([simulator, api] = [s, a]));
  const account = () => mainAccount(api);
  const signedIn = () => api.accounts.connection(account().name).isSignedIn();

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['ehpc.signIn', 'ehpc.signOut', 'ehpc.refresh', 'ehpc.deleteJobs', 'ehpc.deleteJob', 'ehpc.cancelJob', 'ehpc.copyJobId']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('keeps the key in SecretStorage: store, read back, delete', async () => {
    await api.credentials.store(account(), { accessKeyId: 'AKID-ROUND-TRIP', secretAccessKey: 'secret-round-trip' });
    assert.deepEqual(await api.credentials.get(account()), { accessKeyId: 'AKID-ROUND-TRIP', secretAccessKey: 'secret-round-trip' });
    await api.credentials.delete(account());
    assert.equal(await api.credentials.get(account()), undefined);
    await waitFor(async () => !(await signedIn()));
    assert.deepEqual(await children(api), [], 'signed out: no rows, so the welcome view shows');
    const inSettings = JSON.stringify(vscode.workspace.getConfiguration('ehpc'));
    assert.ok(!inSettings.includes('secret-round-trip'));
  });

  it('puts the clusters at the top level when one zone is configured', async () => {
    const config = vscode.workspace.getConfiguration('ehpc');
    await config.update('zones', ['jn1b'], vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => !api.model.showsZones(account().name));
      const top = await children(api);
      assert.deepEqual(
        top.map((node) => node.kind === 'cluster' && node.cluster.clusterId),
        simulator.clusters('jn1b').map((c) => c.cluster_id),
      );
      assert.equal(api.provider.getParent(top[0]), undefined);
    } finally {
      await config.update('zones', ['jn1a', 'jn1b'], vscode.ConfigurationTarget.Global);
      await waitFor(() => api.model.showsZones(account().name));
    }
  });

  it('shows zones, then the clusters of each zone, without listing any jobs', async () => {
    const top = await children(api);
    assert.deepEqual(top.map((node) => node.kind === 'zone' && node.zone), ['jn1a', 'jn1b']);
    const clusters = await clusterNodes(api, 'jn1b');
    assert.deepEqual(
      clusters.map((node) => node.cluster.clusterId),
      simulator.clusters('jn1b').map((c) => c.cluster_id),
    );
    const item = api.provider.getTreeItem(clusters[0]);
    assert.equal(item.label, clusters[0].cluster.name);
    assert.ok(String(item.description).includes(clusters[0].cluster.clusterId));
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(simulator.requests.filter((r) => r.path === '/api/job/list').length, 0, 'jobs fetched before a cluster was expanded');
  });

  it('lists the first page of a cluster\'s jobs when it is expanded, and only that cluster\'s', async () => {
    const [, big] = await clusterNodes(api, 'jn1a');
    simulator.clearRequests();
    const jobs = await jobNodes(api, big);
    const expected = simulator.jobs('jn1a', big.cluster.clusterId).slice(0, 100);
    assert.deepEqual(jobs.map((node) => node.job.hpcjobUuid), expected.map((job) => job.hpcjob_uuid));
    const jobLists = simulator.requests.filter((r) => r.path === '/api/job/list');
    assert.equal(jobLists.length, 1, 'one request for the first page');
    assert.equal(jobLists[0].query.cluster_id, big.cluster.clusterId);
    const item = api.provider.getTreeItem(jobs[0]);
    assert.equal(item.label, expected[0].job_name);
    assert.ok(String(item.description).includes(expected[0].hpcjob_uuid));
    assert.match(String(item.contextValue), /^job\./);
  });

  it('says "No jobs." for an empty cluster rather than showing nothing', async () => {
    const [, , empty] = await clusterNodes(api, 'jn1a');
    const rows = await children(api, empty);
    // Its Queues and Nodes rows, then the message in place of jobs.
    assert.deepEqual(rows.map((row) => row.kind), ['queues', 'machines', 'message']);
  });

  it('deletes exactly the selected jobs across clusters: one request per cluster, then lists only those clusters again', async () => {
    const [first, second] = await clusterNodes(api, 'jn1a');
    const [other] = await clusterNodes(api, 'jn1b');
    const selection = [...(await jobNodes(api, first)).slice(0, 2), ...(await jobNodes(api, other)).slice(3, 4)];
    const untouched = simulator.jobs('jn1a', second.cluster.clusterId).length;
    const prompts = scriptedPrompts({ confirm: () => Promise.resolve(true) });
    api.prompts = prompts;
    simulator.clearRequests();

    await vscode.commands.executeCommand('ehpc.deleteJobs', selection[0], selection);

    assert.deepEqual(prompts.asked, ['confirm: Delete 3 jobs in 2 clusters?']);
    const deletes = simulator.requests.filter((r) => r.path === '/api/job/deleteJobs');
    assert.equal(deletes.length, 2);
    const sent = deletes.map((r) => [r.body?.zone, r.body?.cluster_id, r.body?.job_ids]);
    assert.deepEqual(sent.sort(), [
      ['jn1a', first.cluster.clusterId, selection.slice(0, 2).map((n) => n.job.hpcjobUuid)],
      ['jn1b', other.cluster.clusterId, [selection[2].job.hpcjobUuid]],
    ].sort());
    const relisted = new Set(simulator.requests.filter((r) => r.path === '/api/job/list').map((r) => r.query.cluster_id));
    assert.deepEqual([...relisted].sort(), [first.cluster.clusterId, other.cluster.clusterId].sort());

    const shown = [...(await jobNodes(api, first)), ...(await jobNodes(api, other))].map((n) => n.job.hpcjobUuid);
    for (const node of selection) {
      assert.ok(!shown.includes(node.job.hpcjobUuid), `${node.job.hpcjobUuid} still shown`);
    }
    assert.equal(simulator.jobs('jn1a', second.cluster.clusterId).length, untouched, 'a cluster nobody selected lost jobs');
  });

  it('acts on the clicked job alone when it lies outside the selection', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const jobs = await jobNodes(api, cluster);
    api.prompts = scriptedPrompts({ confirm: () => Promise.resolve(true) });
    simulator.clearRequests();

    await vscode.commands.executeCommand('ehpc.deleteJobs', jobs[5], [jobs[6], jobs[7]]);

    const deletes = simulator.requests.filter((r) => r.path === '/api/job/deleteJobs');
    assert.deepEqual(deletes.map((r) => r.body?.job_ids), [[jobs[5].job.hpcjobUuid]]);
    const left = simulator.jobs('jn1a', cluster.cluster.clusterId).map((job) => job.hpcjob_uuid);
    assert.ok(left.includes(jobs[6].job.hpcjobUuid) && left.includes(jobs[7].job.hpcjobUuid));
  });

  it('sends nothing when the confirmation is cancelled', async () => {
    const [cluster] = await clusterNodes(api, 'jn1b');
    const jobs = await jobNodes(api, cluster);
    api.prompts = scriptedPrompts({ confirm: () => Promise.resolve(false) });
    simulator.clearRequests();

    await vscode.commands.executeCommand('ehpc.deleteJobs', jobs[0], jobs.slice(0, 3));

    assert.equal(simulator.requests.length, 0);
    assert.equal(simulator.jobs('jn1b', cluster.cluster.clusterId).length, jobs.length);
  });

  it('deletes from the command palette: pick a cluster, pick jobs, confirm', async () => {
    const target = simulator.clusters('jn1b')[1];
    const before = simulator.jobs('jn1b', target.cluster_id);
    const picked = before.slice(0, 2).map((job) => job.hpcjob_uuid);
    let offeredClusters: string[] = [];
    api.prompts = scriptedPrompts({
      pickCluster: async (clusters) => {
        const list = await clusters;
        offeredClusters = list.map((c) => c.clusterId);
        return list.find((c) => c.clusterId === target.cluster_id);
      },
      pickJobs: async (_cluster, jobs) => (await jobs).filter((job) => picked.includes(job.hpcjobUuid)),
      confirm: () => Promise.resolve(true),
    });
    simulator.clearRequests();

    await vscode.commands.executeCommand('ehpc.deleteJobs');

    assert.equal(offeredClusters.length, 6, 'clusters of both zones are offered');
    const deletes = simulator.requests.filter((r) => r.path === '/api/job/deleteJobs');
    assert.deepEqual(deletes.map((r) => r.body?.job_ids), [picked]);
    assert.equal(simulator.jobs('jn1b', target.cluster_id).length, before.length - 2);
  });

  it('signs in through the prompts, checking the key with one call before storing it', async () => {
    await api.credentials.delete(account());
    await waitFor(async () => !(await signedIn()));
    // A wrong secret: the secret step opens again at once, saying why, the id kept; closing it ends the sign-in.
    const asked: string[] = [];
    api.prompts = scriptedPrompts({
      accessKeyId: (_name, typed) => (asked.push(`id ${typed?.accessKeyId ?? '-'}`), Promise.resolve(simulator.accessKeyId)),
      secretAccessKey: (_name, problem) => (asked.push(`secret ${problem ?? '-'}`), Promise.resolve(problem ? undefined : 'not-the-secret')),
    });
    simulator.clearRequests();
    await vscode.commands.executeCommand('ehpc.signIn');
    assert.equal(await api.credentials.get(account()), undefined, 'a wrong key was stored');
    assert.equal(simulator.requests.length, 1);
    assert.equal(simulator.requests[0].retCode, 1200);
    assert.deepEqual(asked, ['id -', 'secret -', `secret ${new URL(simulator.endpoint).host} rejected this key pair. Check the secret, or go Back to change the Access Key ID.`]);

    api.prompts = scriptedPrompts({
      accessKeyId: () => Promise.resolve(simulator.accessKeyId),
      secretAccessKey: () => Promise.resolve(simulator.secretAccessKey),
    });
    await vscode.commands.executeCommand('ehpc.signIn');
    assert.equal((await api.credentials.get(account()))?.accessKeyId, simulator.accessKeyId);
  });

  it("signs out: the key is gone, the account's clusters and jobs are forgotten, and the view shows its welcome content again", async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    await jobNodes(api, cluster);
    // A list under way when the user signs out: cancelled with the old client, or answering after it.
    simulator.setLatency(600);
    api.model.refresh(api.model.zoneNode(account().name, 'jn1b'));
    const late = clusterNodes(api, 'jn1b');
    await waitFor(() => api.model.loading);

    // From the palette, Sign Out asks first.
    const prompts = scriptedPrompts({ confirm: () => Promise.resolve(true) });
    api.prompts = prompts;
    await vscode.commands.executeCommand('ehpc.signOut');
    assert.deepEqual(prompts.asked, ['confirm: Sign out of QingCloud EHPC?']);
    assert.equal(await api.credentials.get(account()), undefined);
    await waitFor(async () => (await children(api)).length === 0);
    await late;
    assert.equal(api.model.findCluster(cluster.cluster), undefined, 'the signed-out account\'s cluster is still known');
    assert.equal(api.model.loadedJobList(cluster), undefined, 'the signed-out account\'s jobs are still known');
    assert.equal(api.model.findCluster({ account: account().name, zone: 'jn1b', clusterId: simulator.clusters('jn1b')[0].cluster_id }), undefined, 'a list that answered after the sign-out was kept');
  });

  it('shows an authentication failure in the tree, not an empty tree', async () => {
    await api.credentials.store(account(), { accessKeyId: simulator.accessKeyId, secretAccessKey: 'revoked' });
    await waitFor(async () => (await api.credentials.get(account()))?.secretAccessKey === 'revoked');
    api.model.refresh();
    const rows = await children(api, api.model.zoneNode(account().name, 'jn1a'));
    assert.equal(rows.length, 1);
    assert.ok(rows[0].kind === 'message' && rows[0].error?.kind === 'auth', JSON.stringify(rows[0]));
    assert.match(labelOf(api.provider.getTreeItem(rows[0])), /Sign in again/);
  });
});
