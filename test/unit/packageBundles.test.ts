// The bundles as `npm run package` builds them: activation loads dist/extension.js alone, at
// most 100 KB; the commands, forms, chat tools and the watch (dist/parts.js) and node-fetch
// load on first use, and parts.js works with the very modules extension.js holds.
import './support/fakeVscode';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Metafile } from 'esbuild';
import * as lazyForward from '../../src/lazy/forward';

const root = path.resolve(__dirname, '..', '..', '..');
const ACTIVATION_BUDGET_BYTES = 100 * 1024;

interface Built {
  main: Metafile;
  parts: Metafile;
  fetch: Metafile;
  ssh2: Metafile;
  held: string[];
  handed: string[];
  handedNames: Record<string, string[]>;
}

describe('the bundles', () => {
  let outdir: string;
  let built: Built;

  before(async function () {
    this.timeout(120_000);
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-bundles-'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is CommonJS
    const { buildAll } = require(path.join(root, 'esbuild.js')) as { buildAll: (options: { outdir: string; minify: boolean }) => Promise<Built> };
    built = await buildAll({ outdir, minify: true });
  });

  after(() => fs.rmSync(outdir, { recursive: true, force: true }));

  const inputsOf = (metafile: Metafile) => Object.keys(Object.values(metafile.outputs).find((out) => out.entryPoint !== undefined)?.inputs ?? {});

  it('keeps what activation loads within 100 KB, minified', () => {
    const bytes = fs.statSync(path.join(outdir, 'extension.js')).size;
    assert.ok(bytes <= ACTIVATION_BUDGET_BYTES, `dist/extension.js is ${(bytes / 1024).toFixed(1)} KB`);
  });

  it('leaves the commands, the forms, the chat tools, the watch and node-fetch out of it', () => {
    const main = inputsOf(built.main);
    for (const file of ['src/commands/submitJob.ts', 'src/ui/submitForm.ts', 'src/tools/submitJob.ts', 'src/watch/scheduler.ts', 'src/watch/jobWatch.ts', 'src/ui/jobDetailWords.ts', 'src/ui/jobDetailLenses.ts']) {
      assert.ok(!main.includes(file), `${file} is in dist/extension.js`);
      assert.ok(inputsOf(built.parts).includes(file), `${file} is not in dist/parts.js`);
    }
    assert.ok(!main.some((file) => file.includes('node_modules/node-fetch')), 'node-fetch is in dist/extension.js');
  });

  it('keeps ssh2 in a bundle of its own, loaded by the first SSH connection, working without its native parts', async () => {
    for (const metafile of [built.main, built.parts]) {
      assert.ok(!inputsOf(metafile).some((file) => file.includes('node_modules/ssh2')), 'ssh2 is in a bundle activation or a command loads');
    }
    // Copied away from node_modules: nothing it needs is left outside the bundle.
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-ssh2-'));
    fs.copyFileSync(path.join(outdir, 'ssh2.js'), path.join(alone, 'ssh2.js'));
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is CommonJS
      const ssh2 = require(path.join(alone, 'ssh2.js')) as { Client: unknown; Server: unknown; utils: { generateKeyPairSync(type: string): { public: string } } };
      assert.equal(typeof ssh2.Client, 'function');
      assert.match(ssh2.utils.generateKeyPairSync('ed25519').public, /^ssh-ed25519 /);
    } finally {
      fs.rmSync(alone, { recursive: true, force: true });
    }
  });

  it('puts no module in both bundles: parts.js is handed those of extension.js', () => {
    const parts = inputsOf(built.parts).filter((file) => file.startsWith('src/'));
    assert.deepEqual(parts.filter((file) => built.held.includes(file)), []);
    const text = fs.readFileSync(path.join(outdir, 'parts.js'), 'utf8');
    assert.match(text, /__shared\(\d+\)/);
  });

  it('hands parts.js every name of each module of extension.js it uses, those the module passes on too', () => {
    assert.ok(built.handed.length > 0);
    for (const file of built.handed) {
      // The module as tsc compiled it lists its exports, `export * from` ones included.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled module
      const exported = Object.keys(require(path.join(root, 'out', file.replace(/\.ts$/, '.js'))) as object);
      assert.deepEqual(exported.filter((name) => !built.handedNames[file].includes(name)), [], `${file}: not handed to parts.js`);
    }
  });

  it('loads parts.js with the modules it is handed, and gives other code nothing but one function', () => {
    // The modules as tsc compiled them stand in for those of extension.js.
    const asked = new Set<string>();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is CommonJS
    const factory = require(path.join(outdir, 'parts.js')) as (shared: (id: number) => unknown) => Record<string, unknown>;
    assert.equal(typeof factory, 'function');
    const parts = factory((id) => {
      const file = built.handed[id];
      asked.add(file);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled module
      return require(path.join(root, 'out', file.replace(/\.ts$/, '.js'))) as unknown;
    });
    assert.ok(asked.has('src/ehpc/errors.ts'));
    for (const name of ['submitJob', 'createTools', 'JobWatch', 'vscodePrompts', 'runWatchAction']) {
      assert.ok(parts[name], `parts.js exports no ${name}`);
    }
    assert.equal((globalThis as Record<string, unknown>).__parts, undefined);
  });
});

describe('what activation hands out in place of the parts it does not load', () => {
  it('creates the watch when a job is watched, or at once when the workspace holds watched jobs', () => {
    const memento = (value: unknown) => ({ get: () => value, update: () => Promise.resolve(), keys: () => [] });
    let created = 0;
    const real = { watch: () => 1, isWatched: () => true, onDidChange: () => ({ dispose() {} }), dispose() {} };
    const create = () => (created++, real as never);
    const idle = lazyForward.lazyWatch(memento(undefined), create);
    assert.equal(idle.isWatched('hpcjob-1'), false);
    assert.equal(idle.unwatch(['hpcjob-1']), 0);
    assert.equal(created, 0);
    assert.equal(idle.watch([]), 1);
    assert.equal(created, 1);
    assert.equal(idle.isWatched('hpcjob-1'), true);

    lazyForward.lazyWatch(memento({ watch: [] }), create);
    assert.equal(created, 2);
  });

  it('hands out every prompt as a plain property, loading the real ones when one is asked', async () => {
    let loaded = 0;
    const prompts = lazyForward.lazyPrompts(() => (loaded++, { confirm: () => Promise.resolve(true) }) as never);
    assert.equal(loaded, 0);
    assert.ok('submitForm' in { ...prompts });
    assert.equal(await prompts.confirm('m', 'd', 'a'), true);
    assert.equal(loaded, 1);
  });
});
