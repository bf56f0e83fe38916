import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { JobNode } from '../../src/tree/nodes';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, jobNodes, mainAccount, setUpSuite, waitFor } from './helpers';

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

  /** The lenses VS Code shows over the document, once it has them, as [line, title, command, arguments]. */
  async function lensesOf(uri: vscode.Uri): Promise<[number, string, string, unknown[]][]> {
    const lenses = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return found.length > 0 ? found : undefined;
    });
    return (lenses ?? []).map((lens) => [lens.range.start.line, lens.command?.title ?? '', lens.command?.command ?? '', lens.command?.arguments ?? []]);
  }

  /** A job the server has just added to the first cluster of jn1a, as its row. */
  async function addedJob(fields: Parameters<Simulator['addJob']>[2]): Promise<JobNode> {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const added = simulator.addJob('jn1a', cluster.cluster.clusterId, fields);
    const job = (await jobNodes(api, cluster)).find((node) => node.job.hpcjobUuid === added.hpcjob_uuid);
    assert.ok(job, 'the added job is not listed');
    return job;
  }

  it('puts Copy Path and Open Output / Open Error over the files, and copies a path exactly as the server sent it', async () => {
    // A name and a path as hostile as a server may send: icon syntax, backquotes, a command substitution.
    const output = '/public/home/admin/`$(id)` $(alert) out.log';
    const error = '/public/home/admin/job 7.err';
    const job = await addedJob({ job_name: '$(alert) odd', job_status: 'finished', stdout_redirect_path: output, stderr_redirect_path: error });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.showJobDetails', job);
    const uri = editor.document.uri;
    const lines = editor.document.getText().split('\n');

    const lenses = await lensesOf(uri);
    const outputLine = lines.indexOf(`- Output file: ${output}`);
    const errorLine = lines.indexOf(`- Error file: \`${error}\``);
    assert.ok(outputLine > 0 && errorLine > 0, editor.document.getText());
    assert.deepEqual(lenses.map(([line, title, command]) => [line, title, command]), [
      [outputLine, 'Copy Path', 'ehpc.copyJobDetailPath'],
      [outputLine, 'Open Output', 'ehpc.openOutput'],
      [errorLine, 'Copy Path', 'ehpc.copyJobDetailPath'],
      [errorLine, 'Open Error', 'ehpc.openError'],
    ]);
    // Nothing the server sent travels in a command: the document's own URI, and which file.
    assert.deepEqual(lenses.map(([, , , args]) => args.map(String)), [[uri.toString(), 'output'], [uri.toString()], [uri.toString(), 'error'], [uri.toString()]]);

    await vscode.env.clipboard.writeText('');
    for (const [line, title, command, args] of lenses) {
      if (title === 'Copy Path') {
        await vscode.commands.executeCommand(command, ...args);
        assert.equal(await vscode.env.clipboard.readText(), line === outputLine ? output : error);
      }
    }
  });

  it('offers no lens for a file the job has none of', async () => {
    const job = await addedJob({ job_name: 'no errors', stderr_redirect_path: '' });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.showJobDetails', job);

    const lenses = await lensesOf(editor.document.uri);

    assert.doesNotMatch(editor.document.getText(), /Error file/);
    const outputLine = editor.document.getText().split('\n').findIndex((line) => line.startsWith('- Output file: '));
    assert.deepEqual(lenses.map(([line, title]) => [line, title]), [[outputLine, 'Copy Path'], [outputLine, 'Open Output']]);
  });

  it('refreshes from the title into the same document, and resubmits from there only once the job has ended', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const job = (await jobNodes(api, cluster)).find((node) => node.job.status === 'running' || node.job.status === 'pending');
    assert.ok(job, 'the simulator has no live job in the first cluster');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.showJobDetails', job);
    const uri = editor.document.uri;
    assert.equal(api.jobDetails.page(uri)?.ended, false);
    const asked: string[] = [];
    const prompts = api.prompts;
    api.prompts = { ...prompts, submitForm: () => (asked.push('submitForm'), Promise.resolve(undefined)) };
    try {
      assert.equal(await vscode.commands.executeCommand('ehpc.resubmitJob', uri, { groupId: 0 }), undefined);
      assert.deepEqual(asked, [], 'a live job\'s document resubmitted it');

      const client = await api.accounts.connection(cluster.cluster.account).client();
      await client.stopJobs('jn1a', cluster.cluster.clusterId, [job.job.hpcjobUuid]);
      await waitFor(() => simulator.jobs('jn1a', cluster.cluster.clusterId).find((j) => j.hpcjob_uuid === job.job.hpcjobUuid)?.job_status === 'cancelled');
      simulator.clearRequests();
      // The editor title passes the document's URI, then where the editor is.
      const refreshed = await vscode.commands.executeCommand<vscode.Uri>('ehpc.refreshJobDetails', uri, { groupId: 0 });

      assert.equal(refreshed?.toString(), uri.toString());
      assert.deepEqual(simulator.requests.map((r) => r.path), [`/api/job/jobdetail/${job.job.hpcjobUuid}`]);
      await waitFor(() => editor.document.getText().includes('- Status: cancelled\n'));
      assert.equal(detailDocuments(job).length, 1);
      assert.equal(api.jobDetails.page(uri)?.ended, true);

      await vscode.commands.executeCommand('ehpc.resubmitJob', uri, { groupId: 0 });
      assert.deepEqual(asked, ['submitForm'], 'the ended job\'s form did not open');
    } finally {
      api.prompts = prompts;
    }
  });

  it('opens nothing from a detail address whose ids are not the API\'s', async () => {
    const forged = vscode.Uri.from({ scheme: SCHEME, path: `/${encodeURIComponent(mainAccount(api).name)}/jn1a/ehpc-UP/x (hpcjob-abc).md` });
    simulator.clearRequests();

    assert.equal(await vscode.commands.executeCommand('ehpc.openOutput', forged), undefined);
    assert.equal(await vscode.commands.executeCommand('ehpc.refreshJobDetails', forged), undefined);
    assert.equal(await vscode.commands.executeCommand('ehpc.resubmitJob', forged), undefined);
    assert.deepEqual(simulator.requests, []);
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
