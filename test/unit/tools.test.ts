// The chat tools' delete and cancel in plain Node, against the simulator: what they cost in
// requests, that nothing runs without a confirmed preparation, and what a sign-out forgets.
// (test/vscode/tools.test.ts drives them through vscode.lm in a real VS Code.)
import { cancellationToken, resultText, toolHost, ToolHost } from './support/toolHost';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { EhpcClient } from '../../src/ehpc/client';
import { createTools, EhpcTools } from '../../src/tools';
import { Simulator, startSimulator } from '../../simulator/server';

// __dirname is out/test/unit.
const manifest: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const ZONE = 'jn1a';

function clientOf(simulator: Simulator): EhpcClient {
  return new EhpcClient({
    endpoint: simulator.endpoint,
    account: 'QingCloud',
    credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey },
    retry: { attempts: 1 },
  });
}

/** Requests by path, in the order of first arrival. */
function countByPath(requests: readonly { path: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const key = request.path.startsWith('/api/job/jobdetail/') ? '/api/job/jobdetail' : request.path;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('chat tools in plain Node', () => {
  describe('the requests a delete costs in a cluster of 5,000 jobs', function () {
    this.timeout(30_000);
    let simulator: Simulator;
    let host: ToolHost;
    let tools: EhpcTools;

    before(async () => {
      simulator = await startSimulator({ zones: [ZONE], clustersPerZone: 1, jobsPerCluster: 5000 });
    });
    after(() => simulator.close());
    beforeEach(() => {
      host = toolHost([ZONE], clientOf(simulator));
      tools = createTools(host.services, manifest);
    });

    /** Deletes the jobs at these positions of the list; the requests of each step, by path. */
    async function deleteAt(positions: number[]): Promise<{ asking: Record<string, number>; checking: Record<string, number>; total: number; text: string }> {
      const [cluster] = simulator.clusters(ZONE);
      const jobs = simulator.jobs(ZONE, cluster.cluster_id);
      const input = { cluster_id: cluster.cluster_id, hpcjob_uuids: positions.map((i) => jobs[i].hpcjob_uuid) };
      simulator.clearRequests();
      const asked = await tools.deleteJobs.prepareInvocation!({ input }, cancellationToken);
      assert.ok(asked?.confirmationMessages, 'a question is asked');
      const asking = countByPath(simulator.requests);
      simulator.clearRequests();
      const text = resultText(await tools.deleteJobs.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
      const sentAt = simulator.requests.findIndex((r) => r.path === '/api/job/deleteJobs');
      assert.ok(sentAt >= 0, text);
      assert.deepEqual(simulator.requests[sentAt].body?.job_ids, input.hpcjob_uuids);
      const left = new Set(simulator.jobs(ZONE, cluster.cluster_id).map((job) => job.hpcjob_uuid));
      assert.ok(input.hpcjob_uuids.every((id) => !left.has(id)), 'the jobs are gone');
      const total = Object.values(asking).reduce((sum, n) => sum + n, 0) + simulator.requests.length;
      return { asking, checking: countByPath(simulator.requests.slice(0, sentAt)), total, text };
    }

    it('two jobs on the first page: the clusters and one page, before asking and again before sending', async () => {
      const { asking, checking, total, text } = await deleteAt([3, 7]);
      assert.match(text, /^Deleted 2 of 2 job\(s\)/);
      // Listing every page before asking, before sending and after made it 154.
      assert.ok(total <= 9, `${total} requests in all`);
      assert.deepEqual(asking, { '/api/cluster/list': 1, '/api/job/list': 1 });
      assert.deepEqual(checking, { '/api/cluster/list': 1, '/api/job/list': 1 });
    });

    it('two jobs deep in the list: the clusters, one page and one detail per job, each time', async () => {
      const { asking, checking, total, text } = await deleteAt([3000, 4000]);
      assert.match(text, /^Deleted 2 of 2 job\(s\)/);
      assert.ok(total <= 13, `${total} requests in all`);
      assert.deepEqual(asking, { '/api/cluster/list': 1, '/api/job/list': 1, '/api/job/jobdetail': 2 });
      assert.deepEqual(checking, { '/api/cluster/list': 1, '/api/job/list': 1, '/api/job/jobdetail': 2 });
    });
  });

  describe('delete and cancel fail closed', () => {
    let simulator: Simulator;
    let host: ToolHost;
    let tools: EhpcTools;
    const cluster = () => simulator.clusters(ZONE)[0];
    const ids = () => simulator.jobs(ZONE, cluster().cluster_id).map((job) => job.hpcjob_uuid);
    const sends = () => simulator.requests.filter((r) => r.method === 'POST');
    const invoke = async (tool: EhpcTools['deleteJobs'], input: object) =>
      resultText(await tool.invoke({ input, toolInvocationToken: undefined }, cancellationToken));
    const prepare = (tool: EhpcTools['deleteJobs'], input: object) => tool.prepareInvocation!({ input }, cancellationToken);

    before(async () => {
      simulator = await startSimulator({ zones: [ZONE], clustersPerZone: 2, jobsPerCluster: 30 });
    });
    after(() => simulator.close());
    beforeEach(() => {
      simulator.clearRequests();
      host = toolHost([ZONE], clientOf(simulator));
      tools = createTools(host.services, manifest);
    });

    it('send nothing for an invoke that was never prepared', async () => {
      const input = { cluster_id: cluster().cluster_id, hpcjob_uuids: ids().slice(0, 2) };
      for (const tool of [tools.deleteJobs, tools.cancelJobs]) {
        const text = await invoke(tool, input);
        assert.match(text, /^Refused: no confirmation was prepared for this call/);
        assert.match(text, /nothing was sent/);
      }
      assert.deepEqual(sends(), []);
      assert.deepEqual(ids().slice(0, 2), input.hpcjob_uuids);
    });

    it('send nothing once the decision was evicted by later preparations', async () => {
      const input = { cluster_id: cluster().cluster_id, hpcjob_uuids: ids().slice(0, 1) };
      assert.ok((await prepare(tools.deleteJobs, input))?.confirmationMessages);
      for (let i = 0; i < 20; i++) {
        await prepare(tools.deleteJobs, { cluster_id: cluster().cluster_id, hpcjob_uuids: [ids()[i + 1]] });
      }
      assert.match(await invoke(tools.deleteJobs, input), /^Refused: no confirmation was prepared/);
      assert.deepEqual(sends(), []);
    });

    it('two identical calls prepared at once: the first invoke takes both decisions, the second finds none', async () => {
      const input = { cluster_id: cluster().cluster_id, hpcjob_uuids: ids().slice(0, 2) };
      await Promise.all([prepare(tools.deleteJobs, input), prepare(tools.deleteJobs, input)]);
      const [first, second] = await Promise.all([invoke(tools.deleteJobs, input), invoke(tools.deleteJobs, input)]);
      assert.match(first, /^Deleted 2 of 2 job\(s\)/, first);
      assert.match(second, /^Refused: no confirmation was prepared/);
      assert.equal(sends().length, 1, 'the jobs were sent once');
    });

    it('one preparation lets one invoke run, not two', async () => {
      const input = { cluster_id: cluster().cluster_id, hpcjob_uuids: ids().slice(0, 1) };
      await prepare(tools.deleteJobs, input);
      assert.match(await invoke(tools.deleteJobs, input), /^Deleted 1 of 1 job\(s\)/);
      assert.match(await invoke(tools.deleteJobs, input), /^Refused: no confirmation was prepared/);
      assert.equal(sends().length, 1);
    });

    it('forget prepared decisions and known jobs when the stored key changes', async () => {
      const [mine, other] = simulator.clusters(ZONE);
      const foreign = simulator.jobs(ZONE, other.cluster_id)[0].hpcjob_uuid;
      await tools.listJobs.invoke({ input: { cluster_id: other.cluster_id, limit: 5 }, toolInvocationToken: undefined }, cancellationToken);
      const naming = { cluster_id: mine.cluster_id, hpcjob_uuids: [foreign] };
      await prepare(tools.deleteJobs, naming);
      const before = await invoke(tools.deleteJobs, naming);
      assert.ok(before.includes(`a job of cluster "${other.cluster_name}" (${other.cluster_id})`), before);

      const input = { cluster_id: mine.cluster_id, hpcjob_uuids: ids().slice(0, 1) };
      assert.ok((await prepare(tools.deleteJobs, input))?.confirmationMessages);
      host.changeCredentials();
      assert.match(await invoke(tools.deleteJobs, input), /^Refused: no confirmation was prepared/);
      assert.deepEqual(sends(), []);

      await prepare(tools.deleteJobs, naming);
      const after = await invoke(tools.deleteJobs, naming);
      assert.ok(after.includes(`- ${foreign}: not listed in this cluster`), after);
      assert.ok(!after.includes(other.cluster_id), after);
    });
  });
});
