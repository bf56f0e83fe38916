// Download Output… as the user meets it, over a file kept in memory on a stand-in SFTP session:
// the save dialog's default, the question before replacing (asked once), progress in percent and
// MB, cancel, and Open / Reveal after.
import * as fake from './support/fakeVscode';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SshLease } from '../../src/ssh/connections';
import { downloadOutput } from '../../src/output/downloadOutput';

/** The few `vscode` parts Download Output uses beyond the shared stand-in. */
class Uri {
  private constructor(readonly scheme: string, readonly fsPath: string) {}
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, path.join(base.fsPath, ...parts));
  }
  static remote(p: string): Uri {
    return new Uri('vscode-remote', p);
  }
}
const vscodeExtras = fake as unknown as Record<string, unknown>;
vscodeExtras.Uri = Uri;
vscodeExtras.ProgressLocation = { Notification: 15 };
const window = fake.window as unknown as Record<string, unknown>;
const workspace = fake.workspace as unknown as Record<string, unknown>;

/** An SFTP session with one file in memory (ssh2's callback shapes); counts opens. */
function memoryLease(files: Record<string, Buffer>) {
  const opened: string[] = [];
  const later = (callback: () => void) => setImmediate(callback);
  const sftp = {
    open(p: string, _mode: string, cb: (error: unknown, handle?: Buffer) => void) {
      opened.push(p);
      later(() => (files[p] ? cb(undefined, Buffer.from(p)) : cb(Object.assign(new Error('No such file'), { code: 2 }))));
    },
    fstat(handle: Buffer, cb: (error: unknown, stats: { size: number }) => void) {
      later(() => cb(undefined, { size: files[handle.toString()].length }));
    },
    read(handle: Buffer, buffer: Buffer, offset: number, length: number, position: number, cb: (error: unknown, bytesRead: number) => void) {
      later(() => cb(undefined, files[handle.toString()].copy(buffer, offset, position, position + length)));
    },
    close(_handle: Buffer, cb: () => void) {
      later(cb);
    },
  };
  return { lease: { sftp: () => Promise.resolve(sftp) } as unknown as SshLease, opened };
}

