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

  it('keeps a chosen path whose name merely contains the earlier job\'s id', () => {
    const stamp = '-rerun-20260304-050607';
    const cases: [string, number, string][] = [
      ['/public/home/u/results/v2.log', 2, `/public/home/u/results/v2${stamp}.log`],
      ['/public/home/u/exp-7/run7.out', 7, `/public/home/u/exp-7/run7${stamp}.out`],
      ['/public/home/u/job-1472/train.out', 1472, `/public/home/u/job-1472/train${stamp}.out`],
      ['/public/home/u/job-14720.out', 1472, `/public/home/u/job-14720${stamp}.out`],
      ['/public/home/u/my-job-1472.out', 1472, `/public/home/u/my-job-1472${stamp}.out`],
      ['/public/home/u/slurm-1472.log', 1472, `/public/home/u/slurm-1472${stamp}.log`],
    ];
    for (const [path, jobId, renamed] of cases) {
      assert.deepEqual(carriedRedirects({ jobId, stdoutPath: path }, now), { stdoutPath: renamed }, path);
    }
  });

  it('recognises the default names exactly, in any folder', () => {
    for (const path of ['/public/home/u/job-7.out', '/public/home/u/job-7.err', '/public/home/u/exp/slurm-7.out', 'slurm-7.err']) {
      assert.deepEqual(carriedRedirects({ jobId: 7, stdoutPath: path, stderrPath: path }, now), {}, path);
    }
    // Without the earlier job's id no path is taken for a default.
    assert.deepEqual(carriedRedirects({ stdoutPath: '/public/home/u/job-7.out' }, now), { stdoutPath: `/public/home/u/job-7-rerun-20260304-050607.out` });
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
