import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import { describeTried, expandSlurmPatterns, JobFiles, JobStream, outputCandidates, shellQuote } from '../../src/ssh/paths';
import { shellQuote as submitShellQuote } from '../../src/submit/script';

const paths = (job: JobFiles, stream: JobStream, home?: string) => outputCandidates(job, stream, home).map((candidate) => candidate.path);

describe('the files that hold a job\'s output and errors', () => {
  const home = '/public/home/alice';
  const job: JobFiles = { jobId: 1472, name: 'train', runUser: 'alice', execCwd: '/public/home/alice/exp' };

  const cases: { title: string; job: JobFiles; stream: JobStream; home?: string; expected: string[] }[] = [
    {
      title: 'an absolute path is itself, normalised',
      job: { ...job, stdoutPath: '/public/home/alice/exp/../logs//train.out' }, stream: 'output', home,
      expected: ['/public/home/alice/logs/train.out'],
    },
    {
      title: 'a relative path: in the working directory, then from the home',
      job: { ...job, stdoutPath: 'logs/train.out' }, stream: 'output', home,
      expected: ['/public/home/alice/exp/logs/train.out', '/public/home/alice/logs/train.out'],
    },
    {
      title: 'a relative path and output_dir beside the working directory',
      job: { ...job, outputDir: '/scratch/alice/out', stdoutPath: 'train.out' }, stream: 'output', home,
      expected: ['/public/home/alice/exp/train.out', '/scratch/alice/out/train.out', '/public/home/alice/train.out'],
    },
    {
      title: 'a relative path without a working directory or a home: nothing to try',
      job: { jobId: 1, stdoutPath: 'train.out' }, stream: 'output',
      expected: [],
    },
    {
      title: 'a relative path without a working directory: from the home',
      job: { jobId: 1, stdoutPath: './logs/../train.out' }, stream: 'output', home,
      expected: ['/public/home/alice/train.out'],
    },
    {
      title: 'a path leaving the home with ..',
      job: { ...job, stdoutPath: '../../shared/train.out' }, stream: 'output', home,
      expected: ['/public/home/shared/train.out', '/public/shared/train.out'],
    },
    {
      title: 'a path from ~ is from the home',
      job: { ...job, stdoutPath: '~/logs/train.out' }, stream: 'output', home,
      expected: ['/public/home/alice/logs/train.out'],
    },
    {
      title: 'the API\'s paths from the storage\'s root, as its own example writes them',
      job: { jobId: 7, runUser: 'admin', execCwd: 'home/admin/output/C1', outputDir: 'home/admin/output/C1', stdoutPath: 'home/admin/output/C1/job-7.out' },
      stream: 'output', home: '/public/home/admin',
      expected: ['/public/home/admin/output/C1/job-7.out', '/public/home/admin/home/admin/output/C1/job-7.out'],
    },
    {
      title: 'the longest run of the home\'s last folders that begins the path, only',
      job: { stdoutPath: 'home/home/x.out' }, stream: 'output', home: '/data/home/home',
      expected: ['/data/home/home/x.out', '/data/home/home/home/home/x.out'],
    },
    {
      title: 'a relative working directory, and a file named inside it',
      job: { jobId: 7, execCwd: 'home/admin/run', stdoutPath: 'job-7.out' }, stream: 'output', home: '/home/admin',
      expected: ['/home/admin/run/job-7.out', '/home/admin/home/admin/run/job-7.out', '/home/admin/job-7.out'],
    },
    {
      title: 'no output path: the cluster\'s and Slurm\'s default names in the working directory, then the home',
      job, stream: 'output', home,
      expected: ['/public/home/alice/exp/job-1472.out', '/public/home/alice/exp/slurm-1472.out', '/public/home/alice/job-1472.out', '/public/home/alice/slurm-1472.out'],
    },
    {
      title: 'no output path and no job id: nothing to try',
      job: { ...job, jobId: undefined }, stream: 'output', home,
      expected: [],
    },
    {
      title: 'an error path of its own',
      job: { ...job, stdoutPath: 'train.out', stderrPath: '/public/home/alice/exp/train.err' }, stream: 'error', home,
      expected: ['/public/home/alice/exp/train.err'],
    },
    {
      title: 'no error path: the cluster\'s default error file, then the output file, which Slurm writes errors to',
      job: { ...job, stdoutPath: '/public/home/alice/exp/train.out' }, stream: 'error', home,
      expected: ['/public/home/alice/exp/job-1472.err', '/public/home/alice/job-1472.err', '/public/home/alice/exp/train.out'],
    },
    {
      title: 'no path at all: errors in the default error file, then in the default output files',
      job: { jobId: 9, execCwd: '/w' }, stream: 'error', home: '/h',
      expected: ['/w/job-9.err', '/h/job-9.err', '/w/job-9.out', '/w/slurm-9.out', '/h/job-9.out', '/h/slurm-9.out'],
    },
    {
      title: 'output and errors in one named file: the file once',
      job: { ...job, stdoutPath: '/w/all.log', stderrPath: '/w/all.log' }, stream: 'error', home,
      expected: ['/w/all.log'],
    },
    {
      title: 'a working directory that is the home: each path once',
      job: { ...job, execCwd: '/public/home/alice/', stdoutPath: 'train.out' }, stream: 'output', home: '/public/home/alice',
      expected: ['/public/home/alice/train.out'],
    },
    {
      title: 'empty and blank paths are no paths',
      job: { jobId: 3, execCwd: ' ', outputDir: '', stdoutPath: '  ' }, stream: 'output', home: '/h/',
      expected: ['/h/job-3.out', '/h/slurm-3.out'],
    },
    {
      title: 'a home that is not absolute is not used',
      job: { jobId: 3, stdoutPath: 'x.out' }, stream: 'output', home: 'h',
      expected: [],
    },
    {
      title: 'Slurm\'s patterns in the path are replaced',
      job: { ...job, stdoutPath: 'logs/%x-%u-%j.%%.out' }, stream: 'output', home,
      expected: ['/public/home/alice/exp/logs/train-alice-1472.%.out', '/public/home/alice/logs/train-alice-1472.%.out'],
    },
  ];

  for (const { title, job: files, stream, home: homeDir, expected } of cases) {
    it(title, () => {
      const found = paths(files, stream, homeDir);
      assert.deepEqual(found, expected);
      for (const path of found) {
        assert.ok(path.startsWith('/') && !path.includes('\\') && !/(^|\/)\.\.?(\/|$)/.test(path), path);
      }
    });
  }

  it('marks the output file among the error candidates, and says which patterns it cannot know', () => {
    assert.deepEqual(outputCandidates({ jobId: 5, stdoutPath: '/w/%N-%j.out' }, 'error', '/h'), [
      { path: '/h/job-5.err', unknownPatterns: [], mergedIntoOutput: false },
      { path: '/w/%N-5.out', unknownPatterns: ['%N'], mergedIntoOutput: true },
    ]);
    assert.deepEqual(outputCandidates({ jobId: 5, stderrPath: '/w/e.err' }, 'error', '/h'), [
      { path: '/w/e.err', unknownPatterns: [], mergedIntoOutput: false },
    ]);
  });
});

