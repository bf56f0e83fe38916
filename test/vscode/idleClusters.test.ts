// The idle guard in a real extension host, on the simulator's idle clusters (the last of each
// zone: active, pay-as-you-go, every job over) with ehpc.idleClusterMinutes at 1: the guard's
// clock is moved ahead by the test, its rounds run by the test, its Stop replaced.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ClusterPlaceRef } from '../../src/clusters/idleClock';
import { IDLE_STATE_KEY } from '../../src/clusters/idleGuard';
import type { Notifier } from '../../src/watch/notifications';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, mainAccount, setUpSuite, waitFor } from './helpers';

const MINUTE = 60_000;

describe('the idle guard', () => {
  let simulator: Simulator;
  let api: ExtensionApi;
  let original: Notifier;
  let told: { message: string; actions: string[] }[];
  let stopped: ClusterPlaceRef[];
  let answer: string | undefined;
  let ahead = 0;

  setUpSuite((s, a) => {
    [simulator, api] = [s, a];
    original = api.notifier;
  }, async () => {
    api.notifier = original;
    api.idleGuard.now = () => Date.now();
    await vscode.workspace.getConfiguration('ehpc').update('idleClusterMinutes', 0, vscode.ConfigurationTarget.Global);
    await api.globalState.update(IDLE_STATE_KEY, undefined);
  }, { idleCluster: true });

  beforeEach(async () => {
    await vscode.workspace.getConfiguration('ehpc').update('idleClusterMinutes', 1, vscode.ConfigurationTarget.Global);
    await api.globalState.update(IDLE_STATE_KEY, undefined);
    told = [];
    stopped = [];
    answer = undefined;
    ahead = 0;
    api.notifier = { show: (_severity, message, ...actions) => (told.push({ message, actions }), Promise.resolve(answer)) };
    api.idleGuard.now = () => Date.now() + ahead;
    api.idleGuard.stop = (cluster) => (stopped.push(cluster), Promise.resolve());
  });

  /** The zone's idle cluster, as the simulator made it. */
  function idleCluster(zone: string) {
    const clusters = simulator.clusters(zone);
    const last = clusters[clusters.length - 1];
    assert.equal(last.paid_type, 'PayForUsed');
    return last;
  }

  const warningsAbout = (name: string) => told.filter(({ message }) => message.includes(`“${name}”`));

  it('takes the tree\'s lists, warns once about the idle cluster, naming it and how long', async () => {
    const guard = api.idleGuard.load();
    await guard.round(); // the round the setting's change started, done
    await api.globalState.update(IDLE_STATE_KEY, undefined);
    simulator.clearRequests();
    await clusterNodes(api, 'jn1a');
    await clusterNodes(api, 'jn1b');
    await guard.round();
    assert.deepEqual(simulator.requests.filter((request) => request.path === '/api/cluster/list').length, 2, 'the tree\'s two lists, none of the guard\'s');
    assert.equal(told.length, 0, 'not idle for a minute yet');
    ahead = 2 * MINUTE;
    await guard.round();
    const idle = idleCluster('jn1a');
    await waitFor(() => warningsAbout(idle.cluster_name).length === 1);
    const [warning] = warningsAbout(idle.cluster_name);
    assert.match(warning.message, /has run no job for 2 min/);
    assert.deepEqual(warning.actions, ['Stop Cluster', 'Remind Me Later', 'Don\'t Warn for This Cluster']);
    await guard.round();
    ahead = 5 * MINUTE;
    await guard.round();
    assert.equal(warningsAbout(idle.cluster_name).length, 1, 'once');
  });

  it('Stop Cluster stops that cluster; Remind Me Later warns again a minute later', async () => {
    const guard = api.idleGuard.load();
    const idle = idleCluster('jn1b');
    answer = 'Remind Me Later';
    await guard.round(); // lists both zones itself: nothing was handed since the state was cleared
    ahead = 2 * MINUTE;
    await guard.round();
    await waitFor(() => warningsAbout(idle.cluster_name).length === 1);
    answer = 'Stop Cluster';
    ahead = 2.5 * MINUTE;
    await guard.round();
    assert.equal(warningsAbout(idle.cluster_name).length, 1, 'snoozed for a minute');
    ahead = 3.5 * MINUTE;
    await guard.round();
    await waitFor(() => stopped.some((cluster) => cluster.clusterId === idle.cluster_id));
    assert.deepEqual(stopped.find((cluster) => cluster.clusterId === idle.cluster_id), { account: mainAccount(api).name, zone: 'jn1b', clusterId: idle.cluster_id });
    assert.equal(warningsAbout(idle.cluster_name).length, 2);
  });

  it('Don\'t Warn for This Cluster is remembered, until Warn Again About Idle Clusters', async () => {
    const guard = api.idleGuard.load();
    const idle = idleCluster('jn1a');
    answer = 'Don\'t Warn for This Cluster';
    await guard.round();
    ahead = 2 * MINUTE;
    await guard.round();
    await waitFor(() => warningsAbout(idle.cluster_name).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the answer is written
    ahead = 30 * MINUTE;
    await guard.round(); // lists again (due), still idle
    assert.equal(warningsAbout(idle.cluster_name).length, 1, 'not warned again');
    await vscode.commands.executeCommand('ehpc.allowIdleWarnings');
    await waitFor(() => told.some(({ message }) => /warned about again: \d+ cluster/.test(message)));
  });
});
