// ehpc_startCluster and ehpc_stopCluster in plain Node, against the simulator: the question
// names every cluster with its jobs, one request per zone, the answer says what the list says
// afterwards, and nothing is sent unless exactly what the user confirmed can be.
import { cancellationToken, resultText, toolHost, ToolHost } from './support/toolHost';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { EhpcClient } from '../../src/ehpc/client';
import { createTools, EhpcTools } from '../../src/tools';
import { Simulator, startSimulator } from '../../simulator/server';

const manifest: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const ZONES = ['jn1a', 'jn1b'];

describe('chat tools that start and stop clusters', function () {
  this.timeout(20_000);
  let simulator: Simulator;
  let host: ToolHost;
  let tools: EhpcTools;

  beforeEach(async () => {
    simulator = await startSimulator({ zones: ZONES, clustersPerZone: 2, jobsPerCluster: [3, 0], clusterPowerMs: 30 });
    const client = new EhpcClient({
      endpoint: simulator.endpoint,
      account: 'QingCloud',
      credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey },
      retry: { attempts: 1 },
    });
    host = toolHost(ZONES, client);
    tools = createTools(host.services, manifest);
  });
  afterEach(() => simulator.close());

  const first = (zone: string) => simulator.clusters(zone)[0];
  const sent = (action: 'start' | 'stop') => simulator.requests.filter((r) => r.path === `/api/cluster/${action}Cluster`);
  const message = (asked: { confirmationMessages?: { message: unknown } } | null | undefined) => String((asked?.confirmationMessages?.message as { value?: string } | undefined)?.value ?? '').replace(/\\(.)/g, '$1');

  it('stop in two zones: the question names each cluster and its jobs; one request per zone; the answer is what the list says', async () => {
    const [a, b] = [first('jn1a'), first('jn1b')];
    const input = { cluster_ids: [a.cluster_id, b.cluster_id] };
    const asked = await tools.stopCluster.prepareInvocation!({ input }, cancellationToken);
    assert.equal(asked?.confirmationMessages?.title, 'Stop 2 clusters?');
    const text = message(asked);
    for (const [zone, cluster] of [['jn1a', a], ['jn1b', b]] as const) {
      assert.ok(text.includes(`“${cluster.cluster_name}” (${cluster.cluster_id}) in zone ${zone}: ${cluster.running_job_count} running, ${cluster.pending_job_count} pending`), text);
    }
    assert.equal(sent('stop').length, 0, 'sent before the user confirmed');
    const answer = resultText(await tools.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
    assert.deepEqual(sent('stop').map((r) => [r.body?.zone, r.body?.cluster_ids]), [['jn1a', [a.cluster_id]], ['jn1b', [b.cluster_id]]]);
    assert.match(answer, /^Stopped 2 of 2 cluster\(s\)/);
    assert.ok(answer.includes(`(${a.cluster_id}), zone jn1a: stopped.`), answer);
    assert.equal(first('jn1a').cluster_status, 'stopped');
  });

  it('refuses an id that is no cluster of the configured zones, and sends nothing', async () => {
    const input = { cluster_ids: [first('jn1a').cluster_id, 'ehpc-nosuch1'] };
    const asked = await tools.stopCluster.prepareInvocation!({ input }, cancellationToken);
    assert.equal(asked?.confirmationMessages, undefined, 'a question for a call that will be refused');
    const answer = resultText(await tools.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
    assert.match(answer, /^Refused: 1 of the 2 cluster ids cannot be used; nothing was sent\.\n- ehpc-nosuch1: not a cluster/);
    assert.equal(sent('stop').length, 0);
  });

  it('sends nothing without a question for exactly this call, nor after the key changed', async () => {
    const input = { cluster_ids: [first('jn1a').cluster_id] };
    assert.match(resultText(await tools.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken)), /^Refused: no confirmation was prepared/);
    await tools.stopCluster.prepareInvocation!({ input }, cancellationToken);
    host.changeCredentials();
    assert.match(resultText(await tools.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken)), /^Refused: no confirmation was prepared/);
    assert.equal(sent('stop').length, 0);
  });

  it('refuses a stop when a cluster has more jobs than the question named, or is no longer active', async () => {
    const [a, b] = [first('jn1a'), first('jn1b')];
    const input = { cluster_ids: [a.cluster_id, b.cluster_id] };
    await tools.stopCluster.prepareInvocation!({ input }, cancellationToken);
    simulator.addJob('jn1a', a.cluster_id, { job_status: 'running' });
    const answer = resultText(await tools.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
    assert.match(answer, /^Refused: the clusters changed since the user confirmed; nothing was sent\./);
    assert.match(answer, /more than the \d+ and \d+ that every question for this same call named/);

    await tools.stopCluster.prepareInvocation!({ input }, cancellationToken);
    // Someone else stops one meanwhile: the other alone was not what the user confirmed.
    await tools.stopCluster.prepareInvocation!({ input: { cluster_ids: [b.cluster_id] } }, cancellationToken);
    await tools.stopCluster.invoke({ input: { cluster_ids: [b.cluster_id] }, toolInvocationToken: undefined }, cancellationToken);
    simulator.clearRequests();
    const second = resultText(await tools.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
    assert.match(second, new RegExp(`^Refused: the clusters changed[^]*\\(${b.cluster_id}\\): now stopped`));
    assert.equal(sent('stop').length, 0);
  });

  it('two identical calls whose questions counted different jobs: the invoke holds to the fewer, and stops nothing', async () => {
    const a = simulator.clusters('jn1b')[1];
    const input = { cluster_ids: [a.cluster_id] };
    const [running, pending] = [a.running_job_count, a.pending_job_count];
    const approved = await tools.stopCluster.prepareInvocation!({ input }, cancellationToken);
    assert.ok(message(approved).includes(`: ${running} running, ${pending} pending`), message(approved));
    simulator.addJob('jn1b', a.cluster_id, { job_status: 'running' });
    const declined = await tools.stopCluster.prepareInvocation!({ input }, cancellationToken);
    assert.ok(message(declined).includes(`: ${running + 1} running, ${pending} pending`), message(declined));
    // VS Code invokes the approved call only; it cannot say which question that was.
    const answer = resultText(await tools.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
    assert.match(answer, /^Refused: the clusters changed since the user confirmed; nothing was sent\.[^]*/);
    assert.ok(answer.includes(`more than the ${running} and ${pending} that every question for this same call named`), answer);
    assert.equal(sent('stop').length, 0);
    assert.match(resultText(await tools.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken)), /^Refused: no confirmation was prepared/);
  });

  it('refuses to ask about a stop when the list does not count the cluster\'s jobs, rather than saying "0 running"', async () => {
    const client = new EhpcClient({ endpoint: simulator.endpoint, account: 'QingCloud', credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey }, retry: { attempts: 1 } });
    const listed = client.listAllClusters.bind(client);
    client.listAllClusters = async (zone) => (await listed(zone)).map(({ runningJobCount: _running, pendingJobCount: _pending, ...cluster }) => cluster);
    const uncounted = createTools(toolHost(ZONES, client).services, manifest);
    const input = { cluster_ids: [first('jn1a').cluster_id] };
    const asked = await uncounted.stopCluster.prepareInvocation!({ input }, cancellationToken);
    assert.equal(asked?.confirmationMessages, undefined, 'no question that would name 0 jobs');
    const answer = resultText(await uncounted.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
    assert.match(answer, /^Refused: the cluster list does not say how many jobs run on .*nothing was sent/);
    assert.equal(sent('stop').length, 0);
  });

  it('start: only stopped clusters go; with none, nothing to do', async () => {
    const a = first('jn1a');
    const input = { cluster_ids: [a.cluster_id] };
    const none = await tools.startCluster.prepareInvocation!({ input }, cancellationToken);
    assert.equal(none?.confirmationMessages, undefined);
    assert.match(resultText(await tools.startCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken)), /^Nothing to do: none of the clusters can be started/);
    await tools.stopCluster.prepareInvocation!({ input }, cancellationToken);
    await tools.stopCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken);
    const asked = await tools.startCluster.prepareInvocation!({ input }, cancellationToken);
    assert.equal(asked?.confirmationMessages?.title, `Start cluster “${a.cluster_name}”?`);
    const answer = resultText(await tools.startCluster.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
    assert.match(answer, /^Started 1 of 1 cluster\(s\)[^]*: active\.$/);
    assert.equal(sent('start').length, 1);
  });
});
