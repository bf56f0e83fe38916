// What the submit form's summary says when it cannot offer the first values as they were: a
// run user or queue gone from the cluster, a user without a full home path, or values taken
// from a script's #SBATCH lines changed since the answers offered back.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import { scriptedInputs, Shown } from './support/scriptedInputs';
import { Cluster, ClusterUser, Queue } from '../../src/ehpc/types';
import { showSubmitForm, SubmitFormRequest } from '../../src/ui/submitForm';

const cluster: Cluster = { account: 'A', zone: 'jn1a', clusterId: 'ehpc-1', name: 'prod', status: 'active' };
const queues: Queue[] = [
  { queueId: 'q-big', name: 'big', partitionName: 'big', isDefault: true },
  { queueId: 'q-small', name: 'small', partitionName: 'small', isDefault: false },
];
const users: ClusterUser[] = [
  { username: 'root', role: 'admin', homeDir: '/root' },
  { username: 'bob', role: 'user', homeDir: '/home/bob' },
  { username: 'carol', role: 'user', homeDir: '~' },
];

function request(change: Partial<SubmitFormRequest>): SubmitFormRequest {
  return {
    title: 'Resubmit lammps',
    asksCommand: true,
    summary: 'first',
    initial: { clusterKey: 'A/jn1a/ehpc-1', queueId: 'q-big', runUser: 'bob', name: 'lammps', command: 'srun lmp', cores: 4 },
    clusters: () => Promise.resolve([cluster]),
    queues: () => Promise.resolve(queues),
    users: () => Promise.resolve(users),
    lastRunUser: () => undefined,
    ...change,
  };
}

/** The summary's field items as "label: value | note". */
function fields(summary: Shown): string[] {
  return summary.items.filter((item) => item.description !== undefined && !item.label.startsWith('$(')).map((item) => `${item.label}: ${item.description}${item.detail ? ` | ${item.detail}` : ''}`);
}

const labelled = (label: string) => ({ pick: (item: vscode.QuickPickItem) => item.label === label });
const submitItem = { pick: (item: vscode.QuickPickItem) => item.label.startsWith('$(rocket)') };

describe('the submit form\'s summary', () => {
  it('says which run user and queue stand in for ones gone from the cluster, and opens on them until they are chosen', async () => {
    const inputs = scriptedInputs([labelled('Queue'), labelled('small'), labelled('Run as'), labelled('bob'), submitItem]);
    try {
      const values = await showSubmitForm(request({ initial: { ...request({}).initial, queueId: 'q-gone', queueName: 'gpu', runUser: 'hpcuser' } }));
      const [first, , second, , third] = inputs.shown;
      assert.deepEqual(fields(first).filter((field) => /^(Queue|Run as):/.test(field)), [
        'Queue: big | $(warning) gpu is no longer a queue of prod',
        'Run as: root | $(warning) hpcuser is no longer a user of prod',
      ]);
      assert.equal(first.active, 'Queue', 'the summary opens on what stands in for a value gone, not on Resubmit');
      assert.deepEqual(fields(second).filter((field) => /^(Queue|Run as):/.test(field)), ['Queue: small', 'Run as: root | $(warning) hpcuser is no longer a user of prod']);
      assert.equal(second.active, 'Run as');
      assert.deepEqual(fields(third).filter((field) => /^(Queue|Run as):/.test(field)), ['Queue: small', 'Run as: bob']);
      assert.equal(third.active, '$(rocket) Resubmit with these settings');
      assert.deepEqual([values && 'queue' in values && values.queue?.queueId, values && 'runUser' in values && values.runUser.username], ['q-small', 'bob']);
    } finally {
      inputs.restore();
    }
  });

  it('says nothing, and opens on Resubmit, when the job\'s queue and user are still there', async () => {
    const inputs = scriptedInputs(['hide']);
    try {
      await showSubmitForm(request({}));
      assert.deepEqual(fields(inputs.shown[0]).filter((field) => /^(Queue|Run as):/.test(field)), ['Queue: big', 'Run as: bob']);
      assert.equal(inputs.shown[0].active, '$(rocket) Resubmit with these settings');
    } finally {
      inputs.restore();
    }
  });

  it('says so when the answers\' user no longer has a full home path for a script', async () => {
    const inputs = scriptedInputs([labelled('prod'), 'hide']);
    try {
      await showSubmitForm(request({ title: 'Submit run.sh', asksCommand: false, summary: 'afterCluster', offeredBack: true, initial: { clusterKey: 'A/jn1a/ehpc-1', runUser: 'carol', name: 'run' } }));
      const summary = inputs.shown[1];
      assert.ok(fields(summary).includes('Run as: root | $(warning) carol no longer has a home directory given as a full path'), fields(summary).join('\n'));
      assert.equal(summary.active, 'Run as');
    } finally {
      inputs.restore();
    }
  });

  it('marks the values taken from the script\'s #SBATCH lines changed since the answers offered back', async () => {
    const inputs = scriptedInputs([labelled('prod'), labelled('Cores'), { type: '8' }, 'hide']);
    try {
      await showSubmitForm(
        request({ title: 'Submit run.sh', asksCommand: false, summary: 'afterCluster', offeredBack: true, sbatchChanged: ['cores', 'time'], initial: { clusterKey: 'A/jn1a/ehpc-1', runUser: 'bob', name: 'run', cores: 4 } }),
      );
      const [, summary, , after] = inputs.shown;
      assert.equal(summary.items[0].description, 'your answers from last time, with the script\'s new #SBATCH lines');
      assert.deepEqual(
        fields(summary).filter((field) => field.includes('|')),
        ['Cores: 4 | $(info) From the script\'s #SBATCH lines, changed since your last answers', 'Time limit: none | $(info) From the script\'s #SBATCH lines, changed since your last answers'],
      );
      assert.equal(summary.active, '$(rocket) Submit with these settings');
      assert.deepEqual(fields(after).filter((field) => field.includes('|')), ['Time limit: none | $(info) From the script\'s #SBATCH lines, changed since your last answers'], 'a value the user gave is no longer marked');
    } finally {
      inputs.restore();
    }
  });
});
