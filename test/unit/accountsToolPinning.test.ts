// The chat tools' delete and cancel with two accounts that list the same cluster id: what the
// user confirmed names an account, and the invoke acts with that account's key or not at all.
// Two simulators of one seed stand for one cluster id under two accounts; the registry, the
// credential store and the clients are the real ones.
import { cancellationToken, resultText } from './support/toolHost';
import { settings } from './support/fakeVscode';
import { FakeSecrets } from './support/fakeSecrets';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type * as vscode from 'vscode';
import { Accounts } from '../../src/accounts/registry';
import { CredentialStore } from '../../src/accounts/credentialStore';
import { Services } from '../../src/services';
import { createTools, EhpcTools } from '../../src/tools';
import { BusyMarks } from '../../src/tree/busyMarks';
import { ClusterModel } from '../../src/tree/model';
import { Simulator, startSimulator } from '../../simulator/server';

const manifest: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const ZONE = 'jn1a';

describe('chat tools with several accounts: the confirmed account is the one used', function () {
  this.timeout(30_000);
  let simA: Simulator;
  let simB: Simulator;
  let store: CredentialStore;
  let accounts: Accounts;
  let tools: EhpcTools;

  beforeEach(async () => {
    const options = { zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 4, seed: 5 };
    simA = await startSimulator({ ...options, accessKeyId: 'ACCOUNTAKEYID00000001', secretAccessKey: 'a-secret' });
    simB = await startSimulator({ ...options, accessKeyId: 'ACCOUNTBKEYID00000002', secretAccessKey: 'b-secret' });
    settings.set('ehpc.accounts', [
      { name: 'A', endpoint: simA.endpoint, zones: [ZONE] },
      { name: 'B', endpoint: simB.endpoint, zones: [ZONE] },
    ]);
    store = new CredentialStore(new FakeSecrets());
    const log = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as vscode.LogOutputChannel;
    accounts = new Accounts(store, log);
    await store.store(accounts.find('A')!, { accessKeyId: simA.accessKeyId, secretAccessKey: simA.secretAccessKey });
    await store.store(accounts.find('B')!, { accessKeyId: simB.accessKeyId, secretAccessKey: simB.secretAccessKey });
    const model = new ClusterModel({ client: (name) => accounts.connection(name).client() }, accounts.all.map(({ name, zones }) => ({ name, zones })));
    const services = { log, credentials: store, accounts, model, busy: new BusyMarks(), prompts: {}, watch: { watch: () => undefined } } as unknown as Services;
    tools = createTools(services, manifest);
  });
  afterEach(async () => {
    accounts.dispose();
    store.dispose();
    settings.clear();
    await Promise.all([simA.close(), simB.close()]);
  });

  const deletes = (simulator: Simulator) => simulator.requests.filter((request) => request.path === '/api/job/deleteJobs').length;

  for (const tool of ['deleteJobs', 'cancelJobs'] as const) {
    it(`${tool}: refuses when only another account lists the cluster at invoke`, async () => {
      const [cluster] = simA.clusters(ZONE);
      assert.equal(simB.clusters(ZONE)[0].cluster_id, cluster.cluster_id, 'both accounts list one cluster id');
      const job = simA.jobs(ZONE, cluster.cluster_id).find((j) => j.job_status === 'running' || j.job_status === 'pending') ?? simA.jobs(ZONE, cluster.cluster_id)[0];
      const input = { cluster_id: cluster.cluster_id, hpcjob_uuids: [job.hpcjob_uuid] };

      // A cannot list its clusters while the question is asked: the question names B.
      simA.failNext({ path: '/api/cluster/list', retCode: 1400, times: Infinity });
      const asked = await tools[tool].prepareInvocation!({ input }, cancellationToken);
      const question = JSON.stringify(asked?.confirmationMessages ?? '');
      assert.match(question, /\bB\b/, question);

      // At invoke, A lists it again and B does not.
      simA.clearFaults();
      simB.failNext({ path: '/api/cluster/list', retCode: 1400, times: Infinity });
      [simA, simB].forEach((simulator) => simulator.clearRequests());
      const text = resultText(await tools[tool].invoke({ input, toolInvocationToken: undefined }, cancellationToken));
      assert.match(text, /nothing was sent/i, text);
      const sent = simA.requests.filter((request) => request.method === 'POST').length;
      assert.equal(sent, 0, `account A's key acted on what the user confirmed for B: ${text}`);
      assert.equal(deletes(simB), 0);
    });
  }

  it('acts with the confirmed account when both list the cluster at invoke', async () => {
    const [cluster] = simA.clusters(ZONE);
    const job = simB.jobs(ZONE, cluster.cluster_id)[0];
    const input = { cluster_id: cluster.cluster_id, hpcjob_uuids: [job.hpcjob_uuid] };
    simA.failNext({ path: '/api/cluster/list', retCode: 1400, times: Infinity });
    await tools.deleteJobs.prepareInvocation!({ input }, cancellationToken);
    simA.clearFaults();
    [simA, simB].forEach((simulator) => simulator.clearRequests());
    const text = resultText(await tools.deleteJobs.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
    assert.equal(deletes(simB), 1, text);
    assert.equal(simA.requests.length, 0, 'account A was asked at all');
  });
});
