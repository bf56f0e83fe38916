import * as assert from 'assert/strict';
import { chunk, groupByCluster, isCancelled, isDeleted, JobRef, runBatch } from '../../src/ehpc/batch';
import { EhpcError } from '../../src/ehpc/errors';

function job(zone: string, clusterId: string, n: number): JobRef {
  return { zone, clusterId, hpcjobUuid: `hpcjob-${clusterId}-${n}`, name: `job ${n}` };
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

  it('returns nothing for nothing', () => {
    assert.deepEqual(groupByCluster([]), []);
  });

  it('chunks by size', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 2), []);
  });
});

describe('running a batch', () => {
  it('sends one request per cluster, all clusters at once, and reports what is still listed', async () => {
    const listed = new Map([
      ['c1', ['hpcjob-c1-1', 'hpcjob-c1-2', 'hpcjob-c1-9']],
      ['c2', ['hpcjob-c2-1']],
    ]);
    const calls: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const outcome = await runBatch(groupByCluster([job('z', 'c1', 1), job('z', 'c1', 2), job('z', 'c2', 1)]), {
      isDone: isDeleted,
      act: async (_zone, clusterId, ids) => {
        calls.push(`${clusterId}:${ids.join(',')}`);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        // c2's server keeps its job: the outcome must say so.
        if (clusterId === 'c1') {
          listed.set('c1', listed.get('c1')!.filter((id) => !ids.includes(id)));
        }
      },
      relist: async (_zone, clusterId) => listed.get(clusterId)!.map((hpcjobUuid) => ({ hpcjobUuid, status: 'running' as const })),
    });
    assert.deepEqual(calls.sort(), ['c1:hpcjob-c1-1,hpcjob-c1-2', 'c2:hpcjob-c2-1']);
    assert.equal(maxInFlight, 2);
    assert.equal(outcome.requested, 3);
    assert.equal(outcome.done, 2);
    assert.deepEqual(outcome.clusters[1].remaining.map((j) => j.hpcjobUuid), ['hpcjob-c2-1']);
  });

  it('splits a cluster of more than 100 jobs into requests of at most 100', async () => {
    const jobs = Array.from({ length: 250 }, (_, i) => job('z', 'c', i));
    const sizes: number[] = [];
    await runBatch(groupByCluster(jobs), { isDone: isDeleted, act: async (_z, _c, ids) => void sizes.push(ids.length), relist: async () => [] });
    assert.deepEqual(sizes, [100, 100, 50]);
  });

  it('lists a cluster again even when its request failed, and keeps the error', async () => {
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1)]), {
      isDone: isDeleted,
      act: async () => {
        throw new EhpcError('busy', 'busy');
      },
      relist: async () => [{ hpcjobUuid: 'hpcjob-c-1', status: 'running' }],
    });
    assert.equal(outcome.clusters[0].actionError?.kind, 'busy');
    assert.equal(outcome.clusters[0].remaining.length, 1);
    assert.equal(outcome.done, 0);
  });

  it('never calls a job gone when the cluster could not be listed again', async () => {
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1)]), {
      isDone: isDeleted,
      act: async () => undefined,
      relist: async () => {
        throw new EhpcError('timeout', 'timed out');
      },
    });
    assert.equal(outcome.done, 0);
    assert.equal(outcome.clusters[0].unknown.length, 1);
    assert.equal(outcome.clusters[0].listError?.kind, 'timeout');
  });

  it('counts a cancel as done once the job no longer waits or runs', async () => {
    const statuses = { 'hpcjob-c-1': 'cancelled', 'hpcjob-c-2': 'running', 'hpcjob-c-3': 'finished' } as const;
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1), job('z', 'c', 2), job('z', 'c', 3), job('z', 'c', 4)]), {
      isDone: isCancelled,
      act: async () => undefined,
      relist: async () => Object.entries(statuses).map(([hpcjobUuid, status]) => ({ hpcjobUuid, status })),
    });
    assert.deepEqual(outcome.clusters[0].remaining.map((j) => j.hpcjobUuid), ['hpcjob-c-2']);
    assert.equal(outcome.done, 3, 'cancelled, finished and no longer listed all count as done');
  });

  it('does not take a vanished cluster for deleted jobs when the request itself failed', async () => {
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1)]), {
      isDone: isDeleted,
      act: async () => {
        throw new EhpcError('busy', 'busy');
      },
      relist: async () => {
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
      relist: async () => [{ hpcjobUuid: 'hpcjob-c-1', status: 'unknown' }],
    });
    assert.equal(outcome.done, 0);
    assert.equal(outcome.clusters[0].remaining.length, 1);
  });

  it('looks up a job the re-list misses after a failed request, instead of calling it done', async () => {
    const looked: string[] = [];
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1), job('z', 'c', 2), job('z', 'c', 3)]), {
      isDone: isDeleted,
      act: async () => {
        throw new EhpcError('timeout', 'timed out');
      },
      // A filtered re-list: shows job 1 only. Job 2 is gone; job 3 still exists, filtered out.
      relist: async () => [{ hpcjobUuid: 'hpcjob-c-1', status: 'running' }],
      lookup: async (_z, _c, id) => {
        looked.push(id);
        return id === 'hpcjob-c-3' ? { status: 'finished' } : undefined;
      },
    });
    assert.deepEqual(looked, ['hpcjob-c-2', 'hpcjob-c-3'], 'looked up only the jobs the list missed');
    assert.deepEqual(outcome.clusters[0].done.map((j) => j.hpcjobUuid), ['hpcjob-c-2']);
    assert.deepEqual(outcome.clusters[0].remaining.map((j) => j.hpcjobUuid), ['hpcjob-c-1', 'hpcjob-c-3']);
  });

  it('trusts "not listed" after a request that went through, without looking up', async () => {
    let lookups = 0;
    const outcome = await runBatch(groupByCluster([job('z', 'c', 1)]), {
      isDone: isDeleted,
      act: async () => undefined,
      relist: async () => [],
      lookup: async () => {
        lookups++;
        return undefined;
      },
    });
    assert.equal(lookups, 0);
    assert.equal(outcome.done, 1);
  });
});
