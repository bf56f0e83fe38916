import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SubmitResult } from '../../src/commands/submitJob';
import type { ExtensionApi } from '../../src/extension';
import type { JobNode } from '../../src/tree/nodes';
import type { SubmitFormRequest, SubmitFormValues } from '../../src/ui/submitForm';
import type { Simulator } from '../../simulator/server';
import { clusterNodes, jobNodes, mainAccount, scriptedPrompts, setUpSuite, waitFor } from './helpers';

const SCRIPT = [
  '#!/bin/bash',
  '#SBATCH --job-name=train-42',
  '#SBATCH -n 2',
  '#SBATCH --cpus-per-task=2',
  '#SBATCH -t 1:30:00',
  '#SBATCH --mem 4G',
  'srun hostname',
  '#SBATCH -n 99',
  '',
].join('\n');

describe('submitting jobs', () => {
  let simulator: Simulator;
  let api: ExtensionApi;

  setUpSuite(
    (s, a) => ([simulator, api] = [s, a]),
    () => vscode.commands.executeCommand('workbench.action.closeAllEditors'),
    // Submitted jobs start and end within the test.
    { lifecycle: { startAfterMs: 300, runMs: 1500 } },
  );

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    api.watch.unwatch(api.watch.jobs().map((job) => job.hpcjobUuid));
  });

  async function openScript(name: string, text: string): Promise<vscode.Uri> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a workspace');
    const uri = vscode.Uri.joinPath(folder.uri, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(uri);
    return uri;
  }

  /** Answers the form with the first cluster of jn1a, its default queue, and the user `admin`. */
  function answerForm(seen: SubmitFormRequest[], change: Partial<SubmitFormValues> = {}) {
    return async (request: SubmitFormRequest): Promise<SubmitFormValues> => {
      seen.push(request);
      const clusters = await request.clusters();
      const cluster = change.cluster ?? clusters.find((c) => c.zone === 'jn1a') ?? clusters[0];
      const queues = await request.queues(cluster);
      const users = await request.users(cluster);
      const { initial } = request;
      const named = queues.find((q) => initial.queueName !== undefined && (q.partitionName === initial.queueName || q.name === initial.queueName));
      return {
        cluster,
        queue: named ?? queues.find((q) => q.isDefault),
        runUser: users.find((u) => u.username === (initial.runUser ?? 'admin'))!,
        name: initial.name,
        command: request.asksCommand ? initial.command : undefined,
        cores: initial.cores ?? 1,
        memLimitMb: initial.memLimitMb,
        timeLimitMinutes: initial.timeLimitMinutes,
        ...change,
      };
    };
  }

  it('submits the script being edited: its #SBATCH lines prefill the form; upload, submit and one list; the job is revealed, selected and watched', async () => {
    await openScript('train.sh', SCRIPT);
    const seen: SubmitFormRequest[] = [];
    let confirmation = '';
    api.prompts = scriptedPrompts({
      submitForm: answerForm(seen),
      confirm: async (message, detail) => {
        confirmation = `${message}\n${detail}`;
        simulator.clearRequests(); // what follows the confirmation is counted
        return true;
      },
    });
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');

    assert.equal(seen.length, 1);
    assert.equal(seen[0].asksCommand, false);
    assert.deepEqual(
      { name: seen[0].initial.name, cores: seen[0].initial.cores, time: seen[0].initial.timeLimitMinutes, mem: seen[0].initial.memLimitMb },
      { name: 'train-42', cores: 4, time: 90, mem: 4096 },
      'directives after the first command are ignored, as sbatch does',
    );
    assert.equal(result?.outcome.kind, 'submitted');
    const [cluster] = await clusterNodes(api, 'jn1a');
    const file = simulator.files('jn1a', cluster.cluster.clusterId).find((f) => f.path.includes('/.vscode-ehpc/train-42-'));
    assert.ok(file, 'the script was not uploaded under .vscode-ehpc');
    assert.equal(file.content, SCRIPT);
    const job = simulator.jobs('jn1a', cluster.cluster.clusterId)[0];
    assert.equal(job.hpcjob_uuid, result?.job?.hpcjobUuid);
    assert.equal(job.cmd_line, `bash '${file.path}'`);
    assert.equal(job.core_limit, 4);
    assert.equal(job.run_user, 'admin');
    for (const part of ['train-42', 'admin', '4', file.path]) {
      assert.ok(confirmation.includes(part), `the confirmation does not name ${part}:\n${confirmation}`);
    }
    // The view, focused by the reveal, may list other expanded clusters: those are not the submit's.
    const forCluster = simulator.requests.filter((r) => (r.query.cluster_id ?? r.body?.cluster_id) === cluster.cluster.clusterId);
    // The jobs of that name are listed while the question is open (the lost-answer guard).
    const byName = (r: (typeof forCluster)[number]) => r.path === '/api/job/list' && r.query.search_word === 'train-42';
    assert.deepEqual(
      forCluster.filter((r) => !byName(r)).map((r) => r.path),
      ['/api/job/createJobFile', '/api/job/submitJob', '/api/job/list'],
      'after the confirmation: upload, submit, one list',
    );
    assert.equal(forCluster.filter(byName).length, 1);
    assert.ok(forCluster.findIndex(byName) < forCluster.findIndex((r) => r.path === '/api/job/submitJob'), 'the jobs of that name are listed before the submit');
    await waitFor(() => (api.treeView.selection[0] as JobNode | undefined)?.job?.hpcjobUuid === job.hpcjob_uuid, 5000);
    assert.ok(api.watch.isWatched(job.hpcjob_uuid));
  });

  it('remembers the cluster and run user chosen, and offers them first next time', async () => {
    await openScript('again.sh', '#!/bin/bash\nhostname\n');
    const clusters = await clusterNodes(api, 'jn1b');
    const seen: SubmitFormRequest[] = [];
    const users = await api.clusterInfo.users(clusters[0].cluster);
    const member = users.find((u) => u.username !== 'admin') ?? users[0];
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen, { cluster: clusters[0].cluster, queue: undefined, runUser: member }), confirm: async () => true });
    await vscode.commands.executeCommand('ehpc.submitJob');
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen), confirm: async () => false });
    await vscode.commands.executeCommand('ehpc.submitJob');
    const offered = await seen[1].clusters();
    assert.equal(offered[0].clusterId, clusters[0].cluster.clusterId, 'the last cluster used is offered first');
    assert.equal(seen[1].lastRunUser(clusters[0].cluster), member.username);
  });

  it('asks for a command line when no script is open, and sends it as it is', async () => {
    const seen: SubmitFormRequest[] = [];
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen, { name: 'one-liner', command: 'sleep 1 && echo done' }), confirm: async () => true });
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
    assert.equal(seen[0].asksCommand, true);
    assert.equal(result?.outcome.kind, 'submitted');
    const [cluster] = await clusterNodes(api, 'jn1a');
    assert.equal(simulator.jobs('jn1a', cluster.cluster.clusterId)[0].cmd_line, 'sleep 1 && echo done');
    assert.ok(!simulator.requests.some((r) => r.path === '/api/job/createJobFile'), 'nothing to upload');
  });

  it('watches a submitted job until it finishes, and says so once, with its buttons', async function () {
    this.timeout(15_000);
    const original = api.notifier;
    const told: { message: string; actions: string[] }[] = [];
    api.notifier = { show: (_severity, message, ...actions) => (told.push({ message, actions }), Promise.resolve(undefined)) };
    try {
      api.prompts = scriptedPrompts({ submitForm: answerForm([], { name: 'to the end', command: 'hostname' }), confirm: async () => true });
      const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
      const id = result?.job?.hpcjobUuid;
      assert.ok(id && api.watch.isWatched(id));
      assert.match(api.watch.statusBarText ?? '', /1 pending|1 running/);
      await waitFor(async () => {
        await api.watch.tick();
        return !api.watch.isWatched(id);
      }, 10_000);
      assert.equal(told.length, 1);
      assert.match(told[0].message, /^Job "to the end" finished on .+ after /);
      assert.deepEqual(told[0].actions, ['Show Output', 'Show Details', 'Resubmit']);
      assert.equal(api.watch.statusBarText, undefined, 'the status bar item stays with nothing watched');
    } finally {
      api.notifier = original;
    }
  });

  it('sends nothing for a binary file, or when the confirmation is declined', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const binary = vscode.Uri.joinPath(folder.uri, 'tool.sh');
    await vscode.workspace.fs.writeFile(binary, new Uint8Array([0x23, 0x21, 0x00, 0xff, 0x10]));
    const seen: SubmitFormRequest[] = [];
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen), confirm: async () => true });
    await vscode.commands.executeCommand('ehpc.submitJob', binary);
    assert.equal(seen.length, 0, 'the form opened for a binary file');

    await openScript('declined.sh', '#!/bin/bash\nhostname\n');
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen), confirm: async () => false });
    simulator.clearRequests();
    await vscode.commands.executeCommand('ehpc.submitJob');
    assert.equal(seen.length, 1);
    assert.ok(!simulator.requests.some((r) => r.method === 'POST'), 'something was sent without a confirmation');
  });

  it('after a lost answer, finds the job on the cluster and does not submit it again', async () => {
    simulator.failNext({ path: '/api/job/submitJob', reset: true, afterAction: true });
    api.prompts = scriptedPrompts({ submitForm: answerForm([], { name: 'lost-answer', command: 'hostname' }), confirm: async () => true });
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
    assert.equal(result?.outcome.kind, 'unknown');
    const [cluster] = await clusterNodes(api, 'jn1a');
    const made = simulator.jobs('jn1a', cluster.cluster.clusterId).filter((job) => job.job_name === 'lost-answer');
    assert.equal(made.length, 1, 'submitted twice, or not at all');
    assert.equal(result?.job?.hpcjobUuid, made[0].hpcjob_uuid);
    assert.equal(simulator.requests.filter((r) => r.path === '/api/job/submitJob').length, 1);
    assert.ok(api.watch.isWatched(made[0].hpcjob_uuid), 'the job found is watched');
  });

  it('sends nothing when the key changed while the form was open', async () => {
    const answer = answerForm([], { name: 'across a sign-in', command: 'hostname' });
    api.prompts = scriptedPrompts({
      submitForm: async (request) => {
        const values = await answer(request);
        // Signed in again meanwhile (here with the same key: the extension cannot tell whose it is).
        await api.credentials.store(mainAccount(api), { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey });
        return values;
      },
      confirm: async () => true,
    });
    simulator.clearRequests();
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
    assert.equal(result?.outcome.kind, 'signedOut');
    assert.ok(!simulator.requests.some((r) => r.method === 'POST'), 'something was sent with a key the form was not opened with');
  });

  it('uploads the script as it is when confirmed: edits made while the form or the question was open are shown and sent', async () => {
    const v1 = '#!/bin/bash\necho "epochs=1000 (the bug)"\n';
    const v2 = '#!/bin/bash\necho "epochs=10"\n';
    const v3 = '#!/bin/bash\necho "epochs=10"\necho fixed twice\n';
    const uri = await openScript('stale.sh', v1);
    const document = await vscode.workspace.openTextDocument(uri);
    const replaceWith = async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };
    const answer = answerForm([], { name: 'stale' });
    const questions: string[] = [];
    api.prompts = scriptedPrompts({
      submitForm: async (request) => {
        const values = await answer(request);
        await replaceWith(v2); // fixed in the editor while the form is open
        return values;
      },
      confirm: async (message, detail) => {
        questions.push(detail);
        if (questions.length === 1) {
          await replaceWith(v3); // and again while the question is open
        }
        return true;
      },
    });
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
    assert.equal(result?.outcome.kind, 'submitted');
    assert.equal(questions.length, 2, 'asked again about the script as it became');
    assert.match(questions[0], /stale\.sh changed after the form was filled in from it/);
    assert.match(questions[0], /Content: 2 lines, /);
    assert.match(questions[1], /Content: 3 lines, /);
    const [cluster] = await clusterNodes(api, 'jn1a');
    const file = simulator.files('jn1a', cluster.cluster.clusterId).find((f) => f.path.includes('/.vscode-ehpc/stale-'));
    assert.equal(file?.content, v3, 'what is uploaded is what the last question described');
  });

  it('resubmits without the earlier job\'s default output paths, and with its own ones renamed and shown', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const clusterId = cluster.cluster.clusterId;
    const submitBodies = () => simulator.requests.filter((r) => r.path === '/api/job/submitJob').map((r) => r.body ?? {});
    // A job the server named the paths of (they carry its id), then one with paths of its own (#SBATCH -o/-e).
    api.prompts = scriptedPrompts({ submitForm: answerForm([], { name: 'defaults', command: 'hostname', cluster: cluster.cluster }), confirm: async () => true });
    await vscode.commands.executeCommand('ehpc.submitJob');
    await openScript('own-paths.sh', '#!/bin/bash\n#SBATCH -J own-paths\n#SBATCH -o /public/home/admin/train.out\n#SBATCH -e /public/home/admin/train.err\nhostname\n');
    api.prompts = scriptedPrompts({ submitForm: answerForm([], { cluster: cluster.cluster }), confirm: async () => true });
    await vscode.commands.executeCommand('ehpc.submitJob');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const own = simulator.jobs('jn1a', clusterId).find((job) => job.job_name === 'own-paths')!;
    const defaults = simulator.jobs('jn1a', clusterId).find((job) => job.job_name === 'defaults')!;
    assert.match(defaults.stdout_redirect_path, new RegExp(`${defaults.job_id}`));
    assert.equal(own.stdout_redirect_path, '/public/home/admin/train.out');
    simulator.clearRequests();
    const questions: string[] = [];
    for (const job of [defaults, own]) {
      api.prompts = scriptedPrompts({ submitForm: answerForm([], { cluster: cluster.cluster }), confirm: async (_message, detail) => (questions.push(detail), true) });
      await vscode.commands.executeCommand('ehpc.resubmitJob', { account: cluster.cluster.account, zone: 'jn1a', clusterId, hpcjobUuid: job.hpcjob_uuid });
    }
    const [first, second] = submitBodies();
    assert.equal(first.stdout_redirect_path, undefined, 'the server\'s default for the earlier job was sent');
    assert.equal(first.stderr_redirect_path, undefined);
    assert.doesNotMatch(questions[0], /Output file/);
    assert.match(String(second.stdout_redirect_path), /^\/public\/home\/admin\/train-rerun-\d{8}-\d{6}\.out$/);
    assert.match(String(second.stderr_redirect_path), /^\/public\/home\/admin\/train-rerun-\d{8}-\d{6}\.err$/);
    assert.ok(questions[1].includes(`Output file: ${String(second.stdout_redirect_path)}`), questions[1]);
    assert.ok(questions[1].includes(`Error file: ${String(second.stderr_redirect_path)}`), questions[1]);
  });

  it('gives every submit of a script output and error files of its own beside the uploaded script: asked, in the detail, and written there', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const clusterId = cluster.cluster.clusterId;
    await openScript('own-files.sh', '#!/bin/bash\n#SBATCH -J own-files\nhostname\n');
    const questions: string[] = [];
    const uuids: string[] = [];
    for (let i = 0; i < 2; i++) {
      api.prompts = scriptedPrompts({ submitForm: answerForm([], { cluster: cluster.cluster }), confirm: async (_message, detail) => (questions.push(detail), true) });
      const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
      assert.equal(result?.outcome.kind, 'submitted');
      uuids.push(result.outcome.job.hpcjobUuid);
    }
    const client = await api.accounts.connection(cluster.cluster.account).client();
    const stems = new Set<string>();
    for (const [i, uuid] of uuids.entries()) {
      const detail = await client.jobDetail('jn1a', clusterId, uuid);
      const target = /^bash '(\/.+\/\.vscode-ehpc\/own-files-[^/]+)\.sh'$/.exec(String(detail.cmd_line))?.[1];
      assert.ok(target, `not an uploaded script: ${String(detail.cmd_line)}`);
      stems.add(target);
      assert.deepEqual([detail.stdout_redirect_path, detail.stderr_redirect_path], [`${target}.out`, `${target}.err`]);
      assert.ok(questions[i].includes(`\nOutput file: ${target}.out\n`), questions[i]);
      assert.ok(questions[i].includes(`\nError file: ${target}.err\n`), questions[i]);
      // The job runs on the simulator's clock and writes its output where the detail says.
      await waitFor(() => !['pending', 'running'].includes(simulator.jobs('jn1a', clusterId).find((job) => job.hpcjob_uuid === uuid)?.job_status ?? ''), 10_000);
      const output = fs.readFileSync(path.join(simulator.storageFolder(clusterId), `${target}.out`), 'utf8');
      assert.match(output, /^job \d+ "own-files" started/);
      assert.match(output, /\ndone: job \d+ /);
      assert.ok(fs.existsSync(path.join(simulator.storageFolder(clusterId), `${target}.err`)));
    }
    assert.equal(stems.size, 2, 'two submits of one script share their files');
  });

  it('resubmits an ended job with the form prefilled from its detail', async () => {
    const [cluster] = await clusterNodes(api, 'jn1a');
    const ended = (await jobNodes(api, cluster)).find((node) => node.job.status === 'finished' || node.job.status === 'exited');
    assert.ok(ended, 'the seeded cluster has an ended job');
    const detail = simulator.jobs('jn1a', cluster.cluster.clusterId).find((job) => job.hpcjob_uuid === ended.job.hpcjobUuid)!;
    const seen: SubmitFormRequest[] = [];
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen, { cluster: cluster.cluster }), confirm: async () => true });
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.resubmitJob', ended);
    assert.deepEqual(
      { name: seen[0].initial.name, command: seen[0].initial.command, runUser: seen[0].initial.runUser, queue: seen[0].initial.queueName, cores: seen[0].initial.cores },
      { name: detail.job_name, command: detail.cmd_line, runUser: detail.run_user, queue: detail.queue_name, cores: detail.core_limit },
    );
    assert.equal(result?.outcome.kind, 'submitted');
    const again = simulator.jobs('jn1a', cluster.cluster.clusterId)[0];
    assert.deepEqual([again.job_name, again.cmd_line, again.run_user], [detail.job_name, detail.cmd_line, detail.run_user]);
  });
  it('offers the answers of a submit cancelled at its question back at the next Submit of that script; Edit... reopens the form with them', async () => {
    await openScript('draft.sh', '#!/bin/bash\n#SBATCH -J draft\n#SBATCH -n 2\nhostname\n');
    const seen: SubmitFormRequest[] = [];
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen, { name: 'draft-changed', cores: 3 }), confirm: async () => false });
    await vscode.commands.executeCommand('ehpc.submitJob');
    assert.deepEqual([seen[0].title, seen[0].summary, seen[0].offeredBack], ['Submit draft.sh', 'afterCluster', false], 'the form names the script and has its summary after the cluster');

    let questions = 0;
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen), confirmSubmit: async () => (questions++ === 0 ? 'edit' : 'submit') });
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
    assert.equal(seen[1].offeredBack, true, 'the answers of the cancelled submit are offered back');
    assert.deepEqual([seen[1].initial.name, seen[1].initial.cores], ['draft-changed', 3]);
    assert.equal(seen.length, 3, 'Edit... opened the form again');
    assert.deepEqual([seen[2].initial.name, seen[2].initial.cores, seen[2].offeredBack], ['draft-changed', 3, false]);
    assert.equal(result?.outcome.kind, 'submitted');

    // Sent: the next Submit starts from the #SBATCH lines again.
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen), confirm: async () => false });
    await vscode.commands.executeCommand('ehpc.submitJob');
    assert.deepEqual([seen[3].initial.name, seen[3].initial.cores, seen[3].offeredBack], ['draft', 2, false]);
  });

  it('keeps the answers when the form opened by Edit... is closed, as Cancel at the question does', async () => {
    await openScript('edit-closed.sh', '#!/bin/bash\n#SBATCH -J edit-closed\nhostname\n');
    const seen: SubmitFormRequest[] = [];
    const answer = answerForm(seen, { name: 'edit-closed-mine', cores: 3 });
    // Edit... at the question, then the form it opens closed (Esc).
    api.prompts = scriptedPrompts({ submitForm: async (request) => (seen.length === 0 ? answer(request) : (seen.push(request), undefined)), confirmSubmit: async () => 'edit' });
    await vscode.commands.executeCommand('ehpc.submitJob');
    assert.equal(seen.length, 2, 'Edit... opened the form again');
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen), confirm: async () => false });
    await vscode.commands.executeCommand('ehpc.submitJob');
    assert.deepEqual([seen[2].offeredBack, seen[2].initial.name, seen[2].initial.cores], [true, 'edit-closed-mine', 3]);
  });

  it('offers the #SBATCH lines changed since the answers were kept, not the answers given for the old ones', async () => {
    const uri = await openScript('changed-lines.sh', '#!/bin/bash\n#SBATCH -J changed-lines\n#SBATCH -n 2\n#SBATCH -t 30\nhostname\n');
    const seen: SubmitFormRequest[] = [];
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen, { name: 'mine', cores: 3 }), confirm: async () => false });
    await vscode.commands.executeCommand('ehpc.submitJob');
    // The cores line changed and the time line went; the name line stayed.
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('#!/bin/bash\n#SBATCH -J changed-lines\n#SBATCH -n 8\nhostname\n'));
    await waitFor(async () => (await vscode.workspace.openTextDocument(uri)).getText().includes('-n 8'), 5000);
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen), confirm: async () => false });
    await vscode.commands.executeCommand('ehpc.submitJob');
    assert.equal(seen[1].offeredBack, true);
    assert.deepEqual([seen[1].initial.name, seen[1].initial.cores, seen[1].initial.timeLimitMinutes], ['mine', 8, undefined]);
    assert.deepEqual(seen[1].sbatchChanged, ['cores', 'time']);
  });

  it('resubmits a job named in the form\'s title; one from a workspace script still there may upload it again, as it is now', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, 'jobs'));
    const uri = await openScript('jobs/rerun.sh', '#!/bin/bash\n#SBATCH -J rerun\nhostname\n');
    api.prompts = scriptedPrompts({ submitForm: answerForm([]), confirm: async () => true });
    const first = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.submitJob');
    const job = first?.job;
    assert.ok(job, 'the first submit was listed');
    // Edited since, not saved: what the editor shows is what is uploaded.
    const changed = '#!/bin/bash\n#SBATCH -J rerun\n#SBATCH -n 2\necho changed\n';
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), changed);
    assert.ok(await vscode.workspace.applyEdit(edit));

    const seen: SubmitFormRequest[] = [];
    const form = answerForm(seen);
    api.prompts = scriptedPrompts({
      submitForm: async (request) => (seen.length === 0 ? (seen.push(request), { reupload: true as const }) : form(request)),
      confirm: async () => true,
    });
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('ehpc.resubmitJob', job);
    assert.deepEqual([seen[0].title, seen[0].summary, seen[0].reupload], ['Resubmit rerun', 'first', 'jobs/rerun.sh'], 'the script named by its path in the workspace');
    assert.deepEqual([seen[1].title, seen[1].asksCommand, seen[1].initial.clusterKey, seen[1].initial.cores], ['Submit rerun.sh', false, `${encodeURIComponent(job.account)}/${job.zone}/${job.clusterId}`, 2]);
    assert.equal(result?.outcome.kind, 'submitted');
    const uploaded = simulator.files(job.zone, job.clusterId).filter((file) => file.path.includes('/.vscode-ehpc/rerun-'));
    assert.deepEqual(uploaded.map((file) => file.content).sort(), [changed, '#!/bin/bash\n#SBATCH -J rerun\nhostname\n'].sort(), 'the script as it is now was uploaded again');

    // The script gone: Resubmit offers only the command the job ran.
    await vscode.workspace.fs.delete(uri);
    api.prompts = scriptedPrompts({ submitForm: answerForm(seen), confirm: async () => false });
    await vscode.commands.executeCommand('ehpc.resubmitJob', job);
    assert.equal(seen[2].reupload, undefined);
  });
});
