// A watched job the user deletes or cancels with the extension's own batch: the batch's
// summary tells it, and the watch drops it without a second notification.
import * as fake from './support/fakeVscode';
import * as assert from 'assert/strict';
import type * as vscode from 'vscode';
import { Accounts } from '../../src/accounts/registry';
import { CredentialStore } from '../../src/accounts/credentialStore';
import { runConfirmedBatch } from '../../src/batch/runner';
import { cancelAction, deleteAction } from '../../src/batch/actions';
import type { Services } from '../../src/services';
import { BusyMarks } from '../../src/tree/busyMarks';
import { JobWatch } from '../../src/watch/jobWatch';
import { startSimulator, Simulator } from '../../simulator/server';
import { FakeSecrets } from './support/fakeSecrets';
import { Memento, silentLog } from './support/watchHost';

describe('the watch and the user\'s own delete and cancel', () => {
  let sim: Simulator;
  let watch: JobWatch;

  afterEach(async () => {
    watch?.dispose();
    fake.settings.clear();
    await sim?.close();
  });

  it('drops a job the batch deleted or cancelled, telling nothing after the summary', async () => {
    sim = await startSimulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 10, stopDelayMs: 0 });
    fake.settings.set('ehpc.accounts', [{ name: 'Lab', endpoint: sim.endpoint, zones: ['jn1a'] }]);
    const credentials = new CredentialStore(new FakeSecrets());
    const log = { ...silentLog, show: () => undefined, error: () => undefined } as unknown as vscode.LogOutputChannel;
    const accounts = new Accounts(credentials, log);
    await credentials.store(accounts.find('Lab')!, { accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey });
    const told: string[] = [];
    watch = new JobWatch({
      accounts, credentials, log, state: new Memento(),
      model: { patchJob: () => false, findCluster: () => undefined },
      notifier: () => ({ show: (_severity, message) => (told.push(message), Promise.resolve(undefined)) }),
      act: () => Promise.resolve(),
    });
    await watch.ready;
    const services = { accounts, credentials, watch, log, notifier: { show: () => Promise.resolve(undefined) }, busy: new BusyMarks(), model: { reloadJobs: () => Promise.resolve([]), findCluster: () => undefined } } as unknown as Services;
    const [cluster] = sim.clusters('jn1a');
    const client = await accounts.connection('Lab').client();
    const active = (await client.listAllJobs('jn1a', cluster.cluster_id)).filter((job) => job.status === 'running' || job.status === 'pending');
    assert.ok(active.length >= 2);
    for (const [action, job] of [[deleteAction, active[0]], [cancelAction, active[1]]] as const) {
      fake.shown.length = 0;
      watch.watch([job]);
      await runConfirmedBatch(services, action, [job], { origin: 'tree', notify: true });
      // Done as asked: a word in the status bar, no notification.
      assert.deepEqual(fake.shown.map((entry) => entry.kind), ['status'], `the ${action.name} summary`);
      assert.equal(watch.isWatched(job.hpcjobUuid), false, `the ${action.name}d job is still watched`);
      await watch.tick();
      assert.deepEqual(told, [], `told again after the ${action.name} summary`);
    }
  });
});
