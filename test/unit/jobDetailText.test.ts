import * as assert from 'assert/strict';
import { jobDetailText, sortFields } from '../../src/ui/jobDetailText';

const title = { name: 'from the tree', hpcjobUuid: 'hpcjob-abc123' };

describe('the text of a job detail document', () => {
  it('heads it with the job name and hpcjob_uuid, then shows every field as sent', () => {
    const text = jobDetailText(
      { hpcjob_uuid: 'hpcjob-abc123', job_name: 'lammps/npt-300K', job_status: 'running', core_limit: 64, end_time: null, run_time: '120' },
      title,
    );
    const lines = text.split('\n');
    assert.equal(lines[0], '# lammps/npt-300K (hpcjob-abc123)');
    for (const line of ['- job_name: lammps/npt-300K', '- job_status: running', '- core_limit: 64', '- end_time: null', '- run_time: 120']) {
      assert.ok(lines.includes(line), `${line} missing from:\n${text}`);
    }
    assert.ok(text.endsWith('\n'));
  });

  it('orders identity, status, times, paths, the command line, then the rest by name, groups apart', () => {
    const detail = {
      zz_extra: 1, cmd_line: 'srun x', stdout_redirect_path: '/o', modified_time: 't4', submitted_time: 't1',
      end_time: 't3', started_time: 't2', pend_reason: '', job_status: 'pending', cluster_id: 'ehpc-1',
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
    const blocks = jobDetailText(detail, title).trimEnd().split('\n\n');
    assert.equal(blocks.length, 7, 'heading + 6 groups');
    assert.equal(blocks[2], '- job_status: pending\n- pend_reason:');
  });

  it('puts a value of several lines in a fence that its own backticks cannot close', () => {
    const script = '#!/bin/bash\necho ```done```\nsrun ./a.out';
    const text = jobDetailText({ cmd_line: script }, title);
    assert.ok(text.includes('- cmd_line:\n  ````\n  #!/bin/bash\n  echo ```done```\n  srun ./a.out\n  ````\n'), text);
  });

  it('shows objects as JSON and falls back to the tree\'s name; a heading stays one line', () => {
    const text = jobDetailText({ job_name: '', resources: { nodes: 2 }, tags: [] }, title);
    assert.ok(text.startsWith('# from the tree (hpcjob-abc123)\n'));
    assert.ok(text.includes('- job_name:\n'));
    assert.ok(text.includes('- tags: []\n'));
    assert.ok(text.includes('- resources:\n  ```\n  {\n    "nodes": 2\n  }\n  ```\n'), text);
    assert.ok(jobDetailText({ job_name: 'two\nlines' }, title).startsWith('# two lines (hpcjob-abc123)\n'));
  });
});
