import * as assert from 'assert/strict';
import { chunk, clusterKey, groupByCluster, isCancelled, isDeleted, JobLookup, JobRef, runBatch } from '../../src/ehpc/batch';
import { Job } from '../../src/ehpc/types';
import { EhpcError } from '../../src/ehpc/errors';

/** The account of the tests about one account. */
const ACCOUNT = 'QingCloud';

function job(zone: string, clusterId: string, n: number, account = ACCOUNT): JobRef {
  return { account, zone, clusterId, hpcjobUuid: `hpcjob-${clusterId}-${n}`, name: `job ${n}` };
}

describe('grouping a selection by cluster', () => {
  it('makes one batch per (zone, cluster), in first-seen order', () => {
    const jobs = [job('jn1a', 'c1', 1), job('jn1a', 'c2', 1), job('jn1a', 'c1', 2), job('jn1b', 'c1', 3)];
    const batches = groupByCluster(jobs);
    assert.deepEqual(
      batches.map((b) => [b.zone, b.clusterId, b.jobs.map((j) => j.hpcjobUuid)]),
      [
        ['jn1a', 'c1', ['hpcjob-c1-1', 'hpcjob-c1-2']],
        ['jn1a', 'c2', ['hpcjob-c2-1']],
        ['jn1b', 'c1', ['hpcjob-c1-3']],
      ],
    );
  });

  it('drops a job selected twice', () => {
    const batches = groupByCluster([job('z', 'c', 1), job('z', 'c', 1)]);
    assert.equal(batches[0].jobs.length, 1);
  });

  it('makes the same cluster id under two accounts two batches, each of its own account', () => {
    const jobs = [job('jn1a', 'c1', 1, 'A'), job('jn1a', 'c1', 2, 'B'), job('jn1a', 'c1', 3, 'A')];
    assert.deepEqual(
      groupByCluster(jobs).map((b) => [b.account, b.zone, b.clusterId, b.jobs.map((j) => `${j.account}:${j.hpcjobUuid}`)]),
      [
        ['A', 'jn1a', 'c1', ['A:hpcjob-c1-1', 'A:hpcjob-c1-3']],
        ['B', 'jn1a', 'c1', ['B:hpcjob-c1-2']],
      ],
    );
  });

  it('drops a job repeated within one account and cluster, not the same id under another account', () => {
    const jobs = [job('z', 'c', 1, 'A'), job('z', 'c', 1, 'B'), job('z', 'c', 1, 'A'), job('z', 'c', 1, 'B'), job('z', 'c', 2, 'A')];
    assert.deepEqual(
      groupByCluster(jobs).map((b) => [b.account, b.jobs.map((j) => j.hpcjobUuid)]),
      [
        ['A', ['hpcjob-c-1', 'hpcjob-c-2']],
        ['B', ['hpcjob-c-1']],
      ],
    );
  });

  it('keeps first-seen order across accounts', () => {
    const jobs = [job('z', 'c2', 1, 'B'), job('z', 'c1', 1, 'A'), job('z', 'c1', 2, 'B'), job('z', 'c2', 2, 'A'), job('z', 'c2', 3, 'B')];
    assert.deepEqual(
      groupByCluster(jobs).map((b) => `${b.account}/${b.clusterId}:${b.jobs.map((j) => j.hpcjobUuid.slice(-1)).join(',')}`),
      ['B/c2:1,3', 'A/c1:1', 'B/c1:2', 'A/c2:2'],
    );
  });

  it("gives clusters distinct keys when account names hold '/' or '%'", () => {
    // Joined as written, the first two would both be "a/b/z/c".
    const places = [
      { account: 'a/b', zone: 'z', clusterId: 'c' },
      { account: 'a', zone: 'b/z', clusterId: 'c' },
      { account: 'a%2Fb', zone: 'z', clusterId: 'c' },
      { account: 'a/b/z', zone: 'c', clusterId: 'c' },
      { account: '', zone: 'a/b/z', clusterId: 'c' },
    ];
    const keys = places.map(clusterKey);
    assert.equal(new Set(keys).size, places.length, keys.join(' '));
    const jobs = places.map((place, n) => ({ ...place, hpcjobUuid: 'hpcjob-same', name: `job ${n}` }));
    assert.equal(groupByCluster(jobs).length, places.length, 'every place a batch of its own');
  });

  it('returns nothing for nothing', () => {
    assert.deepEqual(groupByCluster([]), []);
  });

  it('chunks by size', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 2), []);
  });
});

/** A lookup that answers from a map of id → status (absent: the job no longer exists). */
function lookupFrom(statuses: () => ReadonlyMap<string, Job['status']>, asked: string[][] = []): JobLookup {
  return async (_cluster, ids) => {
    asked.push([...ids]);
    const now = statuses();
    return new Map(ids.map((id) => [id, now.has(id) ? { status: now.get(id)! } : undefined]));
  };
}

