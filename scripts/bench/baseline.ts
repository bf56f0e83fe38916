// The build the bench compares with: the commit before activation was split (all of the
// extension in one bundle, loaded at activation). Its files come from git (git archive, into
// the run folder), its bundle is built as it built it (its esbuild.js's options, minified),
// and its activation is measured in a VS Code session of its own.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../../test/harness/vscodeServer';
import { activationInVSCode } from './vscodeBench';

export const BASELINE_COMMIT = '58cb01a';

export interface BaselineFigures {
  commit: string;
  /** Its one bundle, minified: all of it loaded at activation. */
  bundleBytes: number;
  activation: { vscodeMs?: number; extHostMs: number; wasActive: boolean };
}

export async function benchBaseline(runDir: string): Promise<BaselineFigures> {
  const dir = path.join(runDir, 'baseline');
  fs.mkdirSync(dir, { recursive: true });
  const extract = spawnSync('bash', ['-c', `git -C "$0" archive --format=tar ${BASELINE_COMMIT} | tar -x -C "$1"`, repoRoot, dir], { encoding: 'utf8' });
  if (extract.status !== 0) {
    throw new Error(`could not take ${BASELINE_COMMIT} out of git: ${extract.stderr.trim()}`);
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- that commit's CommonJS build script
  const { options } = require(path.join(dir, 'esbuild.js')) as { options: esbuild.BuildOptions };
  const outfile = path.join(dir, 'dist', 'extension.js');
  await esbuild.build({ ...options, minify: true, sourcemap: false, outfile, absWorkingDir: dir });
  const activation = await activationInVSCode(path.join(runDir, 'baseline-vscode'), dir);
  return { commit: BASELINE_COMMIT, bundleBytes: fs.statSync(outfile).size, activation };
}
