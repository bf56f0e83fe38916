// The ecosystem's standard runner (@vscode/test-cli + @vscode/test-electron): `npx vscode-test`
// downloads a desktop VS Code and runs the extension-host suite in it. It needs access to
// VS Code's download servers; without it, `npm run test:vscode` runs the same suite offline.
import { mkdirSync } from 'node:fs';
import { defineConfig } from '@vscode/test-cli';

const workspaceFolder = '.vscode-test/cli-workspace'; // the tests write their settings here
mkdirSync(workspaceFolder, { recursive: true });

export default defineConfig({
  label: 'extension-host',
  files: 'out/test/vscode/**/*.test.js',
  version: '1.100.3',
  workspaceFolder,
  mocha: { ui: 'bdd', timeout: 20_000 },
});
