// The package as it ships: the bundles built as `npm run package` builds them (esbuild.js,
// minified) and the .vsix vsce makes of it, both in the run folder so that the
// repository's dist/ stays as `npm run build` left it. The folder they are staged in is
// also what the VS Code part of the bench loads: it measures the shipped bundle.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../../test/harness/vscodeServer';

/** What esbuild.js writes: the activation bundle and what loads on first use. */
const BUNDLES = ['dist/extension.js', 'dist/parts.js', 'dist/node-fetch.js', 'dist/ssh2.js'];
const VSCE = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

export interface BundleFigures {
  /** All the bundles together. */
  bundleBytes: number;
  /** dist/extension.js: what activation loads. */
  activationBytes: number;
  vsixBytes: number;
  /** Bytes of the minified bundle by where they come from, largest first. */
  sources: { name: string; bytes: number }[];
  /** The unpacked extension: what the .vsix holds. */
  extensionPath: string;
}

export async function benchBundle(runDir: string): Promise<BundleFigures> {
  const stage = path.join(runDir, 'extension');
  // vsce's own list of what goes in (.vscodeignore applied), all but the bundle copied as is.
  const files = (await vsce(['ls', '--no-dependencies'], repoRoot)).split('\n').map((line) => line.trim()).filter(Boolean);
  for (const file of files.filter((file) => !BUNDLES.includes(file))) {
    fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, file), path.join(stage, file));
  }
  const built = await buildBundles(path.join(stage, 'dist'));
  const vsixPath = path.join(runDir, 'qingcloud-ehpc.vsix');
  await vsce(['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsixPath], stage);
  return {
    bundleBytes: BUNDLES.reduce((sum, file) => sum + fs.statSync(path.join(stage, file)).size, 0),
    activationBytes: fs.statSync(path.join(stage, BUNDLES[0])).size,
    vsixBytes: fs.statSync(vsixPath).size,
    sources: bySource([built.main, built.parts, built.fetch]),
    extensionPath: stage,
  };
}

type Built = { main: esbuild.Metafile; parts: esbuild.Metafile; fetch: esbuild.Metafile };

/** esbuild.js's build, minified, into `outdir`. */
export function buildBundles(outdir: string, root = repoRoot): Promise<Built> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS build script, not a module of ours
  const { buildAll } = require(path.join(root, 'esbuild.js')) as { buildAll: (options: { outdir: string; minify: boolean }) => Promise<Built> };
  return buildAll({ outdir, minify: true });
}

/** Sums esbuild's bytes-in-output, over the bundles, per npm package (the last node_modules/<name> in the path). */
function bySource(metafiles: esbuild.Metafile[]): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const metafile of metafiles) {
    const output = Object.values(metafile.outputs).find((out) => out.entryPoint !== undefined || out.inputs['node-fetch-entry.js']);
    for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
      totals.set(sourceOf(input), (totals.get(sourceOf(input)) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function sourceOf(input: string): string {
  const namespace = /^([a-z-]+):(.*)$/.exec(input);
  if (namespace) {
    return `${namespace[2]} (stand-in from esbuild.js)`;
  }
  const at = input.lastIndexOf('node_modules/');
  if (at >= 0) {
    const [first, second] = input.slice(at + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  return `${input.split('/')[0]}/ (the extension's own code)`;
}

function vsce(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VSCE, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`vsce ${args[0]} failed (exit ${code}): ${stderr.trim()}`))));
  });
}
