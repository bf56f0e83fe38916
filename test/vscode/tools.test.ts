// The chat (language model) tools, through vscode.lm as a chat would call them. Outside a chat
// session VS Code asks for a tool's confirmation with a dialog, and under test it answers the
// dialog "yes" by itself; so prepareInvocation's question is checked by calling it directly.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Simulator } from '../../simulator/server';
import { EXTENSION_ID, mainAccount, scriptedPrompts, setUpSuite, waitFor } from './helpers';

const TOOLS = ['ehpc_listClusters', 'ehpc_listJobs', 'ehpc_deleteJobs', 'ehpc_cancelJobs', 'ehpc_submitJob', 'ehpc_getJob', 'ehpc_readJobOutput', 'ehpc_startCluster', 'ehpc_stopCluster'];

function textOf(result: vscode.LanguageModelToolResult | null | undefined): string {
  assert.ok(result, 'a tool answered nothing');
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** A confirmation's Markdown as the user reads it. */
function plain(message: string | vscode.MarkdownString | undefined): string {
  const value = typeof message === 'string' ? message : (message?.value ?? '');
  return value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

describe('chat tools', () => {
  let simulator: Simulator;
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('ehpc');
  const token = () => new vscode.CancellationTokenSource().token;

  setUpSuite(
    (s, a) => ([simulator, api] = [s, a]),
    () => config().update('agentMaxJobsPerCall', undefined, vscode.ConfigurationTarget.Global),
  );

  const invoke = async (name: string, input: object) => textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));
  const sent = (path: string) => simulator.requests.filter((r) => r.path === path);
  const clusterOf = (zone: string, index: number) => simulator.clusters(zone)[index];
  const idsOf = (zone: string, clusterId: string) => simulator.jobs(zone, clusterId).map((job) => job.hpcjob_uuid);

  it('are all listed with the input schemas of the manifest', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const entries: { name: string; inputSchema: unknown }[] = manifest.contributes.languageModelTools;
    const declared = new Map(entries.map((tool) => [tool.name, tool.inputSchema]));
    const listed = vscode.lm.tools.filter((tool) => tool.name.startsWith('ehpc_'));
    assert.deepEqual(listed.map((tool) => tool.name).sort(), [...TOOLS].sort());
    for (const tool of listed) {
      assert.deepEqual(tool.inputSchema, declared.get(tool.name), tool.name);
      assert.ok(tool.tags.includes('ehpc'), tool.name);
    }
  });

  it('list the clusters of every configured zone, or of one, with their job counts', async () => {
    const line = (zone: string, c: ReturnType<typeof clusterOf>) =>
      `cluster_id=${c.cluster_id} name=${JSON.stringify(c.cluster_name)} zone=${zone} status=${c.cluster_status} running_jobs=${c.running_job_count} pending_jobs=${c.pending_job_count}`;
    const all = await invoke('ehpc_listClusters', {});
    for (const zone of ['jn1a', 'jn1b']) {
      assert.ok(all.includes(`Zone ${zone}: 3 cluster(s)`), all);
      for (const cluster of simulator.clusters(zone)) {
        assert.ok(all.includes(line(zone, cluster)), `${line(zone, cluster)} missing from\n${all}`);
      }
    }
    const one = await invoke('ehpc_listClusters', { zone: 'jn1b' });
    assert.ok(one.includes(line('jn1b', clusterOf('jn1b', 0))) && !one.includes('jn1a'), one);
    assert.match(await invoke('ehpc_listClusters', { zone: 'ap2a' }), /^Refused: zone ap2a is not configured/);
  });

  it('list a cluster\'s jobs a page at a time, filtered by status and name through the API', async () => {
    const big = clusterOf('jn1a', 1);
    const ids = idsOf('jn1a', big.cluster_id);
    const first = await invoke('ehpc_listJobs', { cluster_id: big.cluster_id, limit: 10 });
    const listedIds = (text: string) => [...text.matchAll(/^hpcjob_uuid=(\S+)/gm)].map((m) => m[1]);
    assert.match(first, new RegExp(`^Cluster "${big.cluster_name}" \\(${big.cluster_id}\\), zone jn1a: 250 job\\(s\\); jobs 1-10, newest first:`));
    assert.deepEqual(listedIds(first), ids.slice(0, 10));
    assert.match(first, /More: call again with offset=10\.$/);
    assert.deepEqual(listedIds(await invoke('ehpc_listJobs', { cluster_id: big.cluster_id, limit: 5, offset: 10 })), ids.slice(10, 15));

    simulator.clearRequests();
    const exited = simulator.jobs('jn1a', big.cluster_id).filter((job) => job.job_status === 'exited' && /run/i.test(job.job_name));
    assert.ok(exited.length > 0, 'the seeded data has exited jobs named "run"');
    const filtered = await invoke('ehpc_listJobs', { cluster_id: big.cluster_id, job_status: 'exited', search_word: 'run' });
    assert.deepEqual(listedIds(filtered), exited.map((job) => job.hpcjob_uuid).slice(0, 50));
    assert.ok(filtered.startsWith(`Cluster "${big.cluster_name}" (${big.cluster_id}), zone jn1a: ${exited.length} job(s) matching job_status=exited, search_word="run"`), filtered);
    const [list] = sent('/api/job/list');
    assert.equal(list.query.job_status, 'exited');
    assert.equal(list.query.search_word, 'run');
  });

  it('ask before deleting or cancelling, naming the count, the cluster and the jobs', async () => {
    const cluster = clusterOf('jn1a', 1);
    const jobs = simulator.jobs('jn1a', cluster.cluster_id).slice(120, 123); // beyond the first page
    const input = { cluster_id: cluster.cluster_id, hpcjob_uuids: jobs.map((job) => job.hpcjob_uuid) };
    const asked = await api.tools.deleteJobs.prepareInvocation!({ input }, token());
    assert.equal(asked?.confirmationMessages?.title, `Delete 3 jobs in cluster ${cluster.cluster_name}?`);
    const message = plain(asked?.confirmationMessages?.message);
    for (const job of jobs) {
      assert.ok(message.includes(`${job.job_name} (${job.hpcjob_uuid})`), `${job.job_name} missing from\n${message}`);
    }
    assert.ok(message.includes(cluster.cluster_id) && message.includes('cannot be restored'), message);
    assert.equal(asked?.invocationMessage, 'Deleting 3 jobs...');

    const live = simulator.jobs('jn1b', clusterOf('jn1b', 0).cluster_id).filter((job) => job.job_status === 'pending' || job.job_status === 'running').slice(0, 2);
    assert.equal(live.length, 2, 'the seeded cluster has pending or running jobs');
    const cancel = await api.tools.cancelJobs.prepareInvocation!(
      { input: { cluster_id: clusterOf('jn1b', 0).cluster_id, hpcjob_uuids: live.map((job) => job.hpcjob_uuid) } },
      token(),
    );
    assert.equal(cancel?.confirmationMessages?.title, `Cancel 2 jobs in cluster ${clusterOf('jn1b', 0).cluster_name}?`);
    assert.ok(plain(cancel?.confirmationMessages?.message).includes(live[0].job_name));
    assert.equal(sent('/api/job/deleteJobs').length + sent('/api/job/stopJobs').length, 0, 'asking sends nothing');
  });

  it('delete exactly the named jobs in one request, with "Deleting..." in the tree meanwhile, and refresh the tree', async () => {
    const cluster = clusterOf('jn1a', 0);
    const before = simulator.jobs('jn1a', cluster.cluster_id);
    const doomed = [before[1], before[4], before[7]].map((job) => job.hpcjob_uuid);
    simulator.setLatency(150);
    const running = invoke('ehpc_deleteJobs', { cluster_id: cluster.cluster_id, hpcjob_uuids: doomed });
    const busy = { account: mainAccount(api).name, zone: 'jn1a', clusterId: cluster.cluster_id, hpcjobUuid: doomed[0] };
    await waitFor(() => api.busy.kind(busy) === 'deleting', 10_000);
    const text = await running;

    assert.deepEqual(sent('/api/job/deleteJobs').map((r) => r.body?.job_ids), [doomed]);
    assert.deepEqual(idsOf('jn1a', cluster.cluster_id), before.map((job) => job.hpcjob_uuid).filter((id) => !doomed.includes(id)));
    assert.match(text, new RegExp(`^Deleted 3 of 3 job\\(s\\) in cluster "${cluster.cluster_name}" \\(${cluster.cluster_id}\\)\\.`));
    assert.equal(api.busy.kind(busy), undefined);
    const node = api.model.findCluster({ account: mainAccount(api).name, zone: 'jn1a', clusterId: cluster.cluster_id })!;
    assert.deepEqual(api.model.loadedJobList(node)?.nodes.map((n) => n.job.hpcjobUuid), idsOf('jn1a', cluster.cluster_id), 'the tree lists the cluster afresh');
  });

  it('cancel only the pending and running jobs among those named, and say which were left alone', async () => {
    const cluster = clusterOf('jn1b', 0);
    const jobs = simulator.jobs('jn1b', cluster.cluster_id);
    const active = jobs.filter((job) => job.job_status === 'pending' || job.job_status === 'running').slice(0, 2);
    const finished = jobs.find((job) => job.job_status === 'finished')!;
    assert.equal(active.length, 2, 'the seeded cluster has pending or running jobs');
    const text = await invoke('ehpc_cancelJobs', { cluster_id: cluster.cluster_id, hpcjob_uuids: [...active, finished].map((job) => job.hpcjob_uuid) });

    assert.deepEqual(sent('/api/job/stopJobs').map((r) => r.body?.job_ids), [active.map((job) => job.hpcjob_uuid)]);
    const status = new Map(simulator.jobs('jn1b', cluster.cluster_id).map((job) => [job.hpcjob_uuid, job.job_status]));
    assert.ok(active.every((job) => status.get(job.hpcjob_uuid) === 'cancelled'));
    assert.equal(status.get(finished.hpcjob_uuid), 'finished');
    assert.match(text, /^Cancelled 2 of 2 job\(s\)/);
    assert.ok(text.includes(`Left alone, neither pending nor running: ${finished.hpcjob_uuid}`), text);
  });

  it('refuse unknown ids, another cluster\'s ids and malformed input, and send nothing', async () => {
    const [mine, other] = [clusterOf('jn1a', 0), clusterOf('jn1a', 1)];
    const own = idsOf('jn1a', mine.cluster_id)[0];
    const foreign = idsOf('jn1a', other.cluster_id)[3];
    await invoke('ehpc_listJobs', { cluster_id: other.cluster_id, limit: 5 }); // how an agent learns ids
    const del = (input: object) => invoke('ehpc_deleteJobs', input);

    const unknown = await del({ cluster_id: mine.cluster_id, hpcjob_uuids: [own, 'hpcjob-nosuchjob'] });
    assert.match(unknown, new RegExp(`^Refused: 1 of the 2 ids are not jobs of cluster "${mine.cluster_name}" \\(${mine.cluster_id}\\); nothing was sent\\.`));
    assert.ok(unknown.includes('- hpcjob-nosuchjob: not listed in this cluster'), unknown);

    const elsewhere = await del({ cluster_id: mine.cluster_id, hpcjob_uuids: [own, foreign] });
    assert.ok(elsewhere.includes(`- ${foreign}: a job of cluster "${other.cluster_name}" (${other.cluster_id}) in zone jn1a, not of this cluster`), elsewhere);

    const malformed: [object, RegExp][] = [
      [{ cluster_id: mine.cluster_id, hpcjob_uuids: ['*'] }, /hpcjob_uuids\[0\]: "\*" does not match/],
      [{ cluster_id: mine.cluster_id, hpcjob_uuids: [own], all: true }, /unknown property "all"/],
      [{ cluster_id: mine.cluster_id }, /required property "hpcjob_uuids" is missing/],
      [{ cluster_id: 'genomics', hpcjob_uuids: [own] }, /cluster_id: "genomics" does not match/],
      [{ cluster_id: mine.cluster_id, hpcjob_uuids: [] }, /at least 1 required/],
    ];
    for (const [input, why] of malformed) {
      const text = await del(input);
      assert.match(text, /^Refused: the input is malformed; nothing was sent\./);
      assert.match(text, why);
      const prepared = await api.tools.deleteJobs.prepareInvocation!({ input }, token());
      assert.equal(prepared?.confirmationMessages, undefined, 'no question for what will not run');
    }
    assert.match(await del({ cluster_id: 'ehpc-nosuchcl', hpcjob_uuids: [own] }), /^Refused: No cluster ehpc-nosuchcl in the configured zones jn1a, jn1b\./);
    assert.match(await invoke('ehpc_cancelJobs', { cluster_id: mine.cluster_id, hpcjob_uuids: [foreign] }), /^Refused: 1 of the 1 ids/);

    assert.equal(sent('/api/job/deleteJobs').length + sent('/api/job/stopJobs').length, 0);
    assert.ok(idsOf('jn1a', mine.cluster_id).includes(own) && idsOf('jn1a', other.cluster_id).includes(foreign));
  });

  it('hold the per-call limit, also when it is raised between the question and the run', async () => {
    const cluster = clusterOf('jn1a', 1);
    const input = { cluster_id: cluster.cluster_id, hpcjob_uuids: idsOf('jn1a', cluster.cluster_id).slice(0, 3) };
    await config().update('agentMaxJobsPerCall', 2, vscode.ConfigurationTarget.Global);
    try {
      const text = await invoke('ehpc_deleteJobs', input);
      assert.match(text, /^Refused: 3 jobs named, but one call may name at most 2 \(setting ehpc\.agentMaxJobsPerCall\); nothing was sent\./);

      // Refused without a question, it stays refused: raising the limit now must not let it run unasked.
      const prepared = await api.tools.deleteJobs.prepareInvocation!({ input }, token());
      assert.equal(prepared?.confirmationMessages, undefined);
      await config().update('agentMaxJobsPerCall', 50, vscode.ConfigurationTarget.Global);
      const run = textOf(await api.tools.deleteJobs.invoke({ input, toolInvocationToken: undefined }, token()));
      assert.match(run, /^Refused: 3 jobs named, but one call may name at most 2/);
    } finally {
      await config().update('agentMaxJobsPerCall', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(sent('/api/job/deleteJobs').length, 0);
  });

  it('send nothing for an invoke without a confirmation of its own', async () => {
    const cluster = clusterOf('jn1a', 1);
    const input = { cluster_id: cluster.cluster_id, hpcjob_uuids: idsOf('jn1a', cluster.cluster_id).slice(0, 2) };
    simulator.clearRequests();
    const text = textOf(await api.tools.deleteJobs.invoke({ input, toolInvocationToken: undefined }, token()));
    assert.match(text, /^Refused: no confirmation was prepared for this call/);
    assert.equal(sent('/api/job/deleteJobs').length, 0);
    assert.deepEqual(idsOf('jn1a', cluster.cluster_id).slice(0, 2), input.hpcjob_uuids);
  });

  it('say what is still listed and why when the request fails', async () => {
    const cluster = clusterOf('jn1b', 1);
    const ids = idsOf('jn1b', cluster.cluster_id).slice(0, 2);
    simulator.failNext({ path: '/api/job/deleteJobs', retCode: 5100 });
    const text = await invoke('ehpc_deleteJobs', { cluster_id: cluster.cluster_id, hpcjob_uuids: ids });
    assert.match(text, /^Deleted 0 of 2 job\(s\)/);
    assert.match(text, new RegExp(`Not done \\(still listed\\): ${ids[0]} .*The request failed: The EHPC service is busy`));
    assert.deepEqual(idsOf('jn1b', cluster.cluster_id).slice(0, 2), ids);
  });

  it('say how to sign in when signed out, and ask for no keys', async () => {
    await api.credentials.delete(mainAccount(api));
    await waitFor(async () => !(await api.accounts.connection(mainAccount(api).name).isSignedIn()));
    const prompts = scriptedPrompts({});
    api.prompts = prompts;
    simulator.clearRequests();
    const input = { cluster_id: clusterOf('jn1a', 0).cluster_id, hpcjob_uuids: idsOf('jn1a', clusterOf('jn1a', 0).cluster_id).slice(0, 1) };
    for (const text of [await invoke('ehpc_listClusters', {}), await invoke('ehpc_listJobs', { cluster_id: input.cluster_id }), await invoke('ehpc_deleteJobs', input)]) {
      assert.match(text, /^Not signed in to QingCloud EHPC\. Ask the user to run the command "EHPC: Sign In"/);
    }
    assert.equal((await api.tools.deleteJobs.prepareInvocation!({ input }, token()))?.confirmationMessages, undefined);
    assert.deepEqual(prompts.asked, []);
    assert.equal(simulator.requests.length, 0);
  });
});
