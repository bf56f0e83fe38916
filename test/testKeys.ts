// Keys and signatures of a test run, for the secret scan that follows it (test/harness).
// The harness makes fresh keys per run and hands them down in the environment; every
// simulator the tests start uses them and notes each signature it receives.
import * as fs from 'fs';

export interface TestKeyOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  onSignature?: (signature: string) => void;
}

/** The run's key pair; `second`: another one, for a second account on a second simulator. */
export function testKeyOptions(pair: 'first' | 'second' = 'first'): TestKeyOptions {
  const file = process.env.EHPC_TEST_SIGNATURES_FILE;
  const prefix = pair === 'second' ? 'EHPC_TEST_SECOND_' : 'EHPC_TEST_';
  return {
    accessKeyId: process.env[`${prefix}ACCESS_KEY_ID`] || undefined,
    secretAccessKey: process.env[`${prefix}SECRET_ACCESS_KEY`] || undefined,
    onSignature: file ? (signature) => fs.appendFileSync(file, `${signature}\n`) : undefined,
  };
}