describe('Slurm\'s filename patterns', () => {
  const job = { jobId: 128, runUser: 'bob', name: 'md run' };
  const cases: [string, string, string[]][] = [
    ['job%j.out', 'job128.out', []],
    ['job%J.out', 'job128.out', []],
    ['job%4j.out', 'job0128.out', []],
    ['job%12j.out', 'job0000000128.out', []],
    ['%u/%x.out', 'bob/md run.out', []],
    ['job%2j-%2t-%n-%s.out', 'job128-00-0-batch.out', []],
    ['100%%.out', '100%.out', []],
    ['%%j', '%j', []],
    ['slurm-%A_%a.out', 'slurm-%A_%a.out', ['%A', '%a']],
    ['%N/%3a/%b-%N.out', '%N/%3a/%b-%N.out', ['%N', '%3a', '%b']],
    ['odd%q%5q%', 'odd%q5q', []],
    ['end%7', 'end7', []],
    ['no\\%j\\\\here', 'no%jhere', []],
    ['plain/path.out', 'plain/path.out', []],
  ];
  for (const [written, expanded, unknown] of cases) {
    it(`${written} → ${expanded}`, () => {
      assert.deepEqual(expandSlurmPatterns(written, job), { path: expanded, unknown });
    });
  }

  it('leaves a pattern whose value the job does not give', () => {
    assert.deepEqual(expandSlurmPatterns('%x-%u-%j.out', {}), { path: '%x-%u-%j.out', unknown: ['%x', '%u', '%j'] });
    assert.deepEqual(expandSlurmPatterns('%x.out', { name: ' ' }), { path: '%x.out', unknown: ['%x'] });
  });
});

describe('the paths a "nothing found" message names', () => {
  it('lists each path once, in the order tried', () => {
    assert.deepEqual(describeTried([{ path: '/a' }, { path: '/b' }, { path: '/a' }]), ['/a', '/b']);
    assert.deepEqual(describeTried(outputCandidates({ jobId: 2, execCwd: '/w' }, 'output', '/h')), ['/w/job-2.out', '/w/slurm-2.out', '/h/job-2.out', '/h/slurm-2.out']);
    assert.deepEqual(describeTried([]), []);
  });
});

describe('quoting a path for the login node\'s shell', () => {
  it('is the submit\'s own quoting, one word whatever the path holds', () => {
    assert.equal(shellQuote, submitShellQuote);
    for (const path of ['/h/it\'s here/$HOME/`id`/"q"/x;y', '-rf', '/h/ new\nline', '']) {
      assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(path)}`], { encoding: 'utf8' }), path);
    }
  });
});
