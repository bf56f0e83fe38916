// Keys and signatures of a test run, for the secret scan that follows it (test/harness).
// The harness makes fresh keys per run and hands them down in the environment; every
// simulator the tests start uses them and notes each signature it receives. A second key
// pair is for a second account's simulator (the tests of several accounts side by side).
import * as fs from 'fs';

export interface TestKeyOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  /** The login nodes' SSH password (EHPC_TEST_SSH_PASSWORD); the simulator's demo one without it. */
  sshPassword?: string;
  onSignature?: (signature: string) => void;
}

/** The environment variables of each key pair: the first, then the second account's. */
export const TEST_KEY_VARIABLES = [
  { accessKeyId: 'EHPC_TEST_ACCESS_KEY_ID', secretAccessKey: 'EHPC_TEST_SECRET_ACCESS_KEY' },
  { accessKeyId: 'EHPC_TEST_ACCESS_KEY_ID_2', secretAccessKey: 'EHPC_TEST_SECRET_ACCESS_KEY_2' },
] as const;

/**
 * The run's first key pair (`pair` 0) or its second (`pair` 1). Without the harness's
 * environment the simulator's demo key is used for the first; the second then gets a fixed
 * pair of its own, so that two accounts never share a key.
 */
export function testKeyOptions(pair: 0 | 1 = 0): TestKeyOptions {
  const file = process.env.EHPC_TEST_SIGNATURES_FILE;
  const names = TEST_KEY_VARIABLES[pair];
  const fallback = pair === 1 ? { accessKeyId: 'EHPCSECONDACCESSKEYID', secretAccessKey: 'ehpc-second-secret-access-key' } : {};
  return {
    accessKeyId: process.env[names.accessKeyId] || fallback.accessKeyId,
    secretAccessKey: process.env[names.secretAccessKey] || fallback.secretAccessKey,
    sshPassword: process.env.EHPC_TEST_SSH_PASSWORD || undefined,
    onSignature: file ? (signature) => fs.appendFileSync(file, `${signature}\n`) : undefined,
  };
}
