// Reading a script file: its size is looked at first, so a huge file is never read whole.
import * as fakeVscode from './support/fakeVscode';
import * as assert from 'assert/strict';
import { readScriptFile } from '../../src/batch/scriptFile';
import { MAX_SCRIPT_BYTES } from '../../src/submit/script';
import type * as vscode from 'vscode';

describe('a script file on disk', () => {
  const reads: string[] = [];
  let size = 0;
  let content = new Uint8Array();

  before(() => {
    Object.assign(fakeVscode.workspace, {
      fs: {
        stat: () => Promise.resolve({ size }),
        readFile: (uri: { path: string }) => {
          reads.push(uri.path);
          return Promise.resolve(content);
        },
      },
    });
  });
  beforeEach(() => (reads.length = 0));

  const uri = { path: '/ws/big.sh' } as unknown as vscode.Uri;

  it('is refused as too large without being read when it is over 512 KB', async () => {
    size = 5 * 1024 ** 3;
    assert.deepEqual(await readScriptFile(uri), { ok: false, reason: 'tooLarge' });
    assert.deepEqual(reads, []);
  });

  it('is read and checked when it is not', async () => {
    size = 12;
    content = new TextEncoder().encode('echo hello\n');
    assert.deepEqual(await readScriptFile(uri), { ok: true, text: 'echo hello\n', lineEndsConverted: false });
    assert.deepEqual(reads, ['/ws/big.sh']);
    // Grown between the look and the read: the check on the bytes still holds.
    content = new Uint8Array(MAX_SCRIPT_BYTES + 1).fill(0x61);
    assert.deepEqual(await readScriptFile(uri), { ok: false, reason: 'tooLarge' });
  });
});
