// The idle guard in a real extension host, on the simulator's idle clusters (the last of each
// zone: active, pay-as-you-go, every job over) with ehpc.idleClusterMinutes at 1: the guard's
// clock is moved ahead by the test, its rounds run by the test, its Stop replaced but in the
// test of the confirmation Stop Cluster asks. Both idle clusters fall due in the same round.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ClusterPlaceRef } from '../../src/clusters/idleClock';
import type { IdleStart } from '../../src/clusters/idleStart';
import { IDLE_STATE_KEY } from '../../src/clusters/idleGuard';
import type { Prompts } from '../../src/ui/prompts';
import type { Notifier } from '../../src/watch/notifications';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, mainAccount, scriptedPrompts, setUpSuite, waitFor } from './helpers';

const MINUTE = 60_000;

describe('the idle guard', () => {
  let simulator: Simulator;
  let api: ExtensionApi;
  let original: Notifier;
  let originalPrompts: Prompts;
  let originalStop: IdleStart['stop'];
  let told: { message: string; actions: string[] }[];
  let stopped: ClusterPlaceRef[][];
  let answer: string | undefined;
  let ahead = 0;

  setUpSuite((s, a) => {
    [simulator, api] = [s, a];
    original = api.notifier;
    originalPrompts = api.prompts;
    originalStop = api.idleGuard.stop;
  }, async () => {
    api.notifier = original;
    api.prompts = originalPrompts;
    api.idleGuard.stop = originalStop;
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
    api.idleGuard.stop = (clusters) => (stopped.push([...clusters]), Promise.resolve());
  });

  afterEach(() => {
    api.prompts = originalPrompts;
  });

  /** The zone's idle cluster, as the simulator made it. */
  function idleCluster(zone: string) {
    const clusters = simulator.clusters(zone);
    const last = clusters[clusters.length - 1];
    assert.equal(last.paid_type, 'PayForUsed');
    return last;
  }

  const warningsAbout = (name: string) => told.filter(({ message }) => message.includes(`“${name}”`));

  it('takes the tree\'s lists, warns once about the two idle clusters in one notification, naming both and how long', async () => {
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
    const [a, b] = [idleCluster('jn1a'), idleCluster('jn1b')];
    await waitFor(() => told.length === 1);
    const [warning] = told;
    assert.match(warning.message, /^2 clusters have run no job for 2 min or more: /);
    assert.ok(warning.message.includes(`“${a.cluster_name}”`) && warning.message.includes(`“${b.cluster_name}”`), warning.message);
    assert.deepEqual(warning.actions, ['Stop Clusters...', 'Remind Me Later', 'Don\'t Warn for These Clusters']);
    await guard.round();
    ahead = 5 * MINUTE;
    await guard.round();
    assert.equal(told.length, 1, 'once');
  });

  it('Remind Me Later warns about both again a minute later; Stop Clusters... stops both', async () => {
    const guard = api.idleGuard.load();
    const [a, b] = [idleCluster('jn1a'), idleCluster('jn1b')];
    answer = 'Remind Me Later';
    await guard.round(); // lists both zones itself: nothing was handed since the state was cleared
    ahead = 2 * MINUTE;
    await guard.round();
    await waitFor(() => warningsAbout(b.cluster_name).length === 1);
    answer = 'Stop Clusters...';
    ahead = 2.5 * MINUTE;
    await guard.round();
    assert.equal(told.length, 1, 'snoozed for a minute');
    ahead = 3.5 * MINUTE;
    await guard.round();
    await waitFor(() => stopped.length === 1);
    const account = mainAccount(api).name;
    assert.deepEqual(stopped[0].map((cluster) => cluster.clusterId).sort(), [a.cluster_id, b.cluster_id].sort());
    assert.deepEqual(stopped[0].find((cluster) => cluster.clusterId === b.cluster_id), { account, zone: 'jn1b', clusterId: b.cluster_id });
    assert.equal(told.length, 2);
    assert.ok(told.every(({ message }) => message.includes(`“${a.cluster_name}”`) && message.includes(`“${b.cluster_name}”`)), 'each names both');
  });

  it('Stop Clusters... asks one confirmation naming both, through Stop Cluster', async () => {
    api.idleGuard.stop = originalStop;
    const asked: { message: string; detail: string }[] = [];
    api.prompts = scriptedPrompts({ confirm: async (message, detail) => (asked.push({ message, detail }), false) });
    const guard = api.idleGuard.load();
    const [a, b] = [idleCluster('jn1a'), idleCluster('jn1b')];
    answer = 'Stop Clusters...';
    await guard.round();
    ahead = 2 * MINUTE;
    await guard.round();
    await waitFor(() => asked.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100)); // no second question follows
    assert.deepEqual(asked.map(({ message }) => message), ['Stop 2 clusters?']);
    assert.ok(asked[0].detail.includes(`${a.cluster_name} (${a.cluster_id} in zone jn1a)`) && asked[0].detail.includes(`${b.cluster_name} (${b.cluster_id} in zone jn1b)`), asked[0].detail);
    assert.equal(simulator.requests.filter((request) => request.path === '/api/cluster/stopCluster').length, 0, 'refused: nothing stopped');
  });

  it('Don\'t Warn for These Clusters is remembered for each, until Warn Again About Idle Clusters', async () => {
    const guard = api.idleGuard.load();
    answer = 'Don\'t Warn for These Clusters';
    await guard.round();
    ahead = 2 * MINUTE;
    await guard.round();
    await waitFor(() => told.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the answer is written
    ahead = 30 * MINUTE;
    await guard.round(); // lists again (due), still idle
    assert.equal(told.length, 1, 'not warned again');
    await vscode.commands.executeCommand('ehpc.allowIdleWarnings');
    await waitFor(() => told.some(({ message }) => /warned about again: 2 cluster/.test(message)));
  });
});
