import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { JobNode } from '../../src/tree/nodes';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, jobNodes, setUpSuite, waitFor } from './helpers';

const SCHEME = 'ehpc-job';

describe('Show Job Details and Copy Job ID', () => {
  let simulator: Simulator;
  let api: ExtensionApi;

  setUpSuite(
    (s, a) => ([simulator, api] = [s, a]),
    () => vscode.commands.executeCommand('workbench.action.closeAllEditors'),
  );

  /** The open detail documents of one job. */
  function detailDocuments(job: JobNode): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((doc) => doc.uri.scheme === SCHEME && doc.uri.path.includes(job.job.hpcjobUuid));
  }

  it('shows a job\'s details, fetched with jobdetail, in a read-only document titled by the job', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const [job] = await jobNodes(api, cluster);
    const wire = simulator.jobs('jn1a', cluster.cluster.clusterId).find((j) => j.hpcjob_uuid === job.job.hpcjobUuid)!;

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.showJobDetails', job);

    const doc = editor.document;
    assert.equal(doc.uri.scheme, SCHEME);
    assert.equal(vscode.window.activeTextEditor?.document, doc);
    assert.deepEqual(
      simulator.requests.filter((r) => r.path.startsWith('/api/job/jobdetail')).map((r) => [r.path, r.query.zone, r.query.cluster_id]),
      [[`/api/job/jobdetail/${wire.hpcjob_uuid}`, 'jn1a', cluster.cluster.clusterId]],
    );
    const lines = doc.getText().split('\n');
    assert.equal(lines[0], `# ${wire.job_name} (${wire.hpcjob_uuid})`);
    // In words, with labels: no API field names, no empty fields.
    assert.ok(lines.includes(`- Job ID: ${wire.hpcjob_uuid}`), doc.getText());
    assert.ok(lines.some((line) => /^- Status: \w+$/.test(line)), doc.getText());
    if (wire.output_dir) {
      assert.ok(lines.includes(`- Output folder: \`${wire.output_dir}\``), doc.getText());
    }
    assert.doesNotMatch(doc.getText(), /^- (job_status|hpcjob_uuid|run_time|end_time|output_dir|cmd_line|pend_reason):/m);
    assert.doesNotMatch(doc.getText(), /: (null)?$/m, 'an empty field is shown');
    const title = vscode.window.tabGroups.activeTabGroup.activeTab?.label;
    assert.equal(title, `${wire.job_name.replace(/\//g, '∕')} (${wire.hpcjob_uuid}).md`);

    // Read-only: the scheme is a content provider's, with no file system to write to.
    assert.notEqual(vscode.workspace.fs.isWritableFileSystem(SCHEME), true);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(doc.uri, new TextEncoder().encode('edited'))));
    assert.equal(doc.isDirty, false);
  });

  it('fetches the details again when shown again, in the same document', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const job = (await jobNodes(api, cluster)).find((node) => node.job.status === 'running' || node.job.status === 'pending');
    assert.ok(job, 'the simulator has no live job in the first cluster');
    const first = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.showJobDetails', job);
    assert.ok(first.document.getText().includes(`- Status: ${job.job.status}\n`));

    const client = await api.accounts.connection(cluster.cluster.account).client();
    await client.stopJobs('jn1a', cluster.cluster.clusterId, [job.job.hpcjobUuid]);
    // The stop is asynchronous, as on the real service.
    await waitFor(() => simulator.jobs('jn1a', cluster.cluster.clusterId).find((j) => j.hpcjob_uuid === job.job.hpcjobUuid)?.job_status === 'cancelled');
    simulator.clearRequests();
    const second = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.showJobDetails', job);

    assert.equal(second.document, first.document);
    assert.equal(simulator.requests.filter((r) => r.path.startsWith('/api/job/jobdetail/')).length, 1);
    await waitFor(() => second.document.getText().includes('- Status: cancelled\n'));
    assert.equal(detailDocuments(job).length, 1);
  });

  it('opens no document when jobdetail fails, and keeps an open one as it was', async () => {
    const [cluster] = await clusterNodes(api, 'jn1b');
    const jobs = await jobNodes(api, cluster);
    simulator.failNext({ path: '/api/job/jobdetail', retCode: 2100 });

    const result = await vscode.commands.executeCommand('ehpc.showJobDetails', jobs[0]);

    assert.equal(result, undefined);
    assert.equal(simulator.requests.at(-1)?.retCode, 2100);
    assert.deepEqual(detailDocuments(jobs[0]), []);
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.path.includes(jobs[0].job.hpcjobUuid)));

    const shown = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.showJobDetails', jobs[1]);
    const before = shown.document.getText();
    simulator.failNext({ path: '/api/job/jobdetail', retCode: 2100 });
    assert.equal(await vscode.commands.executeCommand('ehpc.showJobDetails', jobs[1]), undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(shown.document.getText(), before);
    assert.ok(before.includes(jobs[1].job.hpcjobUuid));
  });

  it('copies the clicked job\'s hpcjob_uuid (Copy Job ID, the one-job menu\'s)', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const jobs = await jobNodes(api, cluster);
    await vscode.env.clipboard.writeText('');

    await vscode.commands.executeCommand('ehpc.copyJobId', jobs[2], [jobs[2]]);

    assert.equal(await vscode.env.clipboard.readText(), jobs[2].job.hpcjobUuid);
  });

  it('copies every selected job\'s id, one a line, in the tree\'s order, when the clicked one is selected', async () => {
    const [first, second] = await clusterNodes(api, 'jn1a');
    const a = await jobNodes(api, first);
    const b = await jobNodes(api, second);
    // Clicked together bottom-up, and across two clusters.
    const selection = [b[1], a[4], a[0]];

    await vscode.commands.executeCommand('ehpc.copyJobIds', a[4], selection);

    assert.equal(await vscode.env.clipboard.readText(), [a[0], a[4], b[1]].map((node) => node.job.hpcjobUuid).join('\n'));
  });

  it('copies only the clicked job when it lies outside the selection', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const jobs = await jobNodes(api, cluster);

    await vscode.commands.executeCommand('ehpc.copyJobIds', jobs[5], [jobs[6], jobs[7], jobs[8]]);

    assert.equal(await vscode.env.clipboard.readText(), jobs[5].job.hpcjobUuid);
  });
});
