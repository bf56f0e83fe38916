// The job detail document: human labels, statuses and reasons in words, times and durations
// readable, empty fields left out, paths as code, unknown fields last under their API names.
import { useBundle } from './support/fakeVscode';
import * as assert from 'assert/strict';
import { jobDetailText, sortFields } from '../../src/ui/jobDetailText';
import { readableTime } from '../../src/text/times';
import { detailWords, renderJobDetail, renderJobDetailPage } from '../../src/ui/jobDetailWords';
import { withoutIcons } from '../../src/text/punctuation';

const title = { name: 'from the tree', hpcjobUuid: 'hpcjob-abc123' };

describe('the text of a job detail document', () => {
  afterEach(() => useBundle('en'));

  it('heads it with the job name and hpcjob_uuid, then labels every field in words, leaving out empty ones', () => {
    useBundle('en');
    const text = renderJobDetail(
      {
        hpcjob_uuid: 'hpcjob-abc123', job_name: 'lammps/npt-300K', job_status: 'exited', reason: 'NonZeroExitCode', pend_reason: '',
        core_limit: 64, end_time: null, run_time: '30429', submitted_time: '2026-06-30T08:18:05', started_time: '2026-06-30T00:20:00Z',
        stderr_redirect_path: '/home/u/job.err', priority: 3,
      },
      title,
    );
    const lines = text.split('\n');
    assert.equal(lines[0], '# lammps/npt-300K (hpcjob-abc123)');
    for (const line of [
      '- Job ID: hpcjob-abc123', '- Status: exited', '- Reason: non-zero exit code (NonZeroExitCode)', '- Cores: 64',
      '- Run time: 8 h 27 min', '- Submitted: 2026-06-30 08:18 (server time)', '- Error file: `/home/u/job.err`', '## Other fields', '- priority: 3',
    ]) {
      assert.ok(lines.includes(line), `${line} missing from:\n${text}`);
    }
    assert.match(text, /^- Started: 2026-06-30 \d\d:20 \(UTC[+-]\d+(:\d\d)?\)$/m, 'a time with a zone, in local time with its offset');
    assert.doesNotMatch(text, /pend_reason|Pending reason|end_time|Ended|null|job_status|_time/, text);
    assert.ok(text.endsWith('\n'));
  });

  it('reads times with a zone in local time, and leaves the zone unsaid when the server did not say it', () => {
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Shanghai';
      assert.deepEqual(readableTime('2026-06-30T00:18:05Z'), { time: '2026-06-30 08:18', zone: 'UTC+8' });
      assert.deepEqual(readableTime('2026-06-30 08:18:05'), { time: '2026-06-30 08:18' });
      process.env.TZ = 'Asia/Kolkata';
      assert.deepEqual(readableTime('2026-06-30T00:00:00+00:00'), { time: '2026-06-30 05:30', zone: 'UTC+5:30' });
      assert.equal(readableTime('soon'), undefined);
    } finally {
      process.env.TZ = tz;
      if (tz === undefined) {
        delete process.env.TZ;
      }
    }
  });

  it('orders identity, status, times, paths, the command line, then the rest by name, groups apart', () => {
    const detail = {
      zz_extra: 1, cmd_line: 'srun x', stdout_redirect_path: '/o', modified_time: 't4', submitted_time: 't1',
      end_time: 't3', started_time: 't2', pend_reason: 'Priority', job_status: 'pending', cluster_id: 'ehpc-1',
      hpcjob_uuid: 'hpcjob-abc123', job_name: 'n', exec_cwd: '/w', a_extra: true, priority_time: 't9', job_id: 7,
    };
    assert.deepEqual(sortFields(Object.keys(detail)), [
      'job_name', 'hpcjob_uuid', 'job_id', 'cluster_id',
      'job_status', 'pend_reason',
      'submitted_time', 'started_time', 'end_time', 'modified_time', 'priority_time',
      'exec_cwd', 'stdout_redirect_path',
      'cmd_line',
      'a_extra', 'zz_extra',
    ]);
    const blocks = renderJobDetail(detail, title).trimEnd().split('\n\n');
    assert.equal(blocks[2], '- Status: pending\n- Pending reason: Priority');
    assert.equal(blocks.at(-1), '- priority_time: t9\n- a_extra: true\n- zz_extra: 1');
  });

  it('puts a value of several lines in a fence that its own backticks cannot close', () => {
    const script = '#!/bin/bash\necho ```done```\nsrun ./a.out';
    const text = renderJobDetail({ cmd_line: script }, title);
    assert.ok(text.includes('- Command line:\n  ````\n  #!/bin/bash\n  echo ```done```\n  srun ./a.out\n  ````\n'), text);
  });

  it('shows objects as JSON and falls back to the tree\'s name; a heading stays one line', () => {
    const text = jobDetailText({ job_name: '', resources: { nodes: 2 }, tags: [] }, title, detailWords);
    assert.ok(text.startsWith('# from the tree (hpcjob-abc123)\n'));
    assert.ok(!text.includes('tags'), 'an empty list is shown');
    assert.ok(text.includes('- resources:\n  ```\n  {\n    "nodes": 2\n  }\n  ```\n'), text);
    assert.ok(renderJobDetail({ job_name: 'two\nlines' }, title).startsWith('# two lines (hpcjob-abc123)\n'));
  });

  it('says on which line each file\'s path stands, and the path exactly as sent, whatever it holds', () => {
    const odd = ' /home/u/`$(rm -rf ~)` out.log';
    const page = renderJobDetailPage({ job_name: '$(alert) run', job_status: 'Exited', stdout_redirect_path: odd, stderr_redirect_path: '/home/u/a\nb.err', exec_cwd: '/home/u' }, title);
    const lines = page.text.split('\n');
    assert.equal(page.paths.output?.path, odd);
    assert.equal(lines[page.paths.output.line], `- Output file: ${odd}`, 'a path with a backquote is no code');
    assert.equal(page.paths.error?.path, '/home/u/a\nb.err');
    assert.equal(lines[page.paths.error.line], '- Error file:', 'a path of two lines: the line of its label');
    assert.equal(page.name, '$(alert) run');
    assert.equal(page.ended, true);
    assert.equal(withoutIcons(page.name), '\\$(alert) run', 'an icon name from the server is shown as text');
  });

  it('says nothing of files the job has none of, and that a live job has not ended', () => {
    const page = renderJobDetailPage({ job_status: 'running', stdout_redirect_path: '/o', stderr_redirect_path: '', output_dir: '/d' }, title);
    assert.deepEqual(page.paths, { output: { line: page.text.split('\n').indexOf('- Output file: `/o`'), path: '/o' } });
    assert.equal(page.ended, false);
    assert.equal(renderJobDetailPage({}, title).ended, false);
    // A status the client would not read as ended is not offered Resubmit... either.
    assert.equal(renderJobDetailPage({ job_status: ' finished ' }, title).ended, false);
    assert.equal(renderJobDetailPage({ job_status: 'Finished' }, title).ended, true);
  });

  it('speaks Chinese', () => {
    useBundle('zh-cn');
    const text = renderJobDetail({ job_status: 'finished', run_time: 65, stdout_redirect_path: '/o' }, title);
    assert.match(text, /^- 状态：已完成$/m);
    assert.match(text, /^- 运行时长：1 分 5 秒$/m);
    assert.match(text, /^- 输出文件：`\/o`$/m);
  });
});
