// Keys and signatures of a test run, for the secret scan that follows it (test/harness).
// The harness makes fresh keys per run and hands them down in the environment; every
// simulator the tests start uses them and notes each signature it receives.
import * as fs from 'fs';

export interface TestKeyOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  onSignature?: (signature: string) => void;
}

export function testKeyOptions(): TestKeyOptions {
  const file = process.env.EHPC_TEST_SIGNATURES_FILE;
  return {
    accessKeyId: process.env.EHPC_TEST_ACCESS_KEY_ID || undefined,
    secretAccessKey: process.env.EHPC_TEST_SECRET_ACCESS_KEY || undefined,
    onSignature: file ? (signature) => fs.appendFileSync(file, `${signature}\n`) : undefined,
  };
}
