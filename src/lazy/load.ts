// The seam between activation and what it does not load (parts.ts). In the bundle esbuild.js
// turns `require('./parts')` into loading dist/parts.js with activation's modules handed in;
// compiled by tsc (unit tests) it is a plain require.
import type * as Parts from './parts';

let parts: typeof Parts | undefined;

/** The commands, prompts, tools and watch; loaded by the first caller. */
export function loadParts(): typeof Parts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
  parts ??= require('./parts') as typeof Parts;
  return parts;
}

/** Whether loadParts() has run (the bench and tests check that activation did not). */
export function partsLoaded(): boolean {
  return parts !== undefined;
}
