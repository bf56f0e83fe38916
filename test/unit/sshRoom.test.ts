import * as assert from 'assert/strict';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';

// The compiled SSH modules, beside this test's own compiled folder.
const sshDir = resolve(__dirname, '../../src/ssh');

/** Every module a compiled module loads, following the project's own modules to the end. */
function loadedModules(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
      if (!name.startsWith('.')) {
        seen.add(name);
        continue;
      }
      const target = resolve(dirname(file), name.endsWith('.js') ? name : `${name}.js`);
      if (!seen.has(target)) {
        seen.add(target);
        pending.push(target);
      }
    }
  }
  return seen;
}

describe('the SSH modules', () => {
  it('run in plain Node: none of them loads vscode, directly or through another module', () => {
    assert.ok(existsSync(sshDir), sshDir);
    const modules = readdirSync(sshDir).filter((name) => name.endsWith('.js'));
    assert.ok(modules.includes('knownHosts.js') && modules.includes('paths.js'), modules.join(', '));
    for (const name of modules) {
      assert.ok(!loadedModules(join(sshDir, name)).has('vscode'), `${name} loads vscode`);
    }
  });
});
