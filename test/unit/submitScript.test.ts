import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import { checkScript, commandFor, hasUploadHome, isShellScript, MAX_SCRIPT_BYTES, safeName, shellQuote, uploadTarget } from '../../src/submit/script';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A script of exactly `size` bytes: a shebang, then comment filler. */
function scriptOfSize(size: number): Uint8Array {
  const head = '#!/bin/bash\n#';
  return utf8(head + 'x'.repeat(size - head.length));
}

describe('checking a script before it is sent', () => {
  it('takes a UTF-8 script and gives its text', () => {
    const check = checkScript(utf8('#!/bin/bash\necho 你好\n'));
    assert.deepEqual(check, { ok: true, text: '#!/bin/bash\necho 你好\n', lineEndsConverted: false });
  });

  it('takes a script of exactly MAX_SCRIPT_BYTES and refuses one byte more', () => {
    assert.equal(MAX_SCRIPT_BYTES, 512 * 1024);
    const atLimit = scriptOfSize(MAX_SCRIPT_BYTES);
    assert.equal(atLimit.length, MAX_SCRIPT_BYTES);
    assert.equal(checkScript(atLimit).ok, true);
    assert.deepEqual(checkScript(scriptOfSize(MAX_SCRIPT_BYTES + 1)), { ok: false, reason: 'tooLarge' });
  });

  it('refuses an empty script and one of only white space', () => {
    assert.deepEqual(checkScript(new Uint8Array(0)), { ok: false, reason: 'empty' });
    assert.deepEqual(checkScript(utf8(' \n\t\r\n')), { ok: false, reason: 'empty' });
  });

  it('refuses a NUL byte as binary, wherever it is', () => {
    assert.deepEqual(checkScript(utf8('#!/bin/bash\necho a\0b\n')), { ok: false, reason: 'binary' });
    assert.deepEqual(checkScript(new Uint8Array([0])), { ok: false, reason: 'binary' });
  });

  it('refuses bytes that are not UTF-8', () => {
    // GBK 你好, a truncated sequence, and an overlong encoding of '/'.
    for (const bytes of [[0x65, 0x63, 0x68, 0x6f, 0x20, 0xc4, 0xe3, 0xba, 0xc3], [0x61, 0xe4, 0xbd], [0xc0, 0xaf]]) {
      assert.deepEqual(checkScript(new Uint8Array(bytes)), { ok: false, reason: 'notUtf8' }, bytes.join(' '));
    }
  });

  it('turns CRLF line ends into LF and says so, and drops a byte order mark', () => {
    assert.deepEqual(checkScript(utf8('\uFEFF#!/bin/bash\r\necho hi\r\n')), {
      ok: true, text: '#!/bin/bash\necho hi\n', lineEndsConverted: true,
    });
  });
});

describe('which files are shell scripts', () => {
  it('knows them by name when they have no #! line', () => {
    for (const name of ['run.sh', 'job.slurm', 'job.sbatch', 'RUN.SH', '/home/a/x.y.sh']) {
      assert.equal(isShellScript(name, 'echo hi'), true, name);
    }
    for (const name of ['run.py', 'notes.txt', 'sh', 'run.sh.bak', 'Makefile']) {
      assert.equal(isShellScript(name, 'echo hi'), false, name);
    }
  });

  it('knows them by a #! line naming a shell bash runs alike, whatever the name', () => {
    for (const line of ['#!/bin/bash', '#!/bin/sh', '#! /bin/bash -l', '#!/usr/bin/env bash', '#!/usr/bin/env -S bash -e', '\uFEFF#!/bin/dash']) {
      assert.equal(isShellScript('untitled', line), true, line);
    }
  });

  it('takes a script whose #! line names another interpreter: it runs with that interpreter', () => {
    for (const line of ['#!/usr/bin/env python3', '#!/usr/bin/perl']) {
      assert.equal(isShellScript('untitled', line), true, line);
    }
  });
});

