// Reading a script file: its size is looked at first, so a huge file is never read whole,
// and only a regular file is read at all.
import * as fakeVscode from './support/fakeVscode';
import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readScriptFile } from '../../src/batch/scriptFile';
import { MAX_SCRIPT_BYTES } from '../../src/submit/script';
import type * as vscode from 'vscode';

describe('a script file on disk', () => {
  const reads: string[] = [];
  let size = 0;
  let content = new Uint8Array();

  before(() => {
    (fakeVscode as unknown as Record<string, unknown>).FileType ??= { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };
    Object.assign(fakeVscode.workspace, {
      fs: {
        stat: () => Promise.resolve({ size, type: 1 }),
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

describe('a script file on the local disk', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-script-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const local = (name: string) => ({ scheme: 'file', fsPath: path.join(dir, name), path: path.join(dir, name) }) as unknown as vscode.Uri;

  it('is read when it is a regular file', async () => {
    fs.writeFileSync(path.join(dir, 'run.sh'), 'echo hello\n');
    assert.deepEqual(await readScriptFile(local('run.sh')), { ok: true, text: 'echo hello\n', lineEndsConverted: false });
    fs.writeFileSync(path.join(dir, 'big.sh'), Buffer.alloc(MAX_SCRIPT_BYTES + 1, 0x61));
    assert.deepEqual(await readScriptFile(local('big.sh')), { ok: false, reason: 'tooLarge' });
  });

  it('is refused, not read without end, when it links to /dev/zero or is a FIFO', async function () {
    this.timeout(5000);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.sh'));
    assert.deepEqual(await readScriptFile(local('zero.sh')), { ok: false, reason: 'notAFile' });
    execFileSync('mkfifo', [path.join(dir, 'pipe.sh')]);
    assert.deepEqual(await readScriptFile(local('pipe.sh')), { ok: false, reason: 'notAFile' });
  });
});
