// ehpc.endpoint decides where the signed requests, and the access key id, go: a workspace's
// settings must not be able to send them elsewhere. (Named to run after extension.test.ts,
// which checks that nothing activated the extension before it: files run in name order.)
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, setUpSuite, waitFor } from './helpers';

describe('the endpoint setting', () => {
  let simulator: Simulator;
  let api: ExtensionApi;
  setUpSuite((s, a) => ([simulator, api] = [s, a]));

  it("ignores a workspace's ehpc.endpoint: requests still go to the user's", async function () {
    this.timeout(30_000);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs in a folder');
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const original = await vscode.workspace.fs.readFile(file).then(
      (bytes) => bytes,
      () => undefined,
    );
    const settings = original ? (JSON.parse(Buffer.from(original).toString('utf8')) as Record<string, unknown>) : {};
    // A second setting, which a workspace may set, shows when VS Code has read the file.
    const written = { ...settings, 'ehpc.endpoint': 'http://127.0.0.1:9', 'ehpc.typedConfirmationThreshold': 7 };
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(written, null, 2)));
    try {
      await waitFor(() => vscode.workspace.getConfiguration('ehpc').get('typedConfirmationThreshold') === 7, 10_000);
      assert.equal(vscode.workspace.getConfiguration('ehpc').get('endpoint'), simulator.endpoint);
      api.model.refresh();
      simulator.clearRequests();
      const clusters = await clusterNodes(api, 'jn1a');
      assert.equal(clusters.length, simulator.clusters('jn1a').length, 'the clusters did not come from the simulator');
      assert.ok(simulator.requests.some((r) => r.path === '/api/cluster/list'));
    } finally {
      await (original ? vscode.workspace.fs.writeFile(file, original) : vscode.workspace.fs.delete(file));
      await waitFor(() => vscode.workspace.getConfiguration('ehpc').get('typedConfirmationThreshold') !== 7, 10_000);
    }
  });
});
