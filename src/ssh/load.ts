// ssh2 loads with the first connection (dist/ssh2.js in the package): neither activation nor
// the commands that never reach a login node pay for it.
import type * as Ssh2 from 'ssh2';

export type Ssh2Module = typeof Ssh2;

let loading: Promise<Ssh2Module> | undefined;

export function loadSsh2(): Promise<Ssh2Module> {
  loading ??= import('ssh2');
  return loading;
}
