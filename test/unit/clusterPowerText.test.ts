// Start and Stop as the user sees them without a server: the row of a cluster on its way,
// the menus its context value offers, the confirmation's words and the summary's.
import { useBundle } from './support/fakeVscode';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterPowerResult, planPower } from '../../src/clusters/power';
import { EhpcError } from '../../src/ehpc/errors';
import { Cluster } from '../../src/ehpc/types';
import { clusterItem } from '../../src/tree/items';
import { nothingToSend, powerQuestion, powerSummary } from '../../src/ui/powerText';

const cluster = (clusterId: string, status: string, extra: Partial<Cluster> = {}): Cluster => ({ account: 'main', zone: 'jn1a', clusterId, name: `name-${clusterId}`, status, ...extra });
const name = (c: { name: string }) => c.name;

interface Menu {
  command: string;
  when: string;
}

/** The context-menu commands of the manifest whose `viewItem` test holds for this context value. */
function offered(contextValue: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, Menu[]> } };
  return manifest.contributes.menus['view/item/context']
    .filter(({ when }) => [...when.matchAll(/viewItem =~ \/((?:[^/\\]|\\.)+)\//g)].some(([, re]) => new RegExp(re).test(contextValue)) || [...when.matchAll(/viewItem == ([\w.]+)/g)].some(([, value]) => value === contextValue))
    .map((menu) => `${menu.command}${menu.when.includes('!listMultiSelection') ? ' (one row)' : ''}`)
    .sort();
}

describe('starting and stopping clusters, as shown', () => {
  afterEach(() => useBundle('en'));

  it('shows a start or stop under way on the row, with a spinning icon, and offers Start on shut-down rows, Stop on active ones', () => {
    useBundle('en');
    const stopping = clusterItem(cluster('ehpc-1', 'active', { transitionStatus: 'stopping' }), undefined);
    assert.equal(stopping.description, 'Stopping... · ehpc-1');
    assert.equal((stopping.iconPath as { id: string }).id, 'loading~spin');
    assert.equal(stopping.contextValue, 'cluster.stopping');
    assert.equal(clusterItem(cluster('ehpc-1', 'stopped', { transitionStatus: 'starting' }), undefined).description, 'Starting... · ehpc-1');
    const stopped = clusterItem(cluster('ehpc-1', 'stopped'), undefined);
    assert.equal(stopped.description, 'shut down · ehpc-1');
    assert.equal((stopped.iconPath as { id: string }).id, 'server-environment');
    assert.equal((stopped.iconPath as { color?: { id: string } }).color?.id, 'disabledForeground', 'a shut-down cluster is dimmed');
    const suspended = clusterItem(cluster('ehpc-1', 'suspended', { runningJobCount: 2, pendingJobCount: 1 }), undefined);
    assert.equal(suspended.description, 'suspended · 2 running, 1 pending · ehpc-1');
    assert.equal((suspended.iconPath as { id: string }).id, 'debug-pause', 'a suspended cluster does not look active');
    assert.equal((clusterItem(cluster('ehpc-1', 'active'), undefined).iconPath as { color?: unknown }).color, undefined);
    assert.equal(clusterItem(cluster('ehpc-1', 'active'), undefined).contextValue, 'cluster.active');

    assert.deepEqual(offered('cluster.active'), ['ehpc.refresh', 'ehpc.refresh (one row)', 'ehpc.stopCluster']);
    assert.deepEqual(offered('cluster.stopped'), ['ehpc.refresh', 'ehpc.refresh (one row)', 'ehpc.startCluster']);
    assert.deepEqual(offered('cluster.stopping'), ['ehpc.refresh', 'ehpc.refresh (one row)']);
    assert.deepEqual(offered('cluster.suspended'), ['ehpc.refresh', 'ehpc.refresh (one row)']);
    useBundle('zh-cn');
    assert.equal(clusterItem(cluster('ehpc-1', 'active', { transitionStatus: 'stopping' }), undefined).description, '正在关闭... · ehpc-1');
  });

  it('asks to stop naming each cluster with its jobs and the ones left out, and wants the jobs typed when the stop ends some', () => {
    useBundle('en');
    const plan = planPower('stop', [
      cluster('ehpc-1', 'active', { runningJobCount: 2, pendingJobCount: 1 }),
      cluster('ehpc-2', 'active', { zone: 'jn1b' }),
      cluster('ehpc-3', 'stopped'),
      cluster('ehpc-4', 'active', { transitionStatus: 'stopping' }),
    ]);
    const question = powerQuestion(plan, name);
    assert.equal(question.message, 'Stop 2 clusters?');
    assert.equal(question.jobs, 3);
    assert.equal(
      question.detail,
      [
        '• name-ehpc-1 (ehpc-1 in zone jn1a): 2 running, 1 pending',
        '• name-ehpc-2 (ehpc-2 in zone jn1b): 0 running, 0 pending',
        '',
        'Left out: name-ehpc-3 (already shut down), name-ehpc-4 (stopping)',
        '',
        'Their 3 running and pending jobs are stopped with them and do not resume when the cluster starts again. A stopped cluster takes no jobs and no logins until it is started.',
      ].join('\n'),
    );
    const quiet = powerQuestion(planPower('stop', [cluster('ehpc-2', 'active')]), name);
    assert.deepEqual([quiet.message, quiet.jobs, quiet.button], ['Stop cluster "name-ehpc-2"?', 0, 'Stop Cluster']);
    const start = powerQuestion(planPower('start', [cluster('ehpc-3', 'stopped', { runningJobCount: 4 })]), name);
    assert.equal(start.jobs, 0, 'a start ends no jobs');
    assert.equal(nothingToSend(planPower('start', [cluster('ehpc-1', 'active')]), name), 'Nothing to start: name-ehpc-1 (already active).');
    useBundle('zh-cn');
    assert.equal(powerQuestion(plan, name).message, '关闭 2 个集群？');
  });

  it('sums up what the list afterwards says: stopped, still stopping, a failed operation with its error code', () => {
    useBundle('en');
    const results: ClusterPowerResult[] = [
      { cluster: cluster('ehpc-1', 'active'), outcome: 'done', state: 'stopped' },
      { cluster: cluster('ehpc-2', 'active'), outcome: 'underWay', state: 'stopping' },
      { cluster: cluster('ehpc-3', 'active'), outcome: 'failed', state: 'active', errorCodes: '5100' },
      { cluster: cluster('ehpc-4', 'active'), outcome: 'failed', error: new EhpcError('server', 'The server is busy.') },
      { cluster: cluster('ehpc-5', 'stopped'), outcome: 'skipped', reason: 'already', state: 'stopped' },
    ];
    const summary = powerSummary('stop', results, name);
    assert.equal(
      summary.message,
      'Stopped name-ehpc-1. Still stopping: name-ehpc-2. The view follows it at its next refresh. Could not stop name-ehpc-3 (the operation failed with error 5100), name-ehpc-4 (The server is busy.). Left out: name-ehpc-5 (already shut down).',
    );
    assert.equal(summary.complete, false);
    assert.deepEqual(powerSummary('stop', [results[0], results[4]], name), { message: 'Stopped name-ehpc-1. Left out: name-ehpc-5 (already shut down).', complete: true });
    useBundle('zh-cn');
    assert.equal(powerSummary('start', [{ cluster: cluster('ehpc-1', 'stopped'), outcome: 'done', state: 'active' }], name).message, '已启动 name-ehpc-1。');
  });

  it('says a cluster whose operation could not be read and that is listed as it was is not stopped, maybe refused', () => {
    useBundle('en');
    const unread: ClusterPowerResult = { cluster: cluster('ehpc-1', 'active'), outcome: 'notDone', state: 'active', operationId: 'j-1', operationUnread: true };
    assert.equal(
      powerSummary('stop', [unread], name).message,
      'Not stopped: name-ehpc-1 (listed as active; its operation could not be read, and the request may have been refused).',
    );
    const cancelled: ClusterPowerResult = { cluster: cluster('ehpc-2', 'active'), outcome: 'notSent', error: new EhpcError('cancelled', 'Cancelled before it was sent.') };
    assert.equal(powerSummary('stop', [cancelled], name).message, 'Not sent: name-ehpc-2 (Cancelled before it was sent.).');
    const notFollowed: ClusterPowerResult = { cluster: cluster('ehpc-3', 'active'), outcome: 'notDone', state: 'active', operationId: 'j-3', notFollowed: true };
    assert.equal(powerSummary('stop', [notFollowed], name).message, 'Not stopped: name-ehpc-3 (listed as active; the request was sent, and you cancelled before it was followed).');
    useBundle('zh-cn');
    assert.doesNotMatch(powerSummary('start', [{ ...unread, state: 'stopped' }, cancelled], name).message, /[a-z]{4,} /);
  });
});
