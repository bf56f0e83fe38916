// What the form's cluster and run-user steps offer, and refuse.
import * as fakeVscode from './support/fakeVscode';
import * as assert from 'assert/strict';
import { Cluster } from '../../src/ehpc/types';

const SEPARATOR = -1;
Object.assign(fakeVscode as unknown as Record<string, unknown>, { QuickPickItemKind: { Separator: SEPARATOR, Default: 0 } });

// Loaded after the stand-in has what it needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { clusterItems, clusterPickItems, homeRefusal, queueItems, summaryItems } = require('../../src/ui/submitForm') as typeof import('../../src/ui/submitForm');

function cluster(clusterId: string, status: string): Cluster {
  return { account: 'A', zone: 'jn1a', clusterId, name: clusterId, status };
}

describe('the submit form\'s picks', () => {
  it('lists the clusters that take jobs first, then shut-down ones (Start and Submit), and the others apart, refused with why', () => {
    const items = clusterItems([
      cluster('ehpc-s', 'suspended'),
      cluster('ehpc-a', 'active'),
      cluster('ehpc-x', 'stopped'),
      cluster('ehpc-b', 'active'),
      { ...cluster('ehpc-y', 'stopped'), transitionStatus: 'starting' },
    ]);
    assert.deepEqual(
      items.map((item) => [item.label, (item.kind as number | undefined) === SEPARATOR, item.refusal !== undefined]),
      [
        ['ehpc-a', false, false],
        ['ehpc-b', false, false],
        ['Shut down: Start and Submit starts it first', true, false],
        ['ehpc-x', false, false],
        ['Not accepting jobs', true, false],
        ['ehpc-s', false, true],
        ['ehpc-y', false, true],
      ],
    );
    assert.equal(items[5].refusal, 'Cluster ehpc-s is suspended and does not accept jobs. Pick an active cluster.');
  });

  it('has no separate section when every cluster takes jobs', () => {
    assert.deepEqual(clusterItems([cluster('ehpc-a', 'active')]).map((item) => item.label), ['ehpc-a']);
  });

  it('shows each queue\'s free slots once describeQueue told them, and the queue without them until then', () => {
    const queues = [
      { queueId: 'ehpcq-a', name: 'normal', partitionName: 'compute', isDefault: true, cpuNum: 16, nodeCount: 2 },
      { queueId: 'ehpcq-b', name: 'gpu', isDefault: false },
    ];
    assert.deepEqual(queueItems(queues, new Map()).map((item) => item.detail), ['2 nodes · 16 cores', undefined]);
    const loads = new Map([['ehpcq-a', { queueId: 'ehpcq-a', name: 'normal', freeSlots: 12 }], ['ehpcq-b', { queueId: 'ehpcq-b', name: 'gpu', freeSlots: 0 }]]);
    assert.deepEqual(queueItems(queues, loads).map((item) => item.detail), ['2 nodes · 16 cores · 12 free slots', '0 free slots']);
  });

  it('names a queue once when its partition has the same name, and marks the one #SBATCH asked for', () => {
    const queues = [
      { queueId: 'ehpcq-d', name: 'debug', partitionName: 'debug', isDefault: true },
      { queueId: 'ehpcq-n', name: 'normal', partitionName: 'compute', isDefault: false },
    ];
    assert.deepEqual(queueItems(queues, new Map()).map((item) => [item.label, item.description]), [['debug', 'default'], ['normal', 'compute']]);
    assert.deepEqual(queueItems(queues, new Map(), 'compute').map((item) => item.description), ['default', 'compute · from #SBATCH']);
    assert.deepEqual(queueItems(queues, new Map(), 'debug').map((item) => item.description), ['default · from #SBATCH', 'compute']);
  });

  it('lists the clusters of several accounts under a line per account, the account in the description typing matches', () => {
    const list = [{ ...cluster('ehpc-a', 'active'), account: 'Big Lab' }, { ...cluster('ehpc-b', 'active'), account: 'Personal' }, { ...cluster('ehpc-c', 'active'), account: 'Big Lab' }];
    assert.deepEqual(
      clusterPickItems(list).map((item) => [item.label, (item.kind as number | undefined) === SEPARATOR, item.description]),
      [['Big Lab', true, undefined], ['ehpc-a', false, 'Big Lab · ehpc-a'], ['ehpc-c', false, 'Big Lab · ehpc-c'], ['Personal', true, undefined], ['ehpc-b', false, 'Personal · ehpc-b']],
    );
    assert.deepEqual(clusterPickItems([cluster('ehpc-a', 'active')]).map((item) => [item.label, item.description]), [['ehpc-a', 'ehpc-a']]);
  });

  it('sums up the values: Submit with these settings first, then one item per field; refused, saying why, while a value would not pass', () => {
    const queue = { queueId: 'ehpcq-d', name: 'debug', isDefault: true, cpuNum: 8, nodeCount: 1 };
    const state = { cluster: cluster('ehpc-a', 'active'), queue, runUser: { username: 'admin', homeDir: '/home/admin' }, name: 'train-42', cores: 2, timeLimitMinutes: 10 };
    const items = summaryItems({ asksCommand: false, summary: 'afterCluster' }, state, true);
    assert.deepEqual(
      items.map((item) => [item.label, item.description]),
      [
        ['$(rocket) Submit with these settings', undefined],
        ['Change', undefined],
        ['Cluster', 'ehpc-a'],
        ['Queue', 'debug'],
        ['Run as', 'admin'],
        ['Job name', 'train-42'],
        ['Cores', '2'],
        ['Memory limit', 'none'],
        ['Time limit', '10 minutes'],
      ],
    );
    assert.equal(items[0].refusal, undefined);
    assert.deepEqual(items.slice(2).map((item) => item.value), ['cluster', 'queue', 'runUser', 'name', 'cores', 'memory', 'time'].map((field) => ({ kind: 'edit', field })));
    const tooMany = summaryItems({ asksCommand: false, summary: 'afterCluster' }, { ...state, cores: 9 }, true);
    assert.equal(tooMany[0].refusal, 'Queue debug offers at most 8 cores (1 nodes of 8 cores).');
    assert.equal(tooMany[0].detail, tooMany[0].refusal);
    const suspended = summaryItems({ asksCommand: false }, { ...state, cluster: cluster('ehpc-s', 'suspended') }, true);
    assert.match(suspended[0].refusal ?? '', /^Cluster ehpc-s is suspended/);
  });

  it('sums up a job resubmitted: its command, the answers offered back, and the script to upload again', () => {
    const state = { cluster: cluster('ehpc-a', 'active'), runUser: { username: 'admin' }, name: 'train-42', command: 'bash run.sh', cores: 1 };
    const items = summaryItems({ asksCommand: true, summary: 'first', offeredBack: true, reupload: 'train.sh' }, state, false);
    assert.deepEqual(items.slice(0, 4).map((item) => [item.label, item.description]), [
      ['$(rocket) Resubmit with these settings', 'your answers from last time'],
      ['$(cloud-upload) Upload train.sh again and submit it', undefined],
      ['Change', undefined],
      ['Command', 'bash run.sh'],
    ]);
    assert.equal(items.some((item) => item.label === 'Queue'), false, 'no queue to change on a cluster that lists none');
    assert.deepEqual(items[1].value, { kind: 'reupload' });
  });

  it('refuses a run user without an absolute home for a script', () => {
    assert.equal(homeRefusal({ username: 'alice', homeDir: '/public/home/alice' }), undefined);
    for (const homeDir of [undefined, '', '~', 'home/bob']) {
      assert.match(homeRefusal({ username: 'bob', homeDir }) ?? '', /^bob has no home directory on the cluster given as a full path/);
    }
  });
});