describe('running a batch', () => {
  it('sends one request per cluster, all clusters at once, and reports what the server still has', async () => {
    const server = new Map<string, Job['status']>([
      ['hpcjob-c1-1', 'running'],
      ['hpcjob-c1-2', 'running'],
      ['hpcjob-c1-9', 'running'],
      ['hpcjob-c2-1', 'running'],
    ]);
    const calls: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const outcome = await runBatch(groupByCluster([job('z', 'c1', 1), job('z', 'c1', 2), job('z', 'c2', 1)]), {
      isDone: isDeleted,
      act: async ({ clusterId }, ids) => {
        calls.push(`${clusterId}:${ids.join(',')}`);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        // c2's server keeps its job: the outcome must say so.
        if (clusterId === 'c1') {
          ids.forEach((id) => server.delete(id));
        }
      },
      lookup: lookupFrom(() => server),
    });
    assert.deepEqual(calls.sort(), ['c1:hpcjob-c1-1,hpcjob-c1-2', 'c2:hpcjob-c2-1']);
    assert.equal(maxInFlight, 2);
    assert.equal(outcome.requested, 3);
    assert.equal(outcome.done, 2);
    assert.deepEqual(outcome.clusters[1].remaining.map((j) => j.hpcjobUuid), ['hpcjob-c2-1']);
  });

  it('looks up exactly the jobs it sent, never the rest of the cluster', async () => {
    const asked: string[][] = [];
    await runBatch(groupByCluster([job('z', 'c', 1), job('z', 'c', 2)]), {
      isDone: isDeleted,
      act: async () => undefined,
      lookup: lookupFrom(() => new Map(), asked),
    });
    assert.deepEqual(asked, [['hpcjob-c-1', 'hpcjob-c-2']]);
  });

  it('splits a cluster of more than 100 jobs into requests of at most 100', async () => {
    const jobs = Array.from({ length: 250 }, (_, i) => job('z', 'c', i));
    const sizes: number[] = [];
    await runBatch(groupByCluster(jobs), { isDone: isDeleted, act: async (_cluster, ids) => void sizes.push(ids.length), lookup: lookupFrom(() => new Map()) });
    assert.deepEqual(sizes, [100, 100, 50]);
  });

  it('checks a failed request\'s jobs and keeps the error: a job that is gone counts as done', async () => {
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1), job('z', 'c', 2)]), {
      isDone: isDeleted,
      act: async () => {
        throw new EhpcError('timeout', 'timed out');
      },
      // The request timed out, but the server deleted job 2 before it did.
      lookup: lookupFrom(() => new Map([['hpcjob-c-1', 'running']])),
    });
    assert.equal(outcome.clusters[0].actionError?.kind, 'timeout');
    assert.deepEqual(outcome.clusters[0].remaining.map((j) => j.hpcjobUuid), ['hpcjob-c-1']);
    assert.deepEqual(outcome.clusters[0].done.map((j) => j.hpcjobUuid), ['hpcjob-c-2']);
  });

  it('reports the chunks after a failed one as not sent, not as still listed', async () => {
    const jobs = Array.from({ length: 250 }, (_, i) => job('z', 'c', i));
    let requests = 0;
    const outcome = await runBatch(groupByCluster(jobs), {
      isDone: isDeleted,
      act: async () => {
        requests++;
        throw new EhpcError('busy', 'busy');
      },
      lookup: lookupFrom(() => new Map(jobs.map((j) => [j.hpcjobUuid, 'running']))),
    });
    const c = outcome.clusters[0];
    assert.equal(requests, 1);
    assert.equal(c.remaining.length, 100, 'the failed request\'s jobs, checked');
    assert.equal(c.notSent.length, 150);
    assert.equal(c.unknown.length, 0);
  });

  it('sends nothing more once the session ends, and says which jobs were sent and which not', async () => {
    const jobs = Array.from({ length: 250 }, (_, i) => job('z', 'c', i));
    let signedIn = true;
    let requests = 0;
    let lookups = 0;
    const outcome = await runBatch(groupByCluster(jobs), {
      isDone: isDeleted,
      mayContinue: () => signedIn,
      act: async () => {
        requests++;
        signedIn = false; // the user signs out while the first request is answered
      },
      lookup: async (...args) => {
        lookups++;
        return lookupFrom(() => new Map())(...args);
      },
    });
    const c = outcome.clusters[0];
    assert.equal(requests, 1, 'no request after the sign-out');
    assert.equal(lookups, 0, 'nothing looked up with the removed key');
    assert.equal(c.unknown.length, 100, 'the sent jobs: outcome unknown, never "nothing deleted"');
    assert.equal(c.notSent.length, 150);
    assert.equal(c.done.length + c.remaining.length, 0);
    assert.equal(c.listError?.kind, 'signedOut');
  });

  it("asks mayContinue with each batch's own account: a signed-out account sends nothing, the other goes on", async () => {
    const jobs = [job('z', 'c1', 1, 'A'), job('z', 'c1', 2, 'B'), job('z', 'c2', 3, 'A'), job('z', 'c2', 4, 'B')];
    const asked = new Set<string>();
    const sent: string[] = [];
    const looked: string[] = [];
    const outcome = await runBatch(groupByCluster(jobs), {
      isDone: isDeleted,
      mayContinue: (account) => {
        asked.add(account);
        return account !== 'A';
      },
      act: async ({ account, clusterId }, ids) => void sent.push(`${account}/${clusterId}:${ids.join(',')}`),
      lookup: async (cluster, ids) => {
        looked.push(`${cluster.account}/${cluster.clusterId}`);
        return lookupFrom(() => new Map())(cluster, ids);
      },
    });
    assert.deepEqual([...asked].sort(), ['A', 'B']);
    assert.deepEqual(sent.sort(), ['B/c1:hpcjob-c1-2', 'B/c2:hpcjob-c2-4']);
    assert.deepEqual(looked.sort(), ['B/c1', 'B/c2'], 'nothing looked up with A\'s key');
    const of = (account: string) => outcome.clusters.filter((c) => c.account === account);
    assert.deepEqual(of('A').flatMap((c) => c.notSent.map((j) => j.hpcjobUuid)), ['hpcjob-c1-1', 'hpcjob-c2-3']);
    assert.equal(of('A').every((c) => c.done.length + c.remaining.length + c.unknown.length === 0 && !c.actionError), true);
    assert.deepEqual(of('B').flatMap((c) => c.done.map((j) => j.hpcjobUuid)), ['hpcjob-c1-2', 'hpcjob-c2-4']);
    assert.equal(outcome.done, 2);
  });

  it('never calls a job gone when the jobs could not be looked up', async () => {
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1)]), {
      isDone: isDeleted,
      act: async () => undefined,
      lookup: async () => {
        throw new EhpcError('timeout', 'timed out');
      },
    });
    assert.equal(outcome.done, 0);
    assert.equal(outcome.clusters[0].unknown.length, 1);
    assert.equal(outcome.clusters[0].listError?.kind, 'timeout');
  });

  it('takes a look-up that leaves out a job it was asked about as unknown', async () => {
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1), job('z', 'c', 2)]), {
      isDone: isDeleted,
      act: async () => undefined,
      lookup: async () => new Map([['hpcjob-c-1', undefined]]),
    });
    assert.equal(outcome.done, 0);
    assert.equal(outcome.clusters[0].unknown.length, 2);
  });

  it('counts a cancel as done once the job no longer waits or runs', async () => {
    const statuses = new Map<string, Job['status']>([
      ['hpcjob-c-1', 'cancelled'],
      ['hpcjob-c-2', 'running'],
      ['hpcjob-c-3', 'finished'],
    ]);
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1), job('z', 'c', 2), job('z', 'c', 3), job('z', 'c', 4)]), {
      isDone: isCancelled,
      act: async () => undefined,
      lookup: lookupFrom(() => statuses),
    });
    assert.deepEqual(outcome.clusters[0].remaining.map((j) => j.hpcjobUuid), ['hpcjob-c-2']);
    assert.equal(outcome.done, 3, 'cancelled, finished and gone all count as done');
  });

  it('waits for an asynchronous stop, and calls a job still stopping "in progress", not failed', async () => {
    const settled: string[][] = [];
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1), job('z', 'c', 2)]), {
      isDone: isCancelled,
      act: async () => 'j-op1',
      settle: async (_cluster, operations) => {
        settled.push(operations);
        return 'pending';
      },
      lookup: lookupFrom(() => new Map([['hpcjob-c-1', 'running'], ['hpcjob-c-2', 'cancelled']])),
    });
    assert.deepEqual(settled, [['j-op1']]);
    assert.deepEqual(outcome.clusters[0].inProgress.map((j) => j.hpcjobUuid), ['hpcjob-c-1']);
    assert.deepEqual(outcome.clusters[0].done.map((j) => j.hpcjobUuid), ['hpcjob-c-2']);
    assert.equal(outcome.clusters[0].remaining.length, 0);
  });

  it('reports a stop whose operation failed as not done', async () => {
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1)]), {
      isDone: isCancelled,
      act: async () => 'j-op1',
      settle: async () => 'failed',
      lookup: lookupFrom(() => new Map([['hpcjob-c-1', 'running']])),
    });
    assert.equal(outcome.clusters[0].remaining.length, 1);
    assert.equal(outcome.clusters[0].operationFailed, true);
  });

  it('does not take a vanished cluster for deleted jobs when the request itself failed', async () => {
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1)]), {
      isDone: isDeleted,
      act: async () => {
        throw new EhpcError('busy', 'busy');
      },
      lookup: async () => {
        throw new EhpcError('notFound', 'no such cluster');
      },
    });
    assert.equal(outcome.done, 0);
    assert.equal(outcome.clusters[0].unknown.length, 1);
  });

  it('does not count a job in a state it does not know as cancelled', async () => {
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1)]), {
      isDone: isCancelled,
      act: async () => undefined,
      lookup: lookupFrom(() => new Map([['hpcjob-c-1', 'unknown']])),
    });
    assert.equal(outcome.done, 0);
    assert.equal(outcome.clusters[0].remaining.length, 1);
  });
});
