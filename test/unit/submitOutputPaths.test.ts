// Where a submitted job's output and error go: beside its uploaded script unless the script
// names its own files; a command line, and a rerun, as before. Shown in the confirmation.
import './support/fakeVscode';
import * as assert from 'assert/strict';
import { JobSubmission } from '../../src/ehpc/types';
import { SubmitForm, toSubmission } from '../../src/submit/form';
import { besideScript, carriedRedirects } from '../../src/submit/redirects';
import { parseSbatch } from '../../src/submit/sbatch';
import { uploadTarget } from '../../src/submit/script';
import { submitConfirmation } from '../../src/ui/submitText';

const now = new Date('2026-03-04T05:06:07Z');
const HOME = '/public/home/admin';
const TARGET = `${HOME}/.vscode-ehpc/train-20260304-050607-k3x9q2.sh`;
const OUT = `${HOME}/.vscode-ehpc/train-20260304-050607-k3x9q2.out`;
const ERR = `${HOME}/.vscode-ehpc/train-20260304-050607-k3x9q2.err`;

const base: Omit<SubmitForm, 'run'> = { clusterKey: 'jn1a/ehpc-1', runUser: 'admin', name: 'train', cores: 1 };

/** What the command and the chat tool send for a script: its #SBATCH -o/-e fill in the form's paths. */
function scriptSubmission(text: string, target = TARGET): JobSubmission {
  const { output, error } = parseSbatch(text);
  return toSubmission({ ...base, stdoutPath: output, stderrPath: error, run: { kind: 'script', text } }, target);
}

const paths = (submission: JobSubmission) => ({ stdoutPath: submission.stdoutPath, stderrPath: submission.stderrPath });

describe('the output and error paths of a submitted job', () => {
  const cases: { name: string; script: string; expected: { stdoutPath?: string; stderrPath?: string } }[] = [
    { name: 'no #SBATCH line', script: '#!/bin/bash\nhostname\n', expected: { stdoutPath: OUT, stderrPath: ERR } },
    { name: '#SBATCH lines that name neither', script: '#!/bin/bash\n#SBATCH -J train -n 2\nhostname\n', expected: { stdoutPath: OUT, stderrPath: ERR } },
    { name: '-o only', script: '#!/bin/bash\n#SBATCH -o train-%j.out\nhostname\n', expected: { stdoutPath: 'train-%j.out', stderrPath: ERR } },
    { name: '--error= only', script: '#!/bin/bash\n#SBATCH --error=/scratch/admin/train.err\nhostname\n', expected: { stdoutPath: OUT, stderrPath: '/scratch/admin/train.err' } },
    { name: 'both', script: '#!/bin/bash\n#SBATCH --output /w/o.log\n#SBATCH -e /w/e.log\nhostname\n', expected: { stdoutPath: '/w/o.log', stderrPath: '/w/e.log' } },
    { name: 'a directive after the first command (not read, as sbatch does)', script: '#!/bin/bash\nhostname\n#SBATCH -o late.out\n', expected: { stdoutPath: OUT, stderrPath: ERR } },
  ];
  for (const { name, script, expected } of cases) {
    it(`of a script with ${name}`, () => {
      assert.deepEqual(paths(scriptSubmission(script)), expected);
    });
  }

  it('of a command line: only the paths named, none of its own', () => {
    const command = { ...base, run: { kind: 'command', command: 'hostname' } } as const;
    assert.deepEqual(paths(toSubmission(command)), { stdoutPath: undefined, stderrPath: undefined });
    assert.deepEqual(paths(toSubmission({ ...command, stdoutPath: '/w/o.log' })), { stdoutPath: '/w/o.log', stderrPath: undefined });
  });

  it('of a rerun: the earlier run\'s own paths renamed, the server\'s defaults left out (as before)', () => {
    const rerun = (detail: Parameters<typeof carriedRedirects>[0]) =>
      paths(toSubmission({ ...base, ...carriedRedirects(detail, now), run: { kind: 'command', command: `bash '${TARGET}'` } }));
    assert.deepEqual(rerun({ jobId: 7, stdoutPath: OUT, stderrPath: ERR }), {
      stdoutPath: `${HOME}/.vscode-ehpc/train-20260304-050607-k3x9q2-rerun-20260304-050607.out`,
      stderrPath: `${HOME}/.vscode-ehpc/train-20260304-050607-k3x9q2-rerun-20260304-050607.err`,
    });
    assert.deepEqual(rerun({ jobId: 7, stdoutPath: `${HOME}/job-7.out`, stderrPath: `${HOME}/job-7.err` }), { stdoutPath: undefined, stderrPath: undefined });
  });

  it('are absolute and beside the uploaded script, named after it', () => {
    assert.deepEqual(besideScript(TARGET), { stdoutPath: OUT, stderrPath: ERR });
    assert.deepEqual(besideScript('/h/.vscode-ehpc/a.b-1.sh'), { stdoutPath: '/h/.vscode-ehpc/a.b-1.out', stderrPath: '/h/.vscode-ehpc/a.b-1.err' });
    // A name without an extension (or only a leading dot) keeps all of it.
    assert.deepEqual(besideScript('/h/x.d/run'), { stdoutPath: '/h/x.d/run.out', stderrPath: '/h/x.d/run.err' });
  });

  it('differ for two submits of the same script in the same second', () => {
    const script = '#!/bin/bash\nhostname\n';
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { stdoutPath, stderrPath } = scriptSubmission(script, uploadTarget(HOME, 'train', now, Math.random));
      assert.ok(stdoutPath?.startsWith(`${HOME}/.vscode-ehpc/train-20260304-050607-`), stdoutPath);
      for (const path of [stdoutPath!, stderrPath!]) {
        assert.ok(!seen.has(path), `${path} named twice`);
        seen.add(path);
      }
    }
  });
});

describe('the confirmation of a script submit', () => {
  const confirmed = (text: string) =>
    submitConfirmation({ clusterName: 'cfd' }, scriptSubmission(text), { fileName: 'train.sh', target: TARGET, text }).detail;

  it('shows both files beside the uploaded script when the script names neither', () => {
    const detail = confirmed('#!/bin/bash\nhostname\n');
    assert.ok(detail.includes(`\nOutput file: ${OUT}\n`), detail);
    assert.ok(detail.includes(`\nError file: ${ERR}\n`), detail);
  });

  it('shows the script\'s own file where it names one, and the other beside the script', () => {
    const detail = confirmed('#!/bin/bash\n#SBATCH -o train-%j.out\nhostname\n');
    assert.ok(detail.includes('\nOutput file: train-%j.out\n'), detail);
    assert.ok(detail.includes(`\nError file: ${ERR}\n`), detail);
  });
});
