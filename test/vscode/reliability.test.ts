import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import { CredentialStore } from '../../src/accounts/credentialStore';
import { Connection } from '../../src/accounts/connection';
import type { ExtensionApi } from '../../src/extension';
import { BusyMarks } from '../../src/tree/busyMarks';
import { ClusterModel } from '../../src/tree/model';
import type { MessageNode } from '../../src/tree/nodes';
import { ClusterTreeProvider } from '../../src/tree/provider';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, jobNodes, labelOf, mainAccount, scriptedPrompts, setUpSuite, waitFor } from './helpers';

describe('reliability', () => {
  let simulator: Simulator;
  let api: ExtensionApi;

  setUpSuite((s, a) => ([simulator, api] = [s, a]));

  it('does not bring deleted jobs back when a refresh that began before the batch ends after it', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const jobs = (await jobNodes(api, cluster)).slice(0, 2);
    api.prompts = scriptedPrompts({ confirm: async () => true });
    // The refresh's list is answered from the data of before the delete, and late.
    simulator.failNext({ path: '/api/job/list', clusterId: cluster.cluster.clusterId, latencyMs: 700 });
    api.model.refresh(cluster);
    const slowRefresh = jobNodes(api, cluster);
    await waitFor(() => simulator.requests.some((r) => r.path === '/api/job/list'));

    await vscode.commands.executeCommand('ehpc.deleteJobs', jobs[0], jobs);
    await slowRefresh;

    const shown = (await jobNodes(api, cluster)).map((node) => node.job.hpcjobUuid);
    for (const node of jobs) {
      assert.ok(!shown.includes(node.job.hpcjobUuid), `${node.job.name} came back after it was deleted`);
    }
  });

  it('keeps "Deleting..." on the jobs through a refresh during the batch', async () => {
    const [cluster] = await clusterNodes(api, 'jn1b');
    const jobs = (await jobNodes(api, cluster)).slice(0, 2).map((node) => node.job);
    // What a batch does before its first request: mark the jobs. Then the user refreshes.
    api.busy.mark(jobs, 'deleting');
    try {
      api.model.refresh(cluster);
      const rows = (await jobNodes(api, cluster)).filter((node) => jobs.some((job) => job.hpcjobUuid === node.job.hpcjobUuid));
      assert.equal(rows.length, 2);
      for (const row of rows) {
        assert.match(String(api.provider.getTreeItem(row).description), /Deleting\.\.\./);
        assert.equal(api.provider.getTreeItem(row).contextValue, 'job.busy');
      }
    } finally {
      api.busy.clear(jobs);
    }
  });

  it('reports jobs someone else deleted meanwhile as gone, not as failures', async () => {
    const [cluster] = await clusterNodes(api, 'jn1b');
    const jobs = (await jobNodes(api, cluster)).slice(2, 4);
    api.prompts = scriptedPrompts({ confirm: async () => true });
    // Gone already: the server removed them and answers the delete with 2100.
    await (await api.accounts.connection(cluster.cluster.account).client()).deleteJobs('jn1b', cluster.cluster.clusterId, jobs.map((node) => node.job.hpcjobUuid));
    simulator.failNext({ path: '/api/job/deleteJobs', retCode: 2100 });

    const outcome = await vscode.commands.executeCommand<{ done: number; summary: string }>('ehpc.deleteJobs', jobs[0], jobs);

    assert.equal(outcome.done, 2);
    assert.equal(outcome.summary, 'Deleted 2 jobs.');
  });

  it('does not send a delete twice when its answer is lost, and shows what the server lists', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const jobs = (await jobNodes(api, cluster)).slice(0, 2);
    api.prompts = scriptedPrompts({ confirm: async () => true });
    simulator.failNext({ path: '/api/job/deleteJobs', afterAction: true, reset: true });
    simulator.clearRequests();

    const outcome = await vscode.commands.executeCommand<{ done: number }>('ehpc.deleteJobs', jobs[0], jobs);

    assert.equal(simulator.requests.filter((r) => r.path === '/api/job/deleteJobs').length, 1);
    assert.equal(outcome.done, 2, 'the re-list shows both gone');
  });

  it('says what to do when the system keyring fails, instead of acting signed out', async () => {
    const broken: vscode.SecretStorage = {
      get: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
      store: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
      delete: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
      onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event,
    };
    const store = new CredentialStore(broken);
    const account = mainAccount(api);
    await assert.rejects(store.store(account, { accessKeyId: 'a', secretAccessKey: 'b' }), /keyring/);
    const connection = new Connection(account, store, (of, credentials) => api.accounts.clientFor(of, credentials));
    const accounts = { find: () => account, connection: () => connection };
    const provider = new ClusterTreeProvider(new ClusterModel({ client: () => connection.client() }, [{ name: account.name, zones: ['jn1a'] }]), accounts, new BusyMarks());
    const [row] = (await provider.getChildren()) as MessageNode[];
    assert.equal(row.kind, 'message');
    assert.equal(row.error?.kind, 'keyring');
    assert.match(labelOf(provider.getTreeItem(row)), /gnome-keyring/);
  });
});
