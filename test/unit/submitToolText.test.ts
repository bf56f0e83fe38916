// What the chat tool tells the model after a submit whose answer was lost.
import './support/fakeVscode';
import * as assert from 'assert/strict';
import { EhpcError } from '../../src/ehpc/errors';
import { Job } from '../../src/ehpc/types';
import { foundText } from '../../src/tools/submitJob';

const lost = new EhpcError('timeout', 'The request timed out.');
const job: Job = { account: 'A', zone: 'jn1a', clusterId: 'ehpc-1', hpcjobUuid: 'hpcjob-new', name: 'quick-check', status: 'pending', submittedTime: '2026-03-04T05:06:09' };

describe('the chat tool after a lost submit answer', () => {
  it('says a job found is most likely the one sent, and watched', () => {
    assert.match(foundText([job], lost, '"quick-check"', 'cfd', true), /^Most likely submitted: .*: hpcjob-new \(submitted 2026-03-04T05:06:09\)\. Do not submit it again; the extension watches it\.$/);
  });

  it('says a job found that has already ended is most likely the one sent, and its state', () => {
    const text = foundText([{ ...job, status: 'exited' }], lost, '"quick-check"', 'cfd', true);
    assert.match(text, /^Most likely submitted: .*: hpcjob-new \(submitted 2026-03-04T05:06:09, already ended: exited\)\. Do not submit it again; it has already ended; read it with ehpc_getJob\.$/);
    assert.doesNotMatch(text, /Probably not/);
  });

  it('says which of several are watched', () => {
    assert.match(foundText([job, { ...job, hpcjobUuid: 'hpcjob-b', status: 'finished' }], lost, '"quick-check"', 'cfd', true), /lists 2 jobs .*hpcjob-b \(submitted .*, already ended: finished\)\. Do not submit it again; the extension watches those not ended\.$/);
  });

  it('does not tell the model the job was submitted when the jobs of that name could not be listed before the submit', () => {
    const text = foundText([job], lost, '"quick-check"', 'cfd', false);
    assert.doesNotMatch(text, /Do not submit|Most likely|watches/);
    assert.match(text, /^Unknown: .*could not be listed before the submit.*hpcjob-new \(submitted 2026-03-04T05:06:09\)\. They are not watched\. Ask the user/);
  });

  it('says probably not submitted only when none was found', () => {
    assert.match(foundText([], lost, '"quick-check"', 'cfd', true), /^Probably not submitted: /);
  });
});