describe('where a script is written on the cluster', () => {
  const now = new Date('2026-03-04T05:06:07.890Z');

  it('is a new file under the home directory, named after the job and the UTC time', () => {
    assert.equal(uploadTarget('/home/alice', 'lammps-npt', now, () => 0), '/home/alice/.vscode-ehpc/lammps-npt-20260304-050607-000000.sh');
    assert.equal(uploadTarget('/home/alice/', 'a', now, () => 1 - 2 ** -53), '/home/alice/.vscode-ehpc/a-20260304-050607-zzzzzz.sh');
  });

  it('is refused without a home directory given as a full path: never relative, never a literal ~', () => {
    for (const home of [undefined, '', 'home/alice', '~', '~alice', './alice']) {
      assert.equal(hasUploadHome(home), false, JSON.stringify(home));
      assert.throws(() => uploadTarget(home, 'a', now, () => 0), RangeError, JSON.stringify(home));
    }
    assert.equal(hasUploadHome('/public/home/alice'), true);
  });

  it('is never the same path for different random draws', function () {
    this.timeout(20_000);
    const paths = new Set<string>();
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      paths.add(uploadTarget('/home/alice', 'same', now, () => i / draws));
    }
    assert.equal(paths.size, draws);
    for (const path of paths) {
      assert.match(path, /^\/home\/alice\/\.vscode-ehpc\/same-20260304-050607-[0-9a-z]{6}\.sh$/);
    }
  });

  it('refuses a random source outside [0, 1)', () => {
    for (const bad of [1, -0.1, NaN]) {
      assert.throws(() => uploadTarget('/h', 'a', now, () => bad), RangeError, String(bad));
    }
  });

  it('names the file with only safe characters of the job name, at most 40 of them', () => {
    assert.equal(safeName('lammps npt/300K; rm -rf ~'), 'lammpsnpt300Krm-rf');
    assert.equal(safeName('分子动力学'), 'job');
    assert.equal(safeName('分子动力学-run_2.v1'), 'run_2.v1');
    assert.equal(safeName('../..'), 'job');
    assert.equal(safeName('a'.repeat(100)), 'a'.repeat(40));
    assert.equal(safeName(''), 'job');
    assert.equal(uploadTarget('/h', '模拟', now, () => 0), '/h/.vscode-ehpc/job-20260304-050607-000000.sh');
  });
});

describe('the command that runs an uploaded script', () => {
  it('is bash with the path in single quotes', () => {
    assert.equal(commandFor('/home/alice/.vscode-ehpc/a.sh'), "bash '/home/alice/.vscode-ehpc/a.sh'");
  });

  it('runs a script with its own #! interpreter when bash cannot stand in for it', () => {
    assert.equal(commandFor('/h/a.py', '#!/usr/bin/env python3\nprint(1)\n'), "'/usr/bin/env' 'python3' '/h/a.py'");
    assert.equal(commandFor('/h/a.pl', '\uFEFF#! /usr/bin/perl -w\n'), "'/usr/bin/perl' '-w' '/h/a.pl'");
    for (const text of ['#!/bin/bash -l\n', '#!/usr/bin/env -S bash -e\n', '#!/bin/sh\n', 'echo no shebang\n', '#!\n']) {
      assert.equal(commandFor('/h/a.sh', text), "bash '/h/a.sh'", text);
    }
  });

  it('quotes a path holding a single quote and other shell characters', () => {
    assert.equal(commandFor("/home/o'brien/x.sh"), "bash '/home/o'\\''brien/x.sh'");
    assert.equal(shellQuote("it's $HOME `x` \"y\""), "'it'\\''s $HOME `x` \"y\"'");
  });

  it('makes a path starting with a dash plainly a path', () => {
    assert.equal(commandFor('-x.sh'), "bash './-x.sh'");
  });

  it('gives back exactly the path when a shell reads the quoted word', function () {
    if (process.platform === 'win32') {
      this.skip();
    }
    // Starts a shell per path: room for a busy machine.
    this.timeout(20_000);
    for (const path of ["/home/o'brien/x.sh", "a''b", "'", 'a b\n$(rm -rf /)', '"\\']) {
      const echoed = execFileSync('sh', ['-c', `printf %s ${shellQuote(path)}`], { encoding: 'utf8' });
      assert.equal(echoed, path);
    }
  });
});
