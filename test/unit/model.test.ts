// The tree model's loads and their races, in plain Node: a stand-in server answers each list
// request when the test says so, with the data it held when the request arrived.
import './support/fakeVscode';
import * as assert from 'assert/strict';
import { clusterKey } from '../../src/ehpc/batch';
import { JobFilter, PAGE_SIZE } from '../../src/ehpc/client';
import { Cluster, Job, Page } from '../../src/ehpc/types';
import type { Accounts } from '../../src/accounts/registry';
import { BusyMarks } from '../../src/tree/busyMarks';
import { ClientSource, ClusterModel, ModelAccount } from '../../src/tree/model';
import { ClusterNode, JobNode, TreeNode } from '../../src/tree/nodes';
import { ClusterTreeProvider } from '../../src/tree/provider';
import { partRows } from './support/partRows';

/** The account of the tests about one account. */
const ACCOUNT = 'QingCloud';

interface Request {
  /** The account whose client sent it. */
  readonly account: string;
  readonly what: 'clusters' | 'jobs';
  readonly zone: string;
  readonly clusterId?: string;
  readonly offset?: number;
  readonly filter?: JobFilter;
  /** Sends the answer (what the server held when the request came). */
  answer(): void;
  fail(error: Error): void;
}

/**
 * One account's clusters and jobs per zone, as its key lists them; requests wait for
 * `answer()` while `hold` is set.
 */
class FakeServer {
  constructor(readonly account = ACCOUNT) {}

  readonly clusters = new Map<string, Cluster[]>();
  readonly jobs = new Map<string, Job[]>();
  readonly requests: Request[] = [];
  /** Requests not answered yet, oldest first. */
  readonly waiting: Request[] = [];
  hold = false;

  addCluster(zone: string, clusterId: string, jobCount: number, fields: Partial<Cluster> = {}): Cluster {
    const cluster: Cluster = { account: this.account, zone, clusterId, name: `${clusterId} name`, status: 'active', ...fields };
    this.clusters.set(zone, [...(this.clusters.get(zone) ?? []), cluster]);
    const jobs = Array.from({ length: jobCount }, (_, i): Job => ({
      account: this.account,
      zone,
      clusterId,
      hpcjobUuid: `hpcjob-${clusterId}-${i}`,
      name: `job ${i}`,
      status: i % 2 ? 'running' : 'finished',
    }));
    this.jobs.set(this.key(zone, clusterId), jobs);
    return cluster;
  }

  setCluster(zone: string, clusterId: string, fields: Partial<Cluster>): void {
    this.clusters.set(zone, (this.clusters.get(zone) ?? []).map((c) => (c.clusterId === clusterId ? { ...c, ...fields } : c)));
  }

  removeJobs(zone: string, clusterId: string, hpcjobUuids: readonly string[]): void {
    const key = this.key(zone, clusterId);
    this.jobs.set(key, (this.jobs.get(key) ?? []).filter((job) => !hpcjobUuids.includes(job.hpcjobUuid)));
  }

  key(zone: string, clusterId: string): string {
    return clusterKey({ account: this.account, zone, clusterId });
  }

  listJobCalls(): Request[] {
    return this.requests.filter((r) => r.what === 'jobs');
  }

  readonly client: Awaited<ReturnType<ClientSource['client']>> = {
    listAllClusters: (zone) => this.request({ what: 'clusters', zone }, () => [...(this.clusters.get(zone) ?? [])]),
    listJobs: (zone, clusterId, offset = 0, filter = {}) =>
      this.request({ what: 'jobs', zone, clusterId, offset, filter }, (): Page<Job> => {
        const all = (this.jobs.get(this.key(zone, clusterId)) ?? []).filter(
          (job) => (!filter.status || job.status === filter.status) && (!filter.searchWord || job.name.includes(filter.searchWord)),
        );
        return { items: all.slice(offset, offset + PAGE_SIZE), totalCount: all.length };
      }),
    listAllJobs: async (zone, clusterId, filter = {}) => {
      const jobs: Job[] = [];
      for (;;) {
        const page = await this.client.listJobs(zone, clusterId, jobs.length, filter);
        jobs.push(...page.items);
        if (page.items.length === 0 || jobs.length >= page.totalCount) {
          return jobs;
        }
      }
    },
  };

