import * as assert from 'assert/strict';
import { carriedRedirects, rerunPath } from '../../src/submit/redirects';

const now = new Date('2026-03-04T05:06:07Z');

describe('the output paths of a resubmitted job', () => {
  it('leaves out the server\'s defaults, which name the earlier job: the new job gets its own', () => {
    const detail = { jobId: 1472, stdoutPath: '/public/home/admin/job-1472.out', stderrPath: '/public/home/admin/job-1472/slurm-1472.err' };
    assert.deepEqual(carriedRedirects(detail, now), {});
  });

  it('keeps a path the user chose, under a new name, so that the rerun never writes over the earlier output', () => {
    const detail = { jobId: 1472, stdoutPath: '/public/home/admin/train.out', stderrPath: '/public/home/admin/logs/train' };
    assert.deepEqual(carriedRedirects(detail, now), {
      stdoutPath: '/public/home/admin/train-rerun-20260304-050607.out',
      stderrPath: '/public/home/admin/logs/train-rerun-20260304-050607',
    });
  });

  it('sends nothing for a path the job does not have', () => {
    assert.deepEqual(carriedRedirects({ jobId: 7, stdoutPath: undefined, stderrPath: '' }, now), {});
  });

  it('replaces an earlier rerun\'s stamp rather than adding another', () => {
    assert.equal(rerunPath('/h/a/train-rerun-20260101-000000.out', now), '/h/a/train-rerun-20260304-050607.out');
    assert.equal(rerunPath('/h/a/.out', now), '/h/a/.out-rerun-20260304-050607');
    assert.equal(rerunPath('/h/a.d/log', now), '/h/a.d/log-rerun-20260304-050607');
  });
});
