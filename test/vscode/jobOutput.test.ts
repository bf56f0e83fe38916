import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { JobRef } from '../../src/ehpc/batch';
import { outputUri } from '../../src/output/jobOutputs';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, jobNodes, mainAccount, scriptedPrompts, setUpLoginNodeSuite, waitFor } from './helpers';

const ZONE = 'jn1a';

describe('a job\'s output from its login node', function () {
  this.timeout(60_000);
  let simulator: Simulator;
  let api: ExtensionApi;

  setUpLoginNodeSuite((s, a) => ([simulator, api] = [s, a]), ZONE, () => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  let clusterId: string;
  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    [clusterId] = simulator.clusters(ZONE).map((c) => c.cluster_id);
  });

  function ref(job: { hpcjob_uuid: string; job_name: string }): JobRef {
    return { account: mainAccount(api).name, zone: ZONE, clusterId, hpcjobUuid: job.hpcjob_uuid, name: job.job_name };
  }

  function answering(overrides: Parameters<typeof scriptedPrompts>[0] = {}) {
    const prompts = scriptedPrompts({
      trustHostKey: () => Promise.resolve(true),
      sshPassword: () => Promise.resolve(simulator.loginNodes.password),
      ...overrides,
    });
    api.prompts = prompts;
    return prompts;
  }

  it('follows a running job\'s output as it grows, with no API call, and says so when the job ends', async () => {
    const prompts = answering();
    const [cluster] = await clusterNodes(api, ZONE);
    const job = simulator.addRunningJob(ZONE, clusterId, 'train', 4000);
    await jobNodes(api, cluster); // the cluster's list is loaded: a refresh tells the job's end

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.openOutput', ref(job));
    const document = editor.document;
    assert.equal(document.uri.scheme, 'ehpc-output');
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, `train (${job.hpcjob_uuid}).out`);
    assert.equal(document.languageId, 'log');
    await waitFor(() => /step 2\//.test(document.getText()), 10_000);
    const known = simulator.loginNodes.address(clusterId).fingerprint;
    assert.deepEqual(prompts.asked.filter((a) => a.startsWith('trustHostKey')), [`trustHostKey 127.0.0.1:${simulator.loginNodes.address(clusterId).port} ${known}`]);

    // Following: the file grows in the tab, and the EHPC API hears nothing of it.
    simulator.clearRequests();
    const before = document.getText().length;
    await waitFor(() => document.getText().length > before + 20, 10_000);
    assert.deepEqual(simulator.requests.map((r) => r.path), []);

    // The job ends; a refresh of the view (its rows asked again, as a shown view does) tells the
    // extension, and the tab reads its last lines.
    await waitFor(() => simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)?.job_status !== 'running', 15_000);
    await vscode.commands.executeCommand('ehpc.refresh');
    await jobNodes(api, (await clusterNodes(api, ZONE))[0]);
    await waitFor(() => document.getText().includes('following stopped'), 15_000);
    const file = path.join(simulator.storageFolder(clusterId), simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)!.stdout_redirect_path);
    assert.ok(document.getText().startsWith(fs.readFileSync(file, 'utf8')), 'the tab holds the whole file, then the note');
    // What it cost: every byte once, and the follower's 16-byte check on each read after the first.
    const size = fs.statSync(file).size;
    const transfer = api.jobOutputs.transfer(document.uri);
    assert.ok(transfer && transfer.bytesRead >= size && transfer.bytesRead <= size + 16 * (transfer.reads - 1), JSON.stringify({ size, transfer }));
    assert.match(document.getText(), /done: job \d+/);
  });

  it('learns that a quiet job ended with no refresh and no watch, asking the API only once the file is quiet', async () => {
    answering();
    const timing = api.jobOutputs.endChecks.timing;
    api.jobOutputs.endChecks.timing = { firstMs: 1500, maxMs: 3000 };
    try {
      const job = simulator.addRunningJob(ZONE, clusterId, 'quiet end', 3000);
      simulator.clearRequests();
      // Its output and its error tab: one job, one question at a time for both.
      const errors = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.openError', ref(job));
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.openOutput', ref(job));
      const opened = simulator.requests.length;
      await waitFor(() => /step 2\//.test(editor.document.getText()), 10_000);
      // Writing every 200 ms: the file is never quiet for 1.5 s, and no question is asked.
      assert.equal(simulator.requests.length, opened, simulator.requests.map((r) => r.path).join(', '));

      await waitFor(() => editor.document.getText().includes('following stopped'), 15_000);
      await waitFor(() => errors.document.getText().includes('following stopped'), 5000);
      const asked = simulator.requests.slice(opened).map((r) => r.path);
      assert.ok(asked.length >= 1 && asked.length <= 2, asked.join(', '));
      assert.ok(asked.every((p) => p === asked[0]), asked.join(', '));
    } finally {
      api.jobOutputs.endChecks.timing = timing;
    }
  });

  it('keeps following a job in a state this version does not know, as the watch does', async () => {
    answering();
    const timing = api.jobOutputs.endChecks.timing;
    api.jobOutputs.endChecks.timing = { firstMs: 300, maxMs: 600 };
    try {
      const job = simulator.addJob(ZONE, clusterId, { job_name: 'odd state', job_status: 'requeued' });
      const file = path.join(simulator.storageFolder(clusterId), job.stdout_redirect_path);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'first\n');
      simulator.clearRequests();
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.openOutput', ref(job));
      await waitFor(() => editor.document.getText().includes('first'), 10_000);
      // Asked about twice, answered "requeued" twice: not an end.
      await waitFor(() => simulator.requests.filter((r) => r.path.includes(job.hpcjob_uuid)).length >= 3, 10_000);
      fs.appendFileSync(file, 'second\n');
      await waitFor(() => editor.document.getText().includes('second'), 10_000);
      assert.ok(!editor.document.getText().includes('following stopped'), editor.document.getText());
    } finally {
      api.jobOutputs.endChecks.timing = timing;
    }
  });

  it('reads a tab restored with the window again, and says in the tab why when it cannot', async () => {
    answering();
    const job = simulator.addRunningJob(ZONE, clusterId, 'restored', 1500);
    await waitFor(() => simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)?.job_status !== 'running', 15_000);
    const wire = simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)!;
    const expected = fs.readFileSync(path.join(simulator.storageFolder(clusterId), wire.stdout_redirect_path), 'utf8');

    // A tab VS Code restores is opened by its URI alone, with nothing following it yet.
    const editor = await vscode.window.showTextDocument(outputUri(ref(job), 'output'));
    await waitFor(() => editor.document.getText() === expected, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(api.jobOutputs.transfer(editor.document.uri), 'the tab is followed: its session was kept');

    // The same address spelled another way (a letter of the account's name escaped) is not
    // read: read under the usual name, it would be asked again without end.
    simulator.clearRequests();
    const canonical = outputUri(ref(job), 'output');
    const respelled = canonical.with({ path: canonical.path.replace(/^\/(.)/, (_, first: string) => `/%${first.charCodeAt(0).toString(16)}`) });
    assert.notEqual(respelled.toString(), canonical.toString());
    const odd = await vscode.window.showTextDocument(respelled);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(odd.document.getText(), 'Open the output again from the job in the EHPC view to read it.');
    assert.deepEqual(simulator.requests.map((r) => r.path), []);

    const gone = { ...ref(job), hpcjobUuid: 'hpcjob-doesnotexist', name: 'gone' };
    const missing = await vscode.window.showTextDocument(outputUri(gone, 'error'));
    await waitFor(() => missing.document.getText().startsWith('Could not read this file again:'), 15_000);
    assert.match(missing.document.getText(), /Open it again from the job in the EHPC view to try again\.$/);
  });

  it('reads an ended job\'s error file once, without asking about the host key again', async () => {
    const prompts = answering();
    const job = simulator.addRunningJob(ZONE, clusterId, 'short', 2500);
    await waitFor(() => simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)?.job_status !== 'running', 15_000);
    const wire = simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)!;

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ehpc.openError', ref(job));
    const expected = fs.readFileSync(path.join(simulator.storageFolder(clusterId), wire.stderr_redirect_path), 'utf8');
    await waitFor(() => editor.document.getText() === expected, 10_000);
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, `short (${job.hpcjob_uuid}).err`);
    assert.deepEqual(prompts.asked.filter((a) => a.startsWith('trustHostKey')), [], 'the key accepted before is trusted');
  });

  it('opens an ended job\'s error file from the Open Error lens of its details', async () => {
    answering();
    const job = simulator.addRunningJob(ZONE, clusterId, 'lensed', 200);
    await waitFor(() => simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)?.job_status !== 'running', 15_000);
    const wire = simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)!;
    const details = await vscode.window.showTextDocument(await api.jobDetails.load(ref(job)));
    const lens = await waitFor(async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', details.document.uri)).find((l) => l.command?.title === 'Open Error'));

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(lens!.command!.command, ...(lens!.command!.arguments ?? []));

    const expected = fs.readFileSync(path.join(simulator.storageFolder(clusterId), wire.stderr_redirect_path), 'utf8');
    await waitFor(() => editor.document.getText() === expected, 10_000);
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, `lensed (${job.hpcjob_uuid}).err`);
  });

  it('names every path it tried when an ended job has no output file', async () => {
    answering();
    const job = simulator.addRunningJob(ZONE, clusterId, 'vanished', 200);
    await waitFor(() => simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)?.job_status !== 'running', 15_000);
    const wire = simulator.jobs(ZONE, clusterId).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)!;
    fs.rmSync(path.join(simulator.storageFolder(clusterId), wire.stdout_redirect_path), { force: true });

    await assert.rejects(api.jobOutputs.open(ref(job), 'output'), (error: Error) => {
      assert.match(error.message, /No output file of job vanished/);
      assert.ok(error.message.includes(wire.stdout_redirect_path), error.message);
      return true;
    });
  });

  it('refuses a login node whose host key changed, before any login, without asking', async () => {
    answering();
    const job = simulator.addRunningJob(ZONE, clusterId, 'before', 60_000);
    await api.jobOutputs.open(ref(job), 'output'); // the key is accepted here
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    simulator.loginNodes.replaceHostKey(clusterId);
    simulator.loginNodes.dropConnections(clusterId);
    await waitFor(() => simulator.loginNodes.connections(clusterId).open === 0);
    const attempts = simulator.loginNodes.authAttempts(clusterId).length;
    const prompts = answering();

    const other = simulator.addRunningJob(ZONE, clusterId, 'after', 60_000);
    await assert.rejects(api.jobOutputs.open(ref(other), 'output'), /host key of 127\.0\.0\.1:\d+ has changed/);
    assert.equal(simulator.loginNodes.authAttempts(clusterId).length, attempts, 'no login was tried');
    assert.deepEqual(prompts.asked.filter((a) => a.startsWith('trustHostKey')), []);
  });

  it('keeps a password in SecretStorage when asked to, and logs in with it again without asking', async () => {
    const second = simulator.clusters(ZONE)[1].cluster_id;
    clusterId = second;
    const first = answering({ keepSshPassword: () => Promise.resolve(true) });
    const job = simulator.addRunningJob(ZONE, second, 'kept', 60_000);
    await api.jobOutputs.open(ref(job), 'output');
    assert.equal(first.asked.filter((a) => a.startsWith('sshPassword')).length, 1);
    assert.equal(first.asked.filter((a) => a.startsWith('keepSshPassword')).length, 1);
    const stored = (await Promise.all(['admin', job.run_user].map((user) => api.secrets.get(`ehpc.ssh.password/${encodeURIComponent(mainAccount(api).name)}/${second}/${encodeURIComponent(user)}@127.0.0.1:${simulator.loginNodes.address(second).port}`)))).find(Boolean);
    assert.equal(stored, simulator.loginNodes.password);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    simulator.loginNodes.dropConnections(second); // a new connection: it logs in again
    await waitFor(() => simulator.loginNodes.connections(second).open === 0);
    const again = answering();
    const other = simulator.addRunningJob(ZONE, second, 'kept again', 60_000);
    await api.jobOutputs.open(ref(other), 'output');
    assert.deepEqual(again.asked.filter((a) => a.startsWith('sshPassword') || a.startsWith('keepSshPassword')), []);
  });
});