  private request<T>(fields: Omit<Request, 'account' | 'answer' | 'fail'>, data: () => T): Promise<T> {
    const snapshot = data();
    return new Promise<T>((resolve, reject) => {
      const request: Request = {
        account: this.account,
        ...fields,
        answer: () => {
          this.waiting.splice(this.waiting.indexOf(request), 1);
          resolve(snapshot);
        },
        fail: (error) => {
          this.waiting.splice(this.waiting.indexOf(request), 1);
          reject(error);
        },
      };
      this.requests.push(request);
      this.waiting.push(request);
      if (!this.hold) {
        request.answer();
      }
    });
  }
}

/**
 * Hands each account the client of its own server, and records which account each client
 * was asked for; an account without a server is refused, as a signed-out one is.
 */
class FakeSource implements ClientSource {
  readonly asked: string[] = [];
  constructor(private readonly servers: readonly FakeServer[]) {}
  client(account: string): ReturnType<ClientSource['client']> {
    this.asked.push(account);
    const server = this.servers.find((candidate) => candidate.account === account);
    return server ? Promise.resolve(server.client) : Promise.reject(new Error(`no client for ${account}`));
  }
}

/** Lets the model's awaits run (its loads reach the server or take in the answers). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('tree model', () => {
  let server: FakeServer;
  let model: ClusterModel;

  beforeEach(() => {
    server = new FakeServer();
    server.addCluster('pek3', 'ehpc-small', 12, { runningJobCount: 1, pendingJobCount: 2 });
    server.addCluster('pek3', 'ehpc-big', 250);
    model = new ClusterModel(new FakeSource([server]), [{ name: ACCOUNT, zones: ['pek3'] }]);
  });

  const cluster = async (clusterId: string, zone = 'pek3', account = ACCOUNT): Promise<ClusterNode> => {
    const found = (await model.clusters(account, zone)).find((node) => node.cluster.clusterId === clusterId);
    assert.ok(found, `no cluster ${clusterId}`);
    return found;
  };
  const ids = (nodes: readonly JobNode[] | undefined) => nodes?.map((node) => node.job.hpcjobUuid);

  describe('cluster lists', () => {
    it('ends with the newer of two overlapping loads when the older answers last', async () => {
      await cluster('ehpc-small');
      server.hold = true;
      model.refresh();
      const older = model.clusters(ACCOUNT, 'pek3');
      await settle();
      server.setCluster('pek3', 'ehpc-small', { status: 'stopped', name: 'renamed' });
      server.addCluster('pek3', 'ehpc-new', 0);
      model.refresh();
      const newer = model.clusters(ACCOUNT, 'pek3');
      await settle();
      const [first, second] = server.waiting;
      second.answer();
      await newer;
      first.answer();
      await older;

      const shown = await model.clusters(ACCOUNT, 'pek3');
      assert.deepEqual(shown.map((node) => node.cluster.clusterId), ['ehpc-small', 'ehpc-big', 'ehpc-new']);
      assert.equal(shown[0].cluster.status, 'stopped', 'the older list overwrote the cluster');
      assert.equal(shown[0].cluster.name, 'renamed');
      assert.deepEqual(await older, shown, 'whoever waited for the older load gets what is shown');
    });

    it('keeps a newer list when an auto-refresh that began before it answers after it', async () => {
      await cluster('ehpc-small');
      server.hold = true;
      const background = model.reloadShown();
      await settle();
      server.setCluster('pek3', 'ehpc-small', { status: 'stopped' });
      model.refresh();
      const newer = model.clusters(ACCOUNT, 'pek3');
      await settle();
      server.waiting[1].answer();
      await newer;
      server.waiting[0].answer();
      await background;
      assert.equal((await cluster('ehpc-small')).cluster.status, 'stopped');
    });
  });

  describe('job counts of clusters', () => {
    // The description keeps the cluster list's running and pending counts; the tooltip gives the loaded jobs' total.
    const description = (provider: ClusterTreeProvider, node: TreeNode) => {
      const item = provider.getTreeItem(node);
      return `${String(item.description)} | ${(item.tooltip as { value: string }).value}`;
    };
    let provider: ClusterTreeProvider;
    beforeEach(() => {
      provider = new ClusterTreeProvider(model, {} as Pick<Accounts, 'find' | 'connection'>, new BusyMarks(), undefined, partRows);
    });

    it('drops a collapsed cluster\'s old job count when the cluster list is loaded again', async () => {
      const small = await cluster('ehpc-small');
      await model.jobs(small); // expanded once, then collapsed
      model.setExpanded(small, true);
      model.setExpanded(small, false);
      assert.match(description(provider, small), /Jobs: 12/);

      server.removeJobs('pek3', 'ehpc-small', ['hpcjob-ehpc-small-1']);
      server.setCluster('pek3', 'ehpc-small', { runningJobCount: 0, pendingJobCount: 3 });
      await model.reloadShown();
      assert.doesNotMatch(description(provider, small), /Jobs:/);
      assert.match(description(provider, small), /0 running, 3 pending/);

      model.refresh();
      await cluster('ehpc-small');
      assert.doesNotMatch(description(provider, small), /Jobs: 12/, 'a manual refresh keeps the old count');
    });

    it('keeps an expanded cluster\'s count, as fresh as its jobs', async () => {
      const small = await cluster('ehpc-small');
      model.setExpanded(small, true);
      await model.jobs(small);
      server.removeJobs('pek3', 'ehpc-small', ['hpcjob-ehpc-small-1']);
      await model.reloadShown();
      assert.match(description(provider, small), /Jobs: 11/);
    });
  });

  describe('job lists', () => {
    it('drops a job load older than the one shown', async () => {
      const small = await cluster('ehpc-small');
      server.hold = true;
      const older = model.jobs(small);
      await settle();
      server.removeJobs('pek3', 'ehpc-small', ['hpcjob-ehpc-small-0']);
      model.refresh(small);
      const newer = model.jobs(small);
      await settle();
      server.waiting[1].answer();
      await newer;
      server.waiting[0].answer();
      await older;
      assert.equal(model.loadedJobList(small)?.totalCount, 11);
      assert.ok(!ids(model.loadedJobList(small)?.nodes)?.includes('hpcjob-ehpc-small-0'), 'a deleted job came back');
    });

    it('does not show a load made under a filter since replaced', async () => {
      const small = await cluster('ehpc-small');
      server.hold = true;
      const unfiltered = model.jobs(small);
      await settle();
      model.setFilter({ status: 'running' });
      const filtered = model.jobs(small);
      await settle();
      server.waiting[1].answer();
      await filtered;
      server.waiting[0].answer();
      await unfiltered;
      const shown = model.loadedJobList(small)?.nodes ?? [];
      assert.equal(shown.length, 6);
      assert.ok(shown.every((node) => node.job.status === 'running'));
    });

    it('keeps the pages of Load More, and the same nodes, through a refresh of the cluster, its zone or everything', async () => {
      const big = await cluster('ehpc-big');
      await model.jobs(big);
      await model.loadMore(big);
      const onPageTwo = model.loadedJobList(big)!.nodes[150];
      for (const refresh of [() => model.refresh(big), () => model.refresh(model.zoneNode(ACCOUNT, 'pek3')), () => model.refresh()]) {
        refresh();
        const { nodes } = await model.jobs(await cluster('ehpc-big'));
        assert.equal(nodes.length, 200, 'the refresh dropped the pages loaded with Load More');
        assert.equal(nodes[150], onPageTwo, 'the node changed: VS Code would lose the selection');
      }
      assert.deepEqual(server.listJobCalls().map((r) => r.offset), [0, 100, 0, 100, 0, 100, 0, 100]);
    });

    it('keeps the pages of Load More through reloadShown, with the same nodes; a collapsed cluster forgets its list', async () => {
      const [big, small] = [await cluster('ehpc-big'), await cluster('ehpc-small')];
      model.setExpanded(big, true);
      await model.jobs(big);
      await model.loadMore(big);
      await model.jobs(small); // collapsed
      const before = model.loadedJobList(big)!.nodes;
      const calls = server.listJobCalls().length;
      await model.reloadShown();
      assert.deepEqual(model.loadedJobList(big)!.nodes, before);
      assert.equal(server.listJobCalls().length, calls + 2, 'two pages of the expanded cluster, nothing of the collapsed one');
      await model.jobs(small);
      assert.equal(server.listJobCalls().length, calls + 3, 'the collapsed cluster is listed again when expanded');
    });

    it('loads the next page on Load More clicked while a refresh loads', async () => {
      const big = await cluster('ehpc-big');
      await model.jobs(big);
      server.hold = true;
      model.refresh(big);
      const refreshing = model.jobs(big);
      const more = model.loadMore(big);
      await settle();
      server.waiting[0].answer();
      await refreshing;
      await settle();
      server.waiting[0].answer();
      await more;
      assert.equal(model.loadedJobList(big)?.nodes.length, 200);
    });

    it('keeps the page of a Load More under way when a refresh starts, whichever answers first', async () => {
      for (const refreshFirst of [true, false]) {
        model = new ClusterModel(new FakeSource([server]), [{ name: ACCOUNT, zones: ['pek3'] }]);
        server.hold = false;
        const big = await cluster('ehpc-big');
        await model.jobs(big);
        server.hold = true;
        const more = model.loadMore(big);
        await settle();
        model.refresh(big);
        const refreshing = model.jobs(big);
        await settle();
        while (server.waiting.length > 0) {
          server.waiting[refreshFirst ? server.waiting.length - 1 : 0].answer();
          await settle();
        }
        await Promise.all([more, refreshing]);
        assert.equal(model.loadedJobList(big)?.nodes.length, 200, `refresh answered ${refreshFirst ? 'first' : 'last'}`);
        assert.equal((await model.jobs(big)).nodes.length, 200);
      }
    });

    it('does not let the palette\'s listing of every job change how much the tree loads', async () => {
      server.addCluster('pek3', 'ehpc-huge', 1000);
      const huge = await cluster('ehpc-huge');
      model.setExpanded(huge, true);
      await model.jobs(huge);
      const all = await model.allJobs({ account: ACCOUNT, zone: 'pek3', clusterId: 'ehpc-huge' });
      assert.equal(all.length, 1000);
      assert.equal(model.loadedJobList(huge)?.nodes.length, 100, 'the picker\'s listing became the tree\'s');

      const calls = server.listJobCalls().length;
      await model.reloadShown();
      assert.equal(server.listJobCalls().length - calls, 1, 'each refresh lists every page');
      model.refresh(huge);
      await model.jobs(huge);
      assert.equal(server.listJobCalls().length - calls, 2);
    });
  });

  describe('forgetting (sign-out, another account)', () => {
    it('forgets clusters, jobs and expansion, and a load under way does not bring them back', async () => {
      const big = await cluster('ehpc-big');
      model.setExpanded(big, true);
      await model.jobs(big);
      server.hold = true;
      model.refresh();
      const clustersLoading = model.clusters(ACCOUNT, 'pek3');
      const jobsLoading = model.jobs(big);
      await settle();
      let redrawn = 0;
      model.onDidChange(() => redrawn++);

      model.forget(ACCOUNT);
      assert.equal(redrawn, 1);
      assert.equal(model.findCluster(big.cluster), undefined);
      assert.equal(model.loadedJobList(big), undefined);
      // The old account's answers arrive after the sign-out.
      for (const request of [...server.waiting]) {
        request.answer();
      }
      await Promise.all([clustersLoading, jobsLoading]);
      assert.equal(model.findCluster(big.cluster), undefined, 'the old account\'s cluster came back');
      assert.equal(model.loadedJobList(big), undefined, 'the old account\'s jobs came back');

      // The next account starts from nothing: fresh requests, nothing expanded.
      server.hold = false;
      const calls = server.requests.length;
      const fresh = await cluster('ehpc-big');
      assert.notEqual(fresh, big);
      assert.equal((await model.jobs(fresh)).nodes.length, 100);
      assert.equal(server.requests.length - calls, 2);
      await model.reloadShown();
      assert.equal(server.requests.length - calls, 3, 'the old expansion made reloadShown list jobs');
    });
  });

  describe('zones', () => {
    it('puts clusters under zone rows after setAccounts, and a load under the old zones does not take over', async () => {
      server.addCluster('sh1a', 'ehpc-sh', 3);
      const flat = await cluster('ehpc-small');
      assert.equal(flat.parent, undefined);
      server.hold = true;
      model.refresh(flat);
      const oldLoad = model.jobs(flat);
      await settle();
      let redrawn = 0;
      model.onDidChange(() => redrawn++);

      model.setAccounts([{ name: ACCOUNT, zones: ['pek3', 'sh1a'] }]);
      assert.equal(redrawn, 1);
      assert.ok(model.showsZones(ACCOUNT));
      assert.ok(!model.showsAccounts, 'one account shows no account row');
      server.hold = false;
      const small = await cluster('ehpc-small');
      assert.equal(small.parent, model.zoneNode(ACCOUNT, 'pek3'));
      assert.equal((await cluster('ehpc-sh', 'sh1a')).parent, model.zoneNode(ACCOUNT, 'sh1a'));
      server.waiting[0].answer(); // the load begun under the old zones answers now
      await oldLoad;
      const jobs = await model.jobs(small);
      assert.equal(model.loadedJobList(small), jobs);
      assert.ok(jobs.nodes.every((node) => node.parent === small), 'a job row points at a cluster row no longer shown');
    });
  });

  describe('several accounts', () => {
    // 'Lab/gpu' begins with 'Lab/': a key prefix made of raw names would take one for the other.
    let lab: FakeServer;
    let gpu: FakeServer;
    let source: FakeSource;
    const accounts: ModelAccount[] = [{ name: 'Lab', zones: ['pek3'] }, { name: 'Lab/gpu', zones: ['pek3'] }];

    beforeEach(() => {
      lab = new FakeServer('Lab');
      gpu = new FakeServer('Lab/gpu');
      // The same cluster id under both accounts (two keys of one owner), and one of B's own.
      lab.addCluster('pek3', 'ehpc-shared', 3);
      gpu.addCluster('pek3', 'ehpc-shared', 5);
      gpu.addCluster('pek3', 'ehpc-gpu', 2);
      source = new FakeSource([lab, gpu]);
      model = new ClusterModel(source, accounts);
    });

    it("loads each account's clusters and jobs with that account's own client, under the account's row", async () => {
      assert.ok(model.showsAccounts);
      const fromLab = await cluster('ehpc-shared', 'pek3', 'Lab');
      const fromGpu = await cluster('ehpc-shared', 'pek3', 'Lab/gpu');
      assert.notEqual(fromLab, fromGpu, 'one cluster id under two accounts is two rows');
      assert.equal(fromLab.cluster.account, 'Lab');
      assert.equal(fromGpu.cluster.account, 'Lab/gpu');
      assert.equal(fromLab.parent, model.accountNode('Lab'));
      assert.equal(fromGpu.parent, model.accountNode('Lab/gpu'));
      assert.equal(model.findCluster({ account: 'Lab/gpu', zone: 'pek3', clusterId: 'ehpc-shared' }), fromGpu);
      assert.deepEqual((await model.clusters('Lab', 'pek3')).map((node) => node.cluster.clusterId), ['ehpc-shared'], "Lab was shown Lab/gpu's cluster");

      assert.equal((await model.jobs(fromGpu)).totalCount, 5);
      assert.equal((await model.jobs(fromLab)).totalCount, 3);
      assert.ok(model.loadedJobList(fromGpu)!.nodes.every((node) => node.job.account === 'Lab/gpu' && node.parent === fromGpu));
      assert.deepEqual(lab.requests.map((r) => [r.account, r.what]), [['Lab', 'clusters'], ['Lab', 'jobs']]);
      assert.deepEqual(gpu.requests.map((r) => [r.account, r.what]), [['Lab/gpu', 'clusters'], ['Lab/gpu', 'jobs']]);
      assert.deepEqual([...new Set(source.asked)].sort(), ['Lab', 'Lab/gpu']);

      const all = await model.allJobs(fromGpu.cluster);
      assert.equal(all.length, 5);
      assert.equal(gpu.listJobCalls().length, 2, "the palette's listing went to another account's client");
    });

    it("forget('Lab') drops Lab's rows, and a load of Lab under way is not shown; Lab/gpu's rows stay and load on", async () => {
      const [labShared, gpuShared] = [await cluster('ehpc-shared', 'pek3', 'Lab'), await cluster('ehpc-shared', 'pek3', 'Lab/gpu')];
      model.setExpanded(labShared, true);
      model.setExpanded(gpuShared, true);
      await model.jobs(labShared);
      await model.jobs(gpuShared);
      gpu.setCluster('pek3', 'ehpc-shared', { status: 'stopped' });
      gpu.removeJobs('pek3', 'ehpc-shared', ['hpcjob-ehpc-shared-0']);
      lab.hold = true;
      gpu.hold = true;
      model.refresh();
      const loads = [model.clusters('Lab', 'pek3'), model.jobs(labShared), model.clusters('Lab/gpu', 'pek3'), model.jobs(gpuShared)];
      await settle();
      let redrawn = 0;
      model.onDidChange(() => redrawn++);

      model.forget('Lab');
      assert.equal(redrawn, 1);
      assert.equal(model.findCluster(labShared.cluster), undefined);
      assert.equal(model.loadedJobList(labShared), undefined);
      assert.equal(model.findCluster(gpuShared.cluster), gpuShared, "Lab/gpu's row went with Lab's");
      assert.equal(model.loadedJobList(gpuShared)?.totalCount, 5);
      // Lab's old answers, and Lab/gpu's, arrive after the sign-out of Lab.
      for (const request of [...lab.waiting, ...gpu.waiting]) {
        request.answer();
      }
      await Promise.all(loads);
      assert.equal(model.findCluster(labShared.cluster), undefined, "Lab's cluster came back from a load begun before forget");
      assert.equal(model.loadedJobList(labShared), undefined, "Lab's jobs came back");
      assert.equal(gpuShared.cluster.status, 'stopped', "Lab/gpu's load under way was dropped with Lab's");
      assert.equal(model.loadedJobList(gpuShared)?.totalCount, 4);

      lab.hold = false;
      gpu.hold = false;
      const fresh = await cluster('ehpc-shared', 'pek3', 'Lab');
      assert.notEqual(fresh, labShared, 'Lab starts afresh');
      const calls = lab.listJobCalls().length;
      await model.reloadShown();
      assert.equal(lab.listJobCalls().length, calls, "Lab's old expansion survived forget");
    });

    it("refresh(accountNode) loads that account again and leaves the other's cache alone", async () => {
      const [labShared, gpuShared] = [await cluster('ehpc-shared', 'pek3', 'Lab'), await cluster('ehpc-shared', 'pek3', 'Lab/gpu')];
      await model.jobs(labShared);
      await model.jobs(gpuShared);
      const before = { lab: lab.requests.length, gpu: gpu.requests.length };
      let redrawn = 0;
      model.onDidChange(() => redrawn++);

      model.refresh(model.accountNode('Lab/gpu'));
      assert.equal(redrawn, 1);
      for (const [account, node] of [['Lab', labShared], ['Lab/gpu', gpuShared]] as const) {
        await model.clusters(account, 'pek3');
        await model.jobs(node);
      }
      assert.equal(lab.requests.length, before.lab, 'Lab was loaded again');
      assert.deepEqual(gpu.requests.slice(before.gpu).map((r) => r.what), ['clusters', 'jobs']);

      model.refresh(model.accountNode('Lab'));
      await model.clusters('Lab', 'pek3');
      await model.clusters('Lab/gpu', 'pek3');
      assert.deepEqual(lab.requests.slice(before.lab).map((r) => r.what), ['clusters']);
      assert.equal(gpu.requests.length, before.gpu + 2, "refreshing Lab reloaded Lab/gpu, whose name begins with Lab's");
    });

    it('lists again, on reloadShown, the clusters of each account shown without zone rows, with its own client', async () => {
      await cluster('ehpc-shared', 'pek3', 'Lab');
      await cluster('ehpc-gpu', 'pek3', 'Lab/gpu');
      lab.setCluster('pek3', 'ehpc-shared', { status: 'stopped' });
      gpu.setCluster('pek3', 'ehpc-gpu', { status: 'stopped' });
      let redrawn = 0;
      model.onDidChange(() => redrawn++);
      await model.reloadShown();
      assert.deepEqual(lab.requests.map((r) => [r.account, r.what]), [['Lab', 'clusters'], ['Lab', 'clusters']]);
      assert.deepEqual(gpu.requests.map((r) => [r.account, r.what]), [['Lab/gpu', 'clusters'], ['Lab/gpu', 'clusters']]);
      assert.equal((await cluster('ehpc-shared', 'pek3', 'Lab')).cluster.status, 'stopped');
      assert.equal((await cluster('ehpc-gpu', 'pek3', 'Lab/gpu')).cluster.status, 'stopped');
      assert.ok(redrawn > 0, 'the changed clusters were not redrawn');
    });
  });

  // VS Code's extension host keeps a little for every tree row it draws, for good: a refresh
  // that finds nothing new must not redraw, or auto-refresh grows its heap without end.
  describe('redraws after reloadShown', () => {
    let redrawn: number;
    let small: ClusterNode;
    beforeEach(async () => {
      small = await cluster('ehpc-small');
      model.setExpanded(small, true);
      await model.jobs(small);
      await model.jobs(await cluster('ehpc-big')); // collapsed: the next cluster list drops its count
      await model.reloadShown();
      redrawn = 0;
      model.onDidChange(() => redrawn++);
    });

    it('none when the server lists the same clusters and jobs', async () => {
      await model.reloadShown();
      await model.reloadShown();
      assert.equal(redrawn, 0);
    });

    it('when a job changes, one goes away, or a cluster changes', async () => {
      const jobs = server.jobs.get(server.key('pek3', 'ehpc-small'))!;
      jobs[0] = { ...jobs[0], status: 'cancelled' };
      await model.reloadShown();
      assert.ok(redrawn > 0, 'a job changed its status');

      redrawn = 0;
      server.removeJobs('pek3', 'ehpc-small', ['hpcjob-ehpc-small-3']);
      await model.reloadShown();
      assert.ok(redrawn > 0, 'a job went away');

      redrawn = 0;
      server.setCluster('pek3', 'ehpc-big', { status: 'stopped' });
      await model.reloadShown();
      assert.ok(redrawn > 0, 'a cluster changed its status');
    });

    it('when a list fails, and again when it works once more', async () => {
      server.hold = true;
      const failing = model.reloadShown();
      await settle();
      server.waiting[0].fail(new Error('down'));
      while (server.waiting.length > 0) {
        server.waiting[0].answer();
      }
      await failing;
      assert.ok(redrawn > 0, 'the error row would not show');

      redrawn = 0;
      server.hold = false;
      await model.reloadShown();
      assert.ok(redrawn > 0, 'the error row would stay');
    });
  });

  // Redrawing the whole tree makes VS Code ask again for every expanded cluster's rows: a
  // change redraws what it changed.
  describe('what a change redraws', () => {
    let events: (TreeNode[] | undefined)[];
    let provider: ClusterTreeProvider;
    let busy: BusyMarks;
    const signedIn = { find: () => undefined, connection: () => ({ isSignedIn: () => Promise.resolve(true) }) } as unknown as Pick<Accounts, 'find' | 'connection'>;

    beforeEach(() => {
      for (let i = 0; i < 10; i++) {
        server.addCluster('pek3', `ehpc-c${i}`, 30);
      }
      busy = new BusyMarks();
      provider = new ClusterTreeProvider(model, signedIn, busy, undefined, partRows);
      events = [];
      provider.onDidChangeTreeData((event) => events.push(event === undefined ? undefined : [event].flat()));
    });

    /** Every cluster expanded and its rows drawn, as VS Code does, then the events forgotten. */
    const expandAll = async () => {
      for (const node of await model.clusters(ACCOUNT, 'pek3')) {
        model.setExpanded(node, true);
        for (const row of await provider.getChildren(node)) {
          provider.getTreeItem(row);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
      events = [];
    };

    // Redrawing one cluster races VS Code's loads of its rows (see the provider's redraw): a
    // cluster listed again redraws the tree, whose rows come from the cache, without requests.
    it('lists one cluster again: the tree is redrawn from the cache, with no other request', async () => {
      await expandAll();
      const target = await cluster('ehpc-c3');
      server.jobs.get(server.key('pek3', 'ehpc-c3'))!.unshift({ account: ACCOUNT, zone: 'pek3', clusterId: 'ehpc-c3', hpcjobUuid: 'hpcjob-new', name: 'new', status: 'pending' });
      await model.reloadJobs(target.cluster);
      assert.deepEqual(events, [undefined]);
      const requests = server.requests.length;
      for (const node of await model.clusters(ACCOUNT, 'pek3')) {
        await provider.getChildren(node);
      }
      assert.equal(server.requests.length, requests, 'the redraw sent requests');
    });

    it("lists one cluster again with the same jobs, one in a new state: that job's row only", async () => {
      await expandAll();
      const target = await cluster('ehpc-c1');
      const jobs = server.jobs.get(server.key('pek3', 'ehpc-c1'))!;
      jobs[2] = { ...jobs[2], status: 'cancelled' };
      await model.reloadJobs(target.cluster);
      assert.deepEqual(events, [[model.loadedJobList(target)!.nodes[2]]]);
    });

    it("a job seen in a new state (the watch): that job's row only", async () => {
      await expandAll();
      const target = await cluster('ehpc-c2');
      const row = model.loadedJobList(target)!.nodes[1];
      model.patchJob({ ...row.job, status: 'finished' });
      assert.deepEqual(events, [[row]]);
    });

    it("a busy mark: the rows marked only", async () => {
      await expandAll();
      const rows = model.loadedJobList(await cluster('ehpc-c5'))!.nodes.slice(0, 2);
      busy.mark(rows.map((row) => row.job), 'deleting');
      assert.deepEqual(events, [rows]);
    });

    it('a job just submitted shows at the top of its loaded cluster at once, without a request', async () => {
      await expandAll();
      const target = await cluster('ehpc-c4');
      const requests = server.requests.length;
      const job = { account: ACCOUNT, zone: 'pek3', clusterId: 'ehpc-c4', hpcjobUuid: 'hpcjob-submitted', name: 'sim', status: 'pending' as const };
      assert.equal(model.showNew(target.cluster, [job]), true);
      assert.deepEqual(events, [undefined]);
      assert.equal(server.requests.length, requests);
      const list = await model.jobs(target);
      assert.equal(list.nodes[0].job.hpcjobUuid, 'hpcjob-submitted');
      assert.equal(list.totalCount, 31);
      // The list that confirms it keeps the same row.
      server.jobs.get(server.key('pek3', 'ehpc-c4'))!.unshift(job);
      const node = list.nodes[0];
      await model.reloadJobs(target.cluster);
      assert.equal(model.loadedJobList(target)!.nodes[0], node);
    });

    it('a job just submitted that the filter hides, or to a cluster not loaded, waits for the list', async () => {
      const target = await cluster('ehpc-c6');
      const job = { account: ACCOUNT, zone: 'pek3', clusterId: 'ehpc-c6', hpcjobUuid: 'hpcjob-x', name: 'sim', status: 'pending' as const };
      assert.equal(model.showNew(target.cluster, [job]), false, 'not loaded');
      await model.jobs(target);
      model.setFilter({ status: 'running' });
      await model.jobs(target);
      assert.equal(model.showNew(target.cluster, [job]), false, 'filtered out');
    });

    // A cluster's first page changes its row (the job count). Redrawn only after VS Code's
    // load had answered, the rows the workbench kept showing were unknown to commands.
    it("redraws a cluster as VS Code's own load of its rows answers, not after it", async () => {
      const target = await cluster('ehpc-c7');
      server.hold = true;
      const rows = provider.getChildren(target);
      await settle();
      server.waiting[0].answer(); // the first page: the cluster's job count changes
      await rows;
      assert.deepEqual(events, [[target]], 'not redrawn with the answer to VS Code\'s load');
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(events, [[target]], 'redrawn again afterwards');
    });
  });
});