describe('Download Output…', () => {
  const content = Buffer.alloc(3 * 1024 * 1024 + 123, 'step 1/20: loss 1.818\n');
  let dir: string;
  let dialogs: unknown[];
  let picked: Uri | undefined;
  let questions: { message: string; options: unknown; items: string[] }[];
  let answer: string | undefined;
  let infos: { message: string; items: string[] }[];
  let infoChoice: string | undefined;
  let reports: { increment?: number; message?: string }[];
  let cancelAfter: number | undefined;
  let executed: unknown[][];
  const restore: [Record<string, unknown>, string, unknown][] = [];

  function replace(target: Record<string, unknown>, key: string, value: unknown): void {
    restore.push([target, key, target[key]]);
    target[key] = value;
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ehpc-download-ui-'));
    dialogs = [];
    questions = [];
    infos = [];
    reports = [];
    executed = [];
    answer = undefined;
    infoChoice = undefined;
    cancelAfter = undefined;
    picked = Uri.file(path.join(dir, 'train-7.out'));
    fake.shown.length = 0;
    fake.settings.clear();
    replace(workspace, 'workspaceFolders', [{ uri: Uri.file(dir) }]);
    replace(window, 'showSaveDialog', (options: unknown) => (dialogs.push(options), Promise.resolve(picked)));
    replace(window, 'showWarningMessage', (message: string, options: unknown, ...items: string[]) => (questions.push({ message, options, items }), Promise.resolve(answer)));
    replace(window, 'showInformationMessage', (message: string, ...items: string[]) => (infos.push({ message, items }), Promise.resolve(infoChoice)));
    replace(window, 'withProgress', (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
      const cancelListeners: (() => void)[] = [];
      const progress = {
        report: (value: { increment?: number; message?: string }) => {
          reports.push(value);
          if (cancelAfter !== undefined && reports.length === cancelAfter) {
            cancelListeners.forEach((listener) => listener());
          }
        },
      };
      return task(progress, { onCancellationRequested: (listener: () => void) => cancelListeners.push(listener) });
    });
    replace(fake.commands, 'executeCommand', (...args: unknown[]) => (executed.push(args), Promise.resolve(undefined)));
  });

  afterEach(() => {
    for (const [target, key, value] of restore.splice(0).reverse()) {
      target[key] = value;
    }
    fake.useBundle('en');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('proposes the job\'s name in the first workspace folder, saves the file, shows percent and MB, then offers Open and Reveal', async () => {
    const { lease } = memoryLease({ '/home/u/job.out': content });
    infoChoice = process.platform === 'linux' ? 'Open Containing Folder' : process.platform === 'darwin' ? 'Reveal in Finder' : 'Reveal in File Explorer';
    const saved = await downloadOutput(lease, '/home/u/job.out', 'train-7.out');
    assert.equal(saved, picked);
    assert.equal((dialogs[0] as { defaultUri: Uri }).defaultUri.fsPath, path.join(dir, 'train-7.out'));
    assert.ok(fs.readFileSync(path.join(dir, 'train-7.out')).equals(content));
    assert.deepEqual(fs.readdirSync(dir), ['train-7.out']);
    assert.equal(reports.reduce((sum, r) => sum + (r.increment ?? 0), 0), 100);
    assert.equal(reports.at(-1)?.message, '100% (3.0 MB of 3.0 MB)');
    assert.ok(reports.length <= 102, `${reports.length} reports`);
    assert.deepEqual(infos, [{ message: 'Saved “train-7.out” (3.0 MB).', items: ['Open', infoChoice] }]);
    await settle();
    assert.deepEqual(executed, [['revealFileInOS', picked]]);
    assert.deepEqual(questions, []);
  });

  it('opens the saved file when asked', async () => {
    infoChoice = 'Open';
    await downloadOutput(memoryLease({ '/o': content }).lease, '/o', 'train-7.out');
    await settle();
    assert.deepEqual(executed, [['vscode.open', picked]]);
  });

  it('stops on cancel, leaving no file and saying nothing more', async () => {
    cancelAfter = 10;
    assert.equal(await downloadOutput(memoryLease({ '/o': content }).lease, '/o', 'train-7.out'), undefined);
    assert.deepEqual(fs.readdirSync(dir), []);
    assert.deepEqual(infos, []);
    assert.deepEqual(fake.shown, []);
  });

  it('does nothing when the save dialog is closed', async () => {
    picked = undefined;
    const { lease, opened } = memoryLease({ '/o': content });
    assert.equal(await downloadOutput(lease, '/o', 'train-7.out'), undefined);
    assert.deepEqual(opened, []);
  });

  it('asks, once, before replacing a file the dialog may not have asked about, and keeps it unless told', async function () {
    if (process.platform !== 'linux') {
      this.skip(); // elsewhere the system's save dialog asks
    }
    fs.writeFileSync(picked!.fsPath, 'earlier');
    const { lease, opened } = memoryLease({ '/o': content });
    assert.equal(await downloadOutput(lease, '/o', 'train-7.out'), undefined);
    assert.deepEqual(questions, [{ message: '“train-7.out” already exists. Replace it?', options: { modal: true }, items: ['Replace'] }]);
    assert.equal(fs.readFileSync(picked!.fsPath, 'utf8'), 'earlier');
    assert.deepEqual(opened, []);
    answer = 'Replace';
    await downloadOutput(lease, '/o', 'train-7.out');
    assert.ok(fs.readFileSync(picked!.fsPath).equals(content));
    assert.deepEqual(fs.readdirSync(dir), ['train-7.out']);
  });

  it('does not ask again when the dialog already asked (VS Code\'s own dialog)', async () => {
    fake.settings.set('files.simpleDialog.enable', true);
    fs.writeFileSync(picked!.fsPath, 'earlier');
    await downloadOutput(memoryLease({ '/o': content }).lease, '/o', 'train-7.out');
    assert.deepEqual(questions, []);
    assert.ok(fs.readFileSync(picked!.fsPath).equals(content));
  });

  it('keeps a file that appears at the picked name during the download, and says so', async () => {
    const { lease } = memoryLease({ '/o': content });
    replace(window, 'withProgress', (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) =>
      task({ report: () => fs.existsSync(picked!.fsPath) || fs.writeFileSync(picked!.fsPath, 'the user\'s own') }, { onCancellationRequested: () => undefined }));
    assert.equal(await downloadOutput(lease, '/o', 'train-7.out'), undefined);
    assert.equal(fs.readFileSync(picked!.fsPath, 'utf8'), 'the user\'s own');
    assert.deepEqual(fs.readdirSync(dir), ['train-7.out']);
    assert.deepEqual(fake.shown, [{ kind: 'error', message: 'A file named “train-7.out” appeared while downloading. It was kept, and the download was not saved.' }]);
  });

  it('names a remote file that is not there, in Chinese too', async () => {
    fake.useBundle('zh-cn');
    await downloadOutput(memoryLease({}).lease, '/home/u/none.out', 'train-7.out');
    assert.deepEqual(fake.shown, [{ kind: 'error', message: '登录节点上没有 /home/u/none.out。' }]);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('refuses a folder that is not on this computer', async () => {
    picked = Uri.remote('/remote/train-7.out');
    const { lease, opened } = memoryLease({ '/o': content });
    assert.equal(await downloadOutput(lease, '/o', 'train-7.out'), undefined);
    assert.equal(fake.shown[0]?.kind, 'error');
    assert.deepEqual(opened, []);
  });
});
