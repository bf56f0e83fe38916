// The rows VS Code shows must stay known to the extension host, or a command run on a selection
// gets nothing for them. A stand-in for VS Code's tree: the extension host forgets an element's
// rows when the element is redrawn, and the workbench asks for them again, except while its
// own request for them is still on its way (it keeps that answer: rows the host no longer knows).
import './support/fakeVscode';
import * as assert from 'assert/strict';
import { Cluster, Job, Page } from '../../src/ehpc/types';
import type { Accounts } from '../../src/accounts/registry';
import { BusyMarks } from '../../src/tree/busyMarks';
import { ClientSource, ClusterModel } from '../../src/tree/model';
import { ClusterNode, JobNode, jobsFromTree, TreeNode } from '../../src/tree/nodes';
import { ClusterTreeProvider } from '../../src/tree/provider';
import { partRows } from './support/partRows';

const ACCOUNT = 'QingCloud';
const cluster: Cluster = { account: ACCOUNT, zone: 'pek3', clusterId: 'ehpc-a', name: 'a', status: 'active' };
const jobs: Job[] = Array.from({ length: 5 }, (_, i) => ({ account: ACCOUNT, zone: 'pek3', clusterId: 'ehpc-a', hpcjobUuid: `hpcjob-${i}`, name: `job ${i}`, status: 'running' }));

const client: Awaited<ReturnType<ClientSource['client']>> = {
  listAllClusters: () => Promise.resolve([cluster]),
  listJobs: (_zone, _clusterId, offset = 0): Promise<Page<Job>> => Promise.resolve({ items: jobs.slice(offset), totalCount: jobs.length }),
  listAllJobs: () => Promise.resolve([...jobs]),
};
const signedIn = { find: () => undefined, connection: () => ({ isSignedIn: () => Promise.resolve(true) }) } as unknown as Pick<Accounts, 'find' | 'connection'>;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What VS Code keeps of one cluster's rows, on both sides of its extension host. */
class TreeHost {
  /** The extension host's rows by id: what a command's arguments are looked up in. */
  readonly known = new Map<string, TreeNode>();
  /** The workbench's request for the rows under way (its answer still on its way back). */
  private asking = false;
  /** How long an answer takes to reach the workbench. */
  latencyMs = 20;

  constructor(
    private readonly provider: ClusterTreeProvider,
    private readonly parent: ClusterNode,
  ) {
    provider.onDidChangeTreeData((changed) => {
      if (changed === undefined || [changed].flat().includes(parent)) {
        this.known.clear();
        if (!this.asking) {
          void this.load();
        }
      }
    });
  }

  /** The workbench asks for the rows (expanding the cluster, or after a redraw of it). */
  async load(): Promise<void> {
    this.asking = true;
    for (const row of await this.provider.getChildren(this.parent)) {
      this.known.set(String(this.provider.getTreeItem(row).id), row);
    }
    await wait(this.latencyMs);
    this.asking = false;
  }
}

describe('tree rows and the selection', () => {
  let model: ClusterModel;
  let provider: ClusterTreeProvider;

  beforeEach(() => {
    model = new ClusterModel({ client: () => Promise.resolve(client) }, [{ name: ACCOUNT, zones: ['pek3'] }]);
    provider = new ClusterTreeProvider(model, signedIn, new BusyMarks(), undefined, partRows);
  });
  afterEach(() => provider.dispose());

  // Expanding a cluster loads its first page, which changes its row (the job count): redrawn
  // after the rows were sent, before the workbench has them, the rows were forgotten.
  it('the rows of a cluster just expanded stay known to commands after its first page redraws it', async () => {
    const [node] = await model.clusters(ACCOUNT, 'pek3');
    const host = new TreeHost(provider, node);
    model.setExpanded(node, true);
    await host.load();
    const ids = jobs.map((job) => `job:${ACCOUNT}/pek3/ehpc-a/${job.hpcjobUuid}`);
    for (let waited = 0; waited < 2000 && !ids.every((id) => host.known.has(id)); waited += 50) {
      await wait(50);
    }
    assert.deepEqual(ids.filter((id) => !host.known.has(id)), [], 'rows shown that the extension host no longer knows');
  });

  it('a cluster is redrawn once for its first page, not again', async () => {
    const [node] = await model.clusters(ACCOUNT, 'pek3');
    let redraws = 0;
    provider.onDidChangeTreeData((changed) => (redraws += changed && [changed].flat().includes(node) ? 1 : 0));
    await provider.getChildren(node);
    model.setExpanded(node, false);
    await wait(1000);
    assert.ok(redraws <= 1, `redrawn ${redraws} times`);
  });
});

describe('the jobs a tree command acts on', () => {
  const parent: ClusterNode = { kind: 'cluster', cluster, parent: undefined };
  const row = (job: Job): JobNode => ({ kind: 'job', job, parent });

  it('the selection when the clicked row is one of it, even as another object of the same job', () => {
    const selection = [row(jobs[0]), row(jobs[2]), row(jobs[3])];
    assert.deepEqual(jobsFromTree(row(jobs[2]), selection), [jobs[0], jobs[2], jobs[3]]);
  });

  it('the clicked row alone when it is not selected', () => {
    assert.deepEqual(jobsFromTree(row(jobs[4]), [row(jobs[0]), row(jobs[2])]), [jobs[4]]);
    assert.deepEqual(jobsFromTree(row({ ...jobs[2], clusterId: 'ehpc-b' }), [row(jobs[0]), row(jobs[2])]).length, 1, 'same id in another cluster');
  });

  it('jobs only, and a clicked cluster in the selection', () => {
    const selection = [parent, row(jobs[1])];
    assert.deepEqual(jobsFromTree(parent, selection), [jobs[1]]);
    assert.deepEqual(jobsFromTree(undefined, selection), []);
  });
});
