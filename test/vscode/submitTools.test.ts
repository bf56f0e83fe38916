// The chat tools that submit and read one job, called as VS Code calls them: prepareInvocation
// (the question the user answers) and then invoke with the same input. What the question
// shows must be what is sent, and every doubt must end with nothing sent.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Simulator } from '../../simulator/server';
import { mainAccount, setUpSuite, signInDirectly, waitFor } from './helpers';

const SCRIPT = ['#!/bin/bash', '#SBATCH --job-name=agent-train', '#SBATCH -n 2', '#SBATCH --cpus-per-task=2', '#SBATCH -t 1:30:00', '#SBATCH --mem 4G', 'srun hostname', ''].join('\n');

function textOf(result: vscode.LanguageModelToolResult | null | undefined): string {
  assert.ok(result, 'a tool answered nothing');
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** Text for a RegExp that matches it literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A confirmation's Markdown as the user reads it. */
function plain(message: string | vscode.MarkdownString | undefined): string {
  const value = typeof message === 'string' ? message : (message?.value ?? '');
  return value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

describe('chat tools: submitting and reading a job', () => {
  let simulator: Simulator;
  let api: ExtensionApi;
  const token = () => new vscode.CancellationTokenSource().token;
  const folder = () => vscode.workspace.workspaceFolders![0];

  setUpSuite((s, a) => ([simulator, api] = [s, a]), undefined, { lifecycle: { startAfterMs: 60_000, runMs: 60_000 } });

  afterEach(() => {
    api.watch.unwatch(api.watch.jobs().map((job) => job.hpcjobUuid));
  });

  const cluster = () => simulator.clusters('jn1a')[0];
  const posts = () => simulator.requests.filter((r) => r.method === 'POST').map((r) => r.path);
  const prepare = (input: object) => api.tools.submitJob.prepareInvocation!({ input }, token());
  const invoke = async (input: object) => textOf(await api.tools.submitJob.invoke({ input, toolInvocationToken: undefined }, token()));
  /** Asked and answered "yes": what a chat does. */
  const submit = async (input: object) => {
    await prepare(input);
    return invoke(input);
  };

  async function writeScript(name: string, content: string | Uint8Array): Promise<string> {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder().uri, name), bytes);
    return name;
  }

  it('ask with everything a workspace script sends, and then send exactly that', async () => {
    const c = cluster();
    const script = await writeScript('agent-train.sh', SCRIPT);
    const input = { cluster_id: c.cluster_id, script_path: script, run_user: 'admin' };
    const admin = simulator.users('jn1a', c.cluster_id).find((user) => user.username === 'admin')!;
    const queue = simulator.queues('jn1a', c.cluster_id).find((q) => q.default_queue === 1)!;

    const asked = await prepare(input);
    assert.equal(asked?.confirmationMessages?.title, `Submit job "agent-train" to ${c.cluster_name}?`);
    const message = plain(asked?.confirmationMessages?.message);
    const target = /uploaded to (\S+\.sh)\)/.exec(message)?.[1];
    assert.ok(target, `no upload path in\n${message}`);
    assert.match(target, new RegExp(`^${literal(admin.nas_mount_point)}/\\.vscode-ehpc/agent-train-\\d{8}-\\d{6}-[0-9a-z]{6}\\.sh$`));
    for (const line of [
      `Asked by a chat agent: cluster ${c.cluster_name} (${c.cluster_id}) in zone jn1a.`,
      `Cluster: ${c.cluster_name}`,
      `Queue: ${queue.name}`,
      'Run as: admin',
      'Cores: 4',
      'Memory limit: 4G',
      'Time limit: 1:30:00',
      `Script: agent-train.sh (uploaded to ${target})`,
      `Command: bash '${target}'`,
      `Output file: ${target.replace(/\.sh$/, '.out')}`,
      `Error file: ${target.replace(/\.sh$/, '.err')}`,
    ]) {
      assert.ok(message.includes(line), `the question does not say "${line}":\n${message}`);
    }
    assert.deepEqual(posts(), [], 'asking sends nothing');

    const text = await invoke(input);
    assert.deepEqual(posts(), ['/api/job/createJobFile', '/api/job/submitJob']);
    const job = simulator.jobs('jn1a', c.cluster_id)[0];
    assert.match(text, new RegExp(`^Submitted job "agent-train" to cluster "${literal(c.cluster_name)}" \\(${c.cluster_id}\\): hpcjob_uuid=${job.hpcjob_uuid}`));
    assert.deepEqual(
      { name: job.job_name, cmd: job.cmd_line, user: job.run_user, cores: job.core_limit, mem: job.mem_limit, time: job.time_limit, queue: job.queue_name },
      { name: 'agent-train', cmd: `bash '${target}'`, user: 'admin', cores: 4, mem: 4096, time: 90, queue: queue.partition_name },
    );
    assert.deepEqual([job.stdout_redirect_path, job.stderr_redirect_path], [target.replace(/\.sh$/, '.out'), target.replace(/\.sh$/, '.err')]);
    const file = simulator.files('jn1a', c.cluster_id).find((f) => f.path === target);
    assert.equal(file?.content, SCRIPT, 'the script uploaded is not the one asked about');
  });

  it('run a script whose #! names another interpreter with that interpreter, as the question says', async () => {
    const c = cluster();
    const text = '#!/usr/bin/env python3\nprint("hello")\n';
    const input = { cluster_id: c.cluster_id, script_path: await writeScript('agent-hello.py', text), run_user: 'admin' };
    const message = plain((await prepare(input))?.confirmationMessages?.message);
    const target = /uploaded to (\S+\.sh)\)/.exec(message)?.[1];
    assert.ok(target, `no upload path in\n${message}`);
    const command = `'/usr/bin/env' 'python3' '${target}'`;
    assert.ok(message.includes(`Command: ${command}`), message);
    assert.match(await invoke(input), /^Submitted job "agent-hello"/);
    assert.equal(simulator.jobs('jn1a', c.cluster_id)[0].cmd_line, command);
    assert.equal(simulator.files('jn1a', c.cluster_id).find((f) => f.path === target)?.content, text);
  });

  it('send a command line with the queue, user, cores and limits the question named', async () => {
    const c = cluster();
    const users = simulator.users('jn1a', c.cluster_id);
    const member = users.find((user) => user.username !== 'admin');
    const other = simulator.queues('jn1a', c.cluster_id).find((q) => q.default_queue !== 1);
    assert.ok(member && other, 'the seeded cluster has a second user and a second queue');
    const input = { cluster_id: c.cluster_id, cmd_line: 'sleep 5 && echo "done"', name: 'agent-cmd', queue: other.partition_name, run_user: member.username, cores: 2, mem_limit: '512M', time_limit: '2-00:00:00' };

    const message = plain((await prepare(input))?.confirmationMessages?.message);
    for (const line of [`Queue: ${other.name}`, `Run as: ${member.username}`, 'Cores: 2', 'Memory limit: 512M', 'Time limit: 2-00:00:00', 'Command: sleep 5 && echo "done"']) {
      assert.ok(message.includes(line), `the question does not say "${line}":\n${message}`);
    }
    assert.ok(!message.includes('Script:'), message);
    const text = await invoke(input);
    assert.match(text, /^Submitted job "agent-cmd"/);
    assert.deepEqual(posts(), ['/api/job/submitJob'], 'nothing to upload');
    const job = simulator.jobs('jn1a', c.cluster_id)[0];
    assert.deepEqual(
      [job.job_name, job.cmd_line, job.run_user, job.core_limit, job.mem_limit, job.time_limit, job.queue_name],
      ['agent-cmd', 'sleep 5 && echo "done"', member.username, 2, 512, 2880, other.partition_name],
    );
  });

  it('ask for a job that spans every node of a queue, not only one', async () => {
    const c = cluster();
    const queue = simulator.queues('jn1a', c.cluster_id).find((q) => q.node_info.length > 1);
    assert.ok(queue, 'the seeded cluster has a queue of several nodes');
    const cores = queue.spec_detail.unit_cpu_num * queue.node_info.length;
    const input = { cluster_id: c.cluster_id, cmd_line: 'mpirun ./solver', name: 'agent-mpi', queue: queue.partition_name, run_user: 'admin', cores };
    const asked = await prepare(input);
    assert.match(plain(asked?.confirmationMessages?.message), new RegExp(`Cores: ${cores}\\b`));
    await invoke(input);
    assert.equal(simulator.jobs('jn1a', c.cluster_id).find((job) => job.job_name === 'agent-mpi')?.core_limit, cores);
  });

  it('watch the submitted job and list it in the tree', async () => {
    const c = cluster();
    const text = await submit({ cluster_id: c.cluster_id, cmd_line: 'hostname', run_user: 'admin' });
    const id = /hpcjob_uuid=(\S+)/.exec(text)?.[1];
    assert.ok(id, text);
    assert.equal(simulator.jobs('jn1a', c.cluster_id)[0].hpcjob_uuid, id);
    assert.ok(api.watch.isWatched(id), 'the submitted job is not watched');
    const node = api.model.findCluster({ account: mainAccount(api).name, zone: 'jn1a', clusterId: c.cluster_id })!;
    assert.ok(api.model.loadedJobList(node)?.nodes.some((n) => n.job.hpcjobUuid === id), 'the tree does not list the submitted job');
  });

  it('refuse what the cluster does not offer or the schema does not allow, naming what is allowed, and send nothing', async () => {
    const c = cluster();
    const users = simulator.users('jn1a', c.cluster_id).map((user) => user.username);
    const queues = simulator.queues('jn1a', c.cluster_id);
    const defaultQueue = queues.find((q) => q.default_queue === 1)!;
    const queueCap = defaultQueue.spec_detail.unit_cpu_num * defaultQueue.node_info.length;
    assert.ok(users.length > 1, 'the seeded cluster has several users');
    await writeScript('agent-binary.sh', new Uint8Array([0x23, 0x21, 0x00, 0xff, 0x10]));
    const base = { cluster_id: c.cluster_id, run_user: 'admin' };
    const cases: [object, RegExp, string[]][] = [
      [{ ...base, cmd_line: 'hostname', queue: 'nosuch' }, /^Refused: the cluster has no queue "nosuch"; its queues: /, queues.flatMap((q) => [q.name, q.hpcqueue_id])],
      [{ ...base, cmd_line: 'hostname', run_user: 'mallory' }, /^Refused: the cluster has no user "mallory"; its users: /, users],
      [{ cluster_id: c.cluster_id, cmd_line: 'hostname' }, /^Refused: name the run_user; the cluster's users: /, users],
      [{ ...base, cmd_line: 'hostname', cores: queueCap + 1 }, /^Refused: cores=\d+ is not possible in queue /, [`at most ${queueCap}: ${defaultQueue.node_info.length} nodes`]],
      [{ ...base, cmd_line: 'hostname', script_path: 'agent-train.sh' }, /^Refused: give exactly one of cmd_line .* and script_path/, []],
      [{ ...base }, /^Refused: give exactly one of cmd_line .* and script_path/, []],
      [{ ...base, script_path: '../x.sh' }, /^Refused: script_path must be a path inside the workspace/, []],
      [{ ...base, script_path: '/etc/profile' }, /^Refused: script_path must be a path inside the workspace/, []],
      [{ ...base, script_path: 'agent-binary.sh' }, /^Refused: "agent-binary\.sh" cannot be submitted \(binary: a job script is a non-empty UTF-8 text file of at most 512 KB\)/, []],
      [{ ...base, cmd_line: 'hostname', time_limit: 'soon' }, /^Refused: time_limit="soon" is not a duration such as 30, 1:30:00 or 2-00:00:00/, []],
      [{ ...base, cmd_line: 'hostname', mem_limit: '4X' }, /^Refused: mem_limit="4X" is not a size such as 512M or 4G/, []],
      [{ ...base, cluster_id: 'ehpc-nosuchcl', cmd_line: 'hostname' }, /^Refused: No cluster ehpc-nosuchcl in the configured zones jn1a, jn1b\./, [c.cluster_id]],
      [{ ...base, cmd_line: 'hostname', priority: 'high' }, /^Refused: the input is malformed; nothing was sent\.\n- .*unknown property "priority"/, []],
    ];
    for (const [input, why, named] of cases) {
      const asked = await prepare(input);
      assert.equal(asked?.confirmationMessages, undefined, `a question for a refused call: ${JSON.stringify(input)}`);
      const text = await invoke(input);
      assert.match(text, why, JSON.stringify(input));
      assert.match(text, /[Nn]othing was sent/, text);
      for (const allowed of named) {
        assert.ok(text.includes(allowed), `the refusal does not name ${allowed}:\n${text}`);
      }
    }
    assert.deepEqual(posts(), [], 'a refused call sent something');
  });

  it('send nothing without a question of its own, twice for one question, when cancelled, or for a script edited since', async () => {
    const c = cluster();
    const input = { cluster_id: c.cluster_id, cmd_line: 'echo once', name: 'agent-once', run_user: 'admin' };
    assert.match(await invoke(input), /^Refused: no confirmation was prepared for this call/);
    assert.deepEqual(posts(), []);

    await prepare(input);
    assert.match(await invoke(input), /^Submitted job "agent-once"/);
    assert.match(await invoke(input), /^Refused: no confirmation was prepared for this call \(or it was already used\)/);
    assert.deepEqual(posts(), ['/api/job/submitJob'], 'one question, one submit');
    assert.equal(simulator.jobs('jn1a', c.cluster_id).filter((job) => job.job_name === 'agent-once').length, 1);

    const cancelled = { ...input, name: 'agent-cancelled' };
    await prepare(cancelled);
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    assert.match(textOf(await api.tools.submitJob.invoke({ input: cancelled, toolInvocationToken: undefined }, source.token)), /^Cancelled; nothing was sent\./);
    assert.deepEqual(posts(), ['/api/job/submitJob'], 'a cancelled call sent something');

    simulator.clearRequests();
    const script = await writeScript('agent-edited.sh', '#!/bin/bash\necho asked\n');
    const edited = { cluster_id: c.cluster_id, script_path: script, run_user: 'admin' };
    assert.ok((await prepare(edited))?.confirmationMessages);
    await writeScript(script, '#!/bin/bash\necho "not what was asked"\n');
    assert.match(await invoke(edited), /^Refused: the job is no longer what the user confirmed/);
    assert.deepEqual(posts(), [], 'an edited script was sent');
  });

  it('upload where the approved question said when two identical calls were asked and one declined', async () => {
    const c = cluster();
    const script = await writeScript('agent-twice.sh', '#!/bin/bash\necho twice\n');
    const input = { cluster_id: c.cluster_id, script_path: script, run_user: 'admin' };
    const shownTarget = async () => /uploaded to (\S+?)\)/.exec(plain((await prepare(input))?.confirmationMessages?.message))?.[1];
    const [first, second] = [await shownTarget(), await shownTarget()];
    assert.ok(first, 'the question shows where the script goes');
    assert.equal(second, first, 'identical questions show the same upload path');
    simulator.clearRequests();
    // One question declined (no invoke), the other approved.
    assert.match(await invoke(input), /^Submitted job /);
    assert.deepEqual(simulator.requests.filter((r) => r.path === '/api/job/createJobFile').map((r) => r.body?.target_file), [first]);
    // Had both been approved, the second would write over the script the first job runs: refused.
    assert.match(await invoke(input), /^Refused: an identical call already uploaded this script/);
    assert.equal(simulator.requests.filter((r) => r.method === 'POST').length, 2, 'upload and submit once');
  });

  it('send nothing after a sign-out between the question and the invoke, even when signed in again', async () => {
    const input = { cluster_id: cluster().cluster_id, cmd_line: 'echo signed', run_user: 'admin' };
    assert.ok((await prepare(input))?.confirmationMessages);
    await api.credentials.delete(mainAccount(api));
    await waitFor(async () => !(await api.accounts.connection(mainAccount(api).name).isSignedIn()));
    await signInDirectly(api, simulator);
    assert.match(await invoke(input), /^Refused: no confirmation was prepared for this call/);
    assert.deepEqual(posts(), []);
  });

  it('after a lost answer, say the job exists and must not be submitted again, having sent it once', async () => {
    const c = cluster();
    simulator.failNext({ path: '/api/job/submitJob', reset: true, afterAction: true });
    const text = await submit({ cluster_id: c.cluster_id, cmd_line: 'echo lost', name: 'agent-lost', run_user: 'admin' });
    const made = simulator.jobs('jn1a', c.cluster_id).filter((job) => job.job_name === 'agent-lost');
    assert.equal(made.length, 1, 'submitted twice, or not at all');
    assert.match(text, new RegExp(`^Most likely submitted: the answer was lost .*lists a job of that name not listed before the submit: ${made[0].hpcjob_uuid} \\(submitted .*\\)\\. Do not submit it again`));
    assert.equal(simulator.requests.filter((r) => r.path === '/api/job/submitJob').length, 1);
    assert.ok(api.watch.isWatched(made[0].hpcjob_uuid), 'the job found is watched');
  });

  it('read a job\'s detail, and refuse another cluster\'s job and an unknown id', async () => {
    const [mine, other] = [cluster(), simulator.clusters('jn1a')[1]];
    const job = simulator.jobs('jn1a', mine.cluster_id)[0];
    const read = async (input: object) => textOf(await api.tools.getJob.invoke({ input, toolInvocationToken: undefined }, token()));

    const text = await read({ cluster_id: mine.cluster_id, hpcjob_uuid: job.hpcjob_uuid });
    assert.ok(text.startsWith(`Job ${job.hpcjob_uuid} of cluster "${mine.cluster_name}" (${mine.cluster_id}), zone jn1a`), text);
    for (const field of [
      `job_name=${JSON.stringify(job.job_name)}`,
      `job_status=${JSON.stringify(job.job_status)}`,
      `cmd_line=${JSON.stringify(job.cmd_line)}`,
      `run_user=${JSON.stringify(job.run_user)}`,
      `queue_name=${JSON.stringify(job.queue_name)}`,
      `core_limit=${job.core_limit}`,
      `stdout_redirect_path=${JSON.stringify(job.stdout_redirect_path)}`,
    ]) {
      assert.ok(text.split('\n').includes(field), `${field} missing from\n${text}`);
    }

    const foreign = simulator.jobs('jn1a', other.cluster_id)[0].hpcjob_uuid;
    assert.match(await read({ cluster_id: mine.cluster_id, hpcjob_uuid: foreign }), new RegExp(`^Refused: cluster "${literal(mine.cluster_name)}" \\(${mine.cluster_id}\\) has no job ${foreign}\\.`));
    assert.match(await read({ cluster_id: mine.cluster_id, hpcjob_uuid: 'hpcjob-nosuchjob' }), /^Refused: cluster .* has no job hpcjob-nosuchjob\./);
    assert.deepEqual(posts(), [], 'reading sends no write');
  });
});
