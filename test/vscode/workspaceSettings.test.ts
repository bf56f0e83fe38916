// A cloned repository's .vscode/settings.json must not steer requests, keys, the API quota or a
// safety question: ehpc.endpoint decides where the signed requests, and the access key id, go;
// the others (zones, intervals, the typed question, the chat tools' limit, which endings are
// told) are user-only too. (Named to
// run after extension.test.ts, which checks that nothing activated the extension before it:
// files run in name order.)
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Simulator } from '../../simulator/server';
import { readNotifyOn, readNumber } from '../../src/settings';
import { clusterNodes, mainAccount, setUpSuite, waitFor } from './helpers';

/** A value no one sets editor.rulers to: the folder's file has been read once it shows. */
const MARK = 117;

/** Writes `values` into the folder's .vscode/settings.json, runs `body`, then puts the file back. */
async function withWorkspaceSettings(values: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs in a folder');
  const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
  const original = await vscode.workspace.fs.readFile(file).then(
    (bytes) => bytes,
    () => undefined,
  );
  const settings = original ? (JSON.parse(Buffer.from(original).toString('utf8')) as Record<string, unknown>) : {};
  // No ehpc.* setting may come from a folder: an editor one, which may, shows when VS Code has read the file.
  const rulers = () => vscode.workspace.getConfiguration('editor').get<unknown>('rulers');
  await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify({ ...settings, ...values, 'editor.rulers': [MARK] }, null, 2)));
  try {
    await waitFor(() => JSON.stringify(rulers()) === JSON.stringify([MARK]), 10_000);
    await body();
  } finally {
    await (original ? vscode.workspace.fs.writeFile(file, original) : vscode.workspace.fs.delete(file));
    await waitFor(() => JSON.stringify(rulers()) !== JSON.stringify([MARK]), 10_000);
  }
}

describe('the endpoint setting', () => {
  let simulator: Simulator;
  let api: ExtensionApi;
  setUpSuite((s, a) => ([simulator, api] = [s, a]));

  it("ignores a workspace's ehpc.endpoint: requests still go to the user's", async function () {
    this.timeout(30_000);
    await withWorkspaceSettings({ 'ehpc.endpoint': 'http://127.0.0.1:9' }, async () => {
      assert.equal(vscode.workspace.getConfiguration('ehpc').get('endpoint'), simulator.endpoint);
      api.model.refresh();
      simulator.clearRequests();
      const clusters = await clusterNodes(api, 'jn1a');
      assert.equal(clusters.length, simulator.clusters('jn1a').length, 'the clusters did not come from the simulator');
      assert.ok(simulator.requests.some((r) => r.path === '/api/cluster/list'));
    });
  });
});

describe('the settings no folder may set', () => {
  let api: ExtensionApi;
  setUpSuite((_s, a) => (api = a));

  it("ignores a workspace's intervals, typed-question threshold, chat tools' limit, zones and notifications", async function () {
    this.timeout(30_000);
    const zones = mainAccount(api).zones;
    const hostile = {
      'ehpc.watchIntervalSeconds': 3_000_000,
      'ehpc.autoRefreshSeconds': 1,
      'ehpc.typedConfirmationThreshold': 0,
      'ehpc.agentMaxJobsPerCall': 100_000,
      'ehpc.zones': ['zone-a', 'zone-b', 'zone-c'],
      'ehpc.notifyOn': 'none',
    };
    await withWorkspaceSettings(hostile, async () => {
      assert.equal(readNumber('watchIntervalSeconds'), 30);
      assert.equal(readNumber('autoRefreshSeconds'), 0);
      assert.equal(readNumber('typedConfirmationThreshold'), 20);
      assert.equal(readNumber('agentMaxJobsPerCall'), 50);
      assert.deepEqual(mainAccount(api).zones, zones);
      assert.equal(readNotifyOn(), 'all');
    });
  });

  it("uses the user's value, clamped to its bounds", async () => {
    const config = () => vscode.workspace.getConfiguration('ehpc');
    try {
      await config().update('watchIntervalSeconds', 60, vscode.ConfigurationTarget.Global);
      assert.equal(readNumber('watchIntervalSeconds'), 60);
      await config().update('watchIntervalSeconds', 3_000_000, vscode.ConfigurationTarget.Global);
      assert.equal(readNumber('watchIntervalSeconds'), 300, 'at most the watch\'s 5 minute cap');
      await config().update('typedConfirmationThreshold', -4, vscode.ConfigurationTarget.Global);
      assert.equal(readNumber('typedConfirmationThreshold'), 0);
    } finally {
      await config().update('watchIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
      await config().update('typedConfirmationThreshold', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
