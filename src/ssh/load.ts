// ssh2 loads with the first connection (dist/ssh2.js in the package): neither activation nor
// the commands that never reach a login node pay for it.
import type * as Ssh2 from 'ssh2';

export type Ssh2Module = typeof Ssh2;

let loading: Promise<Ssh2Module> | undefined;

export function loadSsh2(): Promise<Ssh2Module> {
  // The bundle's dynamic import of dist/ssh2.js (CommonJS) gives its exports as `default`.
  loading ??= import('ssh2').then((module) => ((module as { default?: Ssh2Module }).default?.Client ? (module as { default: Ssh2Module }).default : module));
  return loading;
}
