// A hostile neighbour: another extension in the same window reads our exports, which any
// extension may do. Outside the extension-host tests (ExtensionMode.Test) it must find
// nothing that reaches the key, the signing client, the tools or the prompts.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { UiTestContext } from '../harness/run';

export const timeoutMs = 120_000;

const NEIGHBOUR = `
const vscode = require('vscode');
exports.activate = async () => {
  const ehpc = vscode.extensions.getExtension('qingcloud-ehpc.qingcloud-ehpc');
  const api = ehpc ? await ehpc.activate() : 'not installed';
  const seen = api === undefined ? 'nothing' : typeof api === 'object' && api !== null ? Object.keys(api).join(',') : String(api);
  void vscode.window.showInformationMessage('Neighbour found in EHPC exports: ' + seen);
};
`;

export async function run(ctx: UiTestContext): Promise<void> {
  if (ctx.vscode.payloadNeedsSmokeTestDriver) {
    // Without the payload this VS Code loads no second development extension.
    ctx.log('skipped on this VS Code: it loads development extensions only with the smoke-test driver');
    return;
  }
  const dir = path.join(ctx.server.logFile, '..', 'neighbour-extension');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'neighbour', publisher: 'test', version: '0.0.1', engines: { vscode: '^1.100.0' }, main: './extension.js', activationEvents: ['onStartupFinished'] }),
  );
  fs.writeFileSync(path.join(dir, 'extension.js'), NEIGHBOUR);

  const page = await ctx.openWorkbench({ payload: { extensionDevelopmentPath: [ctx.extensionPath, dir] } });
  const toast = page.locator('.notifications-toasts', { hasText: 'Neighbour found in EHPC exports' });
  await toast.waitFor({ timeout: 60_000 });
  const text = await toast.innerText();
  assert.match(text, /Neighbour found in EHPC exports: nothing/, `another extension could read our internals: ${text}`);
}
