// lookupJobs: the truth about exactly the named jobs, at the lowest request count.
import * as assert from 'assert/strict';
import { EhpcError } from '../../src/ehpc/errors';
import { LOOKUP_CONCURRENCY, lookupJobs } from '../../src/ehpc/lookup';
import { Job, Page } from '../../src/ehpc/types';

const ZONE = 'jn1a';
const CLUSTER = 'ehpc-abc1';
const id = (i: number) => `hpcjob-j${i}`;
const job = (hpcjobUuid: string): Job => ({ account: 'QingCloud', zone: ZONE, clusterId: CLUSTER, hpcjobUuid, name: hpcjobUuid, status: 'running' });

/** A cluster of `count` jobs, newest first, behind a client that counts its requests. */
class FakeCluster {
  jobs: Job[];
  readonly requests: string[] = [];
  /** Runs before each list page is answered (to move jobs between pages). */
  beforePage?: (offset: number) => void;
  fail?: 'list' | 'find';
  inFlight = 0;
  maxInFlight = 0;

  constructor(count: number) {
    this.jobs = Array.from({ length: count }, (_, i) => job(id(i)));
  }

  listJobs = async (zone: string, clusterId: string, offset = 0, ...rest: unknown[]): Promise<Page<Job>> => {
    assert.equal(rest.length, 0, 'listed with a filter');
    this.requests.push(`list ${offset}`);
    this.beforePage?.(offset);
    if (this.fail === 'list') {
      throw new EhpcError('busy', 'busy');
    }
    return { items: this.jobs.slice(offset, offset + 100), totalCount: this.jobs.length };
  };

