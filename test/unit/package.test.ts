// The .vsix holds the bundle, the manifest, media, localization and the docs; nothing else
// (no sources, tests, simulator, source maps or node_modules).
import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
const ALLOWED = [
  /^dist\/(extension|parts|node-fetch|ssh2)\.js$/,
  /^package\.json$/,
  /^package\.nls(\.[a-z-]+)?\.json$/,
  /^l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/,
  /^media\/[\w.-]+\.(svg|png)$/,
  /^media\/walkthrough\/[\w.-]+\.(md|svg)$/,
  /^(README|CHANGELOG)\.md$/,
  /^LICENSE$/,
];
const REQUIRED = ['dist/extension.js', 'dist/parts.js', 'dist/node-fetch.js', 'dist/ssh2.js', 'package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/icon.png'];

describe('the package', () => {
  let files: string[];

  before(function () {
    // `vsce ls` reads the whole tree: seconds alone, a minute on a busy 2-core machine.
    this.timeout(120_000);
    assert.ok(fs.existsSync(path.join(root, 'dist', 'extension.js')), 'run npm run build first');
    const vsce = require.resolve('@vscode/vsce/vsce', { paths: [root] });
    files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  });

  it('contains only the bundle, the manifest, media, localization and the docs', () => {
    const unexpected = files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
    assert.deepEqual(unexpected, []);
  });

  it('contains everything an installed extension needs', () => {
    for (const file of REQUIRED) {
      assert.ok(files.includes(file), `${file} is missing`);
    }
  });

  it('points the manifest at files that are in it', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; icon: string };
    assert.ok(files.includes(manifest.main.replace(/^\.\//, '')), manifest.main);
    assert.ok(files.includes(manifest.icon), manifest.icon);
  });
});

describe('the manifest', () => {
  it('lets no workspace or folder choose ehpc.endpoint, where the signed requests go', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    // machine: user or remote settings only (application would ignore a remote machine's own).
    assert.equal(manifest.contributes.configuration.properties['ehpc.endpoint'].scope, 'machine');
  });
});
