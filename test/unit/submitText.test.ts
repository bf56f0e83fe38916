// The submit confirmation as the user reads it: everything that is sent.
import './support/fakeVscode';
import * as assert from 'assert/strict';
import { JobSubmission } from '../../src/ehpc/types';
import { scriptSummary } from '../../src/submit/script';
import { submitConfirmation, submittedText, unknownOutcomeText } from '../../src/ui/submitText';

const submission: JobSubmission = { name: 'train', runUser: 'admin', cmdLine: "bash '/home/admin/.vscode-ehpc/train.sh'", coreLimit: 2 };
const SCRIPT = '#!/bin/bash\n#SBATCH -o train.out\nsrun ./train --epochs 10\n';

describe('the submit confirmation', () => {
  it('names the account when it is given (several accounts), and not otherwise', () => {
    assert.match(submitConfirmation({ account: 'Lab', clusterName: 'cfd' }, submission).detail, /^Account: Lab\nCluster: cfd\n/);
    assert.doesNotMatch(submitConfirmation({ clusterName: 'cfd' }, submission).detail, /Account/);
  });

  it('shows the output and error paths that are sent', () => {
    const { detail } = submitConfirmation({ clusterName: 'cfd' }, { ...submission, stdoutPath: '/home/admin/train-rerun-20260304-050607.out', stderrPath: '/home/admin/train.err' });
    assert.match(detail, /\nOutput file: \/home\/admin\/train-rerun-20260304-050607\.out\n/);
    assert.match(detail, /\nError file: \/home\/admin\/train\.err\n/);
  });

  it('shows what identifies the script\'s content: lines, size, digest and first line, and says when it changed since the form', () => {
    const script = { fileName: 'train.sh', target: '/home/admin/.vscode-ehpc/train.sh', text: SCRIPT };
    const { lines, bytes, digest } = scriptSummary(SCRIPT);
    assert.deepEqual([lines, bytes, digest.length], [3, SCRIPT.length, 12]);
    const { detail } = submitConfirmation({ clusterName: 'cfd' }, submission, script);
    assert.match(detail, new RegExp(`\\nContent: 3 lines, ${bytes} bytes, SHA-256 ${digest}\\n`));
    assert.match(detail, /\nFirst line: #!\/bin\/bash\n/);
    assert.doesNotMatch(detail, /changed/);
    assert.match(submitConfirmation({ clusterName: 'cfd' }, submission, { ...script, changedSinceForm: true }).detail, /train\.sh changed after the form was filled in from it/);
    assert.notEqual(scriptSummary(SCRIPT.replace('10', '1000')).digest, digest);
  });
});

describe('what the user is told after a lost answer', () => {
  const job = { account: 'A', zone: 'jn1a', clusterId: 'ehpc-1', hpcjobUuid: 'hpcjob-new', name: 'train', status: 'pending' as const, submittedTime: '2026-03-04T05:06:09' };

  it('words one job found as likely, with the time it was submitted', () => {
    assert.equal(
      unknownOutcomeText('train', 'cfd', [job], true),
      'The answer to submitting job "train" was lost, but cfd lists a job of that name submitted at 05:06:09 (hpcjob-new), not listed before: most likely this one. Watching it.',
    );
  });

  it('says when the job found has already ended, and in what state, rather than that it is watched', () => {
    assert.equal(
      unknownOutcomeText('train', 'cfd', [{ ...job, status: 'exited' }], true),
      'The answer to submitting job "train" was lost, but cfd lists a job of that name submitted at 05:06:09 (hpcjob-new), not listed before: most likely this one. It has already ended: exited.',
    );
    assert.equal(
      unknownOutcomeText('train', 'cfd', [{ ...job, status: 'finished', submittedTime: undefined }], true),
      'The answer to submitting job "train" was lost, but cfd lists a new job of that name (hpcjob-new): most likely this one. It has already ended: finished.',
    );
  });

  it('says how many of several jobs found have already ended', () => {
    const two = [job, { ...job, hpcjobUuid: 'hpcjob-b', status: 'finished' as const }];
    assert.equal(
      unknownOutcomeText('train', 'cfd', two, true),
      'The answer to submitting job "train" was lost, and cfd lists 2 new jobs of that name (hpcjob-new, hpcjob-b): one of them is most likely this one. 1 of them already ended; the others are watched.',
    );
    assert.match(unknownOutcomeText('train', 'cfd', two.map((j) => ({ ...j, status: 'cancelled' as const })), true), /one of them is most likely this one\. They have all ended already\.$/);
    assert.match(unknownOutcomeText('train', 'cfd', [job, job], true), /Watching them\.$/);
  });

  it('offers a job found only as possibly this one when the jobs of that name could not be listed before the submit', () => {
    const text = unknownOutcomeText('train', 'cfd', [job], false);
    assert.doesNotMatch(text, /not listed before|most likely|Watching/);
    assert.match(text, /could not be listed before it was sent/);
    assert.match(text, new RegExp(`possibly this one: ${job.hpcjobUuid} \\(submitted at 05:06:09\\)`));
  });

  it('asks to check again when the look-up failed', () => {
    assert.match(unknownOutcomeText('train', 'cfd', undefined, true), /Check again/);
  });

  it('never turns a job name, cluster name or job id into a link', () => {
    const linked = (text: string) => `${text} [here](command:workbench.action.terminal.sendSequence)`;
    const odd = { ...job, hpcjobUuid: linked('hpcjob-new') };
    const texts = [
      unknownOutcomeText(linked('train'), linked('cfd'), [odd], true),
      unknownOutcomeText(linked('train'), linked('cfd'), [{ ...odd, status: 'exited' }], true),
      unknownOutcomeText(linked('train'), linked('cfd'), [odd], false),
      unknownOutcomeText(linked('train'), linked('cfd'), [odd, odd], true),
      unknownOutcomeText(linked('train'), linked('cfd'), [], true),
      unknownOutcomeText(linked('train'), linked('cfd'), undefined, true),
      submittedText(linked('train'), linked('cfd'), true),
      submittedText(linked('train'), linked('cfd'), false),
    ];
    for (const text of texts) {
      assert.doesNotMatch(text, /\]\s*\(/u, text);
      assert.match(text, /train \[here\]/u, 'the name is still there');
    }
    assert.equal(submittedText('train', 'cfd', true), 'Job "train" submitted to cfd. Watching it until it ends.');
    assert.equal(submittedText('train', 'cfd', false), 'Job "train" submitted to cfd.');
  });
});