  findJob = async (zone: string, clusterId: string, hpcjobUuid: string): Promise<Job | undefined> => {
    this.requests.push(`find ${hpcjobUuid}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight--;
    if (this.fail === 'find') {
      throw new EhpcError('timeout', 'timeout');
    }
    return this.jobs.find((j) => j.hpcjobUuid === hpcjobUuid);
  };
}

function assertFound(result: Map<string, Job | undefined>, present: string[], gone: string[] = []): void {
  assert.deepEqual([...result.keys()].sort(), [...present, ...gone].sort());
  for (const wanted of present) {
    assert.equal(result.get(wanted)?.hpcjobUuid, wanted);
  }
  for (const wanted of gone) {
    assert.equal(result.get(wanted), undefined);
  }
}

describe('lookupJobs', () => {
  it('two jobs on the first page of 5,000: one request', async () => {
    const cluster = new FakeCluster(5000);
    assertFound(await lookupJobs(cluster, ZONE, CLUSTER, [id(3), id(70)]), [id(3), id(70)]);
    assert.deepEqual(cluster.requests, ['list 0']);
  });

  it('two jobs deep in a list of 5,000: the first page, then one detail each', async () => {
    const cluster = new FakeCluster(5000);
    assertFound(await lookupJobs(cluster, ZONE, CLUSTER, [id(3000), id(4999)]), [id(3000), id(4999)]);
    assert.deepEqual(cluster.requests.sort(), ['find hpcjob-j3000', 'find hpcjob-j4999', 'list 0']);
  });

  it('60 jobs spread over the first 3 pages of 5,000: at most 3 requests', async () => {
    const cluster = new FakeCluster(5000);
    const ids = Array.from({ length: 60 }, (_, i) => id(i * 5));
    assertFound(await lookupJobs(cluster, ZONE, CLUSTER, ids), ids);
    assert.ok(cluster.requests.length <= 3, cluster.requests.join(', '));
  });

  it('60 jobs spread over all 3 pages of a cluster of 300: 3 requests', async () => {
    const cluster = new FakeCluster(300);
    const ids = Array.from({ length: 60 }, (_, i) => id(i * 5));
    assertFound(await lookupJobs(cluster, ZONE, CLUSTER, ids), ids);
    assert.deepEqual(cluster.requests, ['list 0', 'list 100', 'list 200']);
  });

  it('says gone for a job a complete walk does not list, or a detail answers 2100 for', async () => {
    const small = new FakeCluster(150);
    assertFound(await lookupJobs(small, ZONE, CLUSTER, [id(5), 'hpcjob-gone']), [id(5)], ['hpcjob-gone']);
    assert.deepEqual(small.requests, ['list 0', 'list 100']);

    const big = new FakeCluster(5000);
    assertFound(await lookupJobs(big, ZONE, CLUSTER, ['hpcjob-gone', id(4000)]), [id(4000)], ['hpcjob-gone']);
    assert.equal(big.requests.length, 3);
  });

  it('asks nothing for no ids, and once for an id named twice', async () => {
    const cluster = new FakeCluster(5000);
    assert.equal((await lookupJobs(cluster, ZONE, CLUSTER, [])).size, 0);
    assert.deepEqual(cluster.requests, []);
    assertFound(await lookupJobs(cluster, ZONE, CLUSTER, [id(4000), id(4000)]), [id(4000)]);
    assert.deepEqual(cluster.requests, ['list 0', `find ${id(4000)}`]);
  });

  it('throws when any request fails, never guessing', async () => {
    const listing = new FakeCluster(5000);
    listing.fail = 'list';
    await assert.rejects(lookupJobs(listing, ZONE, CLUSTER, [id(1)]), /busy/);
    const finding = new FakeCluster(5000);
    finding.beforePage = () => (finding.fail = 'find');
    await assert.rejects(lookupJobs(finding, ZONE, CLUSTER, Array.from({ length: 20 }, (_, i) => id(4000 + i * 40))), /timeout/);
    assert.ok(finding.requests.length < 1 + 20, 'after a failure, more details were asked');
  });

  it(`asks for details at most ${LOOKUP_CONCURRENCY} at a time`, async () => {
    const cluster = new FakeCluster(5000);
    const ids = Array.from({ length: 12 }, (_, i) => id(1000 + i * 300));
    assertFound(await lookupJobs(cluster, ZONE, CLUSTER, ids), ids);
    assert.equal(cluster.maxInFlight, LOOKUP_CONCURRENCY);
  });

  it('finds a job that moves to a later page while the list is walked, and counts a job listed twice once', async () => {
    const cluster = new FakeCluster(250);
    let submitted = 0;
    // A job submitted before each later page pushes every job one place down.
    cluster.beforePage = (offset) => {
      if (offset > 0) {
        cluster.jobs.unshift(job(`hpcjob-new${submitted++}`));
      }
    };
    // Job 99 comes again at the top of the second page, job 199 slides onto the third.
    const ids = [id(2), id(99), id(150), id(199)];
    const result = await lookupJobs(cluster, ZONE, CLUSTER, ids);
    assertFound(result, ids);
    assert.deepEqual(cluster.requests, ['list 0', 'list 100', 'list 200']);
  });

  it('finds a job that moves to an earlier page, past the walk, by asking for it', async () => {
    const cluster = new FakeCluster(250);
    // Ten jobs of the first page are deleted before the second is read: job 105 slides to 95.
    cluster.beforePage = (offset) => {
      if (offset === 100) {
        cluster.jobs.splice(0, 10);
      }
    };
    const result = await lookupJobs(cluster, ZONE, CLUSTER, [id(50), id(105), id(200)]);
    assertFound(result, [id(50), id(105), id(200)]);
    assert.ok(cluster.requests.includes(`find ${id(105)}`), cluster.requests.join(', '));
  });

  it('stops when told no more requests may go out, and keeps what it found', async () => {
    const cluster = new FakeCluster(1000);
    const ids = [id(50), id(150), id(250), id(950)];
    let left = 2;
    const walked = await lookupJobs(cluster, ZONE, CLUSTER, ids, () => left-- > 0);
    assertFound(walked, [id(50), id(150)]); // neither found nor gone: the rest are left out
    assert.deepEqual(cluster.requests, ['list 0', 'list 100']);

    const deep = new FakeCluster(5000);
    left = 3;
    const asked = [id(4000), id(4100), id(4200), id(4300)];
    const found = await lookupJobs(deep, ZONE, CLUSTER, asked, () => left-- > 0);
    assertFound(found, asked.slice(0, 2));
    assert.deepEqual(deep.requests, ['list 0', `find ${id(4000)}`, `find ${id(4100)}`]);
  });
});
