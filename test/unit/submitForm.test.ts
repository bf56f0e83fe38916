import * as assert from 'assert/strict';
import { SubmitForm, toSubmission, validateForm } from '../../src/submit/form';
import { MAX_SCRIPT_BYTES } from '../../src/submit/script';

const base: SubmitForm = {
  clusterKey: 'jn1a/ehpc-1',
  runUser: 'alice',
  name: 'lammps',
  cores: 4,
  run: { kind: 'command', command: 'srun lmp -in in.lj' },
};

describe('the submit form', () => {
  it('finds no problem with complete values', () => {
    assert.deepEqual(validateForm(base), []);
    assert.deepEqual(validateForm({ ...base, memLimitMb: 4096, timeLimitMinutes: 60, queueId: 'ehpcq-1', run: { kind: 'script', text: '#!/bin/bash\necho hi\n' } }), []);
  });

  it('takes a job name of at most 128 characters', () => {
    assert.deepEqual(validateForm({ ...base, name: 'x'.repeat(128) }), []);
    assert.deepEqual(validateForm({ ...base, name: 'x'.repeat(129) }), [{ field: 'name', problem: 'tooLarge' }]);
    assert.deepEqual(validateForm({ ...base, name: 'x'.repeat(5000) }), [{ field: 'name', problem: 'tooLarge' }]);
  });

  it('names each field with a problem, and the problem', () => {
    const problems = validateForm({
      clusterKey: '', runUser: ' ', name: 'a\nb', cores: 0, memLimitMb: 1.5, timeLimitMinutes: -1, stdoutPath: '',
      run: { kind: 'command', command: '  ' },
    });
    assert.deepEqual(problems, [
      { field: 'clusterKey', problem: 'required' },
      { field: 'runUser', problem: 'required' },
      { field: 'name', problem: 'controlCharacter' },
      { field: 'cores', problem: 'notPositiveInteger' },
      { field: 'memLimitMb', problem: 'notPositiveInteger' },
      { field: 'timeLimitMinutes', problem: 'notPositiveInteger' },
      { field: 'stdoutPath', problem: 'required' },
      { field: 'command', problem: 'required' },
    ]);
  });

  it('refuses more cores than any cluster has, and a script that cannot be sent', () => {
    assert.deepEqual(validateForm({ ...base, cores: 100_001 }), [{ field: 'cores', problem: 'tooLarge' }]);
    assert.deepEqual(validateForm({ ...base, run: { kind: 'script', text: '' } }), [{ field: 'script', problem: 'empty' }]);
    assert.deepEqual(validateForm({ ...base, run: { kind: 'script', text: 'x'.repeat(MAX_SCRIPT_BYTES + 1) } }), [{ field: 'script', problem: 'tooLarge' }]);
  });

  it('makes a submission of a command, leaving out the fields not filled in', () => {
    assert.deepEqual(toSubmission({ ...base, name: ' lammps ', queueId: '' }), {
      name: 'lammps', runUser: 'alice', cmdLine: 'srun lmp -in in.lj', coreLimit: 4,
    });
  });

  it('makes a submission that runs a script where it was written, with every limit', () => {
    const values: SubmitForm = { ...base, queueId: 'ehpcq-1', memLimitMb: 2048, timeLimitMinutes: 90, stdoutPath: 'o.txt', stderrPath: 'e.txt', run: { kind: 'script', text: 'echo hi\n' } };
    assert.deepEqual(toSubmission(values, "/home/o'brien/.vscode-ehpc/a.sh"), {
      name: 'lammps', runUser: 'alice', cmdLine: "bash '/home/o'\\''brien/.vscode-ehpc/a.sh'", queueId: 'ehpcq-1', coreLimit: 4,
      memLimitMb: 2048, timeLimitMinutes: 90, stdoutPath: 'o.txt', stderrPath: 'e.txt',
    });
  });

  it('makes no submission of values with a problem, nor of a script without its path', () => {
    assert.throws(() => toSubmission({ ...base, cores: 0 }), /cores notPositiveInteger/);
    assert.throws(() => toSubmission({ ...base, run: { kind: 'script', text: 'echo hi' } }), /target path/);
  });
});
