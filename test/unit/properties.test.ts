// Properties checked over thousands of generated cases, not a few samples: a batch sends
// every selected job exactly once, to its own account, cluster and zone, and nothing else; the
// response parsers turn any body into a value or a typed error, never a crash.
import * as assert from 'assert/strict';
import fc from 'fast-check';
import { ClusterPlace, clusterKey, groupByCluster, isDeleted, MAX_IDS_PER_REQUEST, runBatch } from '../../src/ehpc/batch';
import { EhpcError } from '../../src/ehpc/errors';
import { parseBody, parseClusterPage, parseJobDetail, parseJobPage } from '../../src/ehpc/parse';
import { Job } from '../../src/ehpc/types';
import { ClusterNode, JobNode, jobsFromTree, MessageNode, TreeNode, ZoneNode } from '../../src/tree/nodes';

const RUNS = 2000;

/** The accounts of the generated worlds: two may list the same cluster; a name may hold '/'. */
const ACCOUNTS = ['A', 'B', 'A/jn1a'];

/**
 * A world of accounts, zones and clusters. Jobs of one cluster have distinct ids; two
 * accounts that list the same cluster (two keys of one owner) list the same ids there.
 */
const worlds = fc
  .array(
    fc.tuple(fc.constantFrom(...ACCOUNTS), fc.constantFrom('jn1a', 'jn1b', 'pek3'), fc.constantFrom('ehpc-a', 'ehpc-b', 'ehpc-c'), fc.integer({ min: 0, max: 250 })),
    { minLength: 1, maxLength: 6 },
  )
  .map((clusters) => {
    const jobs: Job[] = [];
    const seen = new Set<string>();
    for (const [account, zone, clusterId, count] of clusters) {
      if (seen.has(clusterKey({ account, zone, clusterId }))) {
        continue;
      }
      seen.add(clusterKey({ account, zone, clusterId }));
      for (let i = 0; i < count; i++) {
        jobs.push({ account, zone, clusterId, hpcjobUuid: `hpcjob-${zone}-${clusterId}-${i}`, name: `job ${i}`, status: 'running' });
      }
    }
    return jobs;
  })
  .filter((jobs) => jobs.length > 0);

/** A world and a selection from it: any jobs, in any order, some picked twice. */
const selections = worlds.chain((jobs) =>
  fc.tuple(fc.constant(jobs), fc.array(fc.integer({ min: 0, max: jobs.length - 1 }), { maxLength: 400 })).map(([all, picks]) => ({
    all,
    selected: picks.map((i) => all[i]),
  })),
);

describe('properties of a batch', () => {
  it('sends every selected job exactly once, to its own account, cluster and zone, and no other id', async () => {
    await fc.assert(
      fc.asyncProperty(selections, async ({ selected }) => {
        const sent: { place: ClusterPlace; ids: string[] }[] = [];
        await runBatch(groupByCluster(selected), {
          act: async ({ account, zone, clusterId }, ids) => void sent.push({ place: { account, zone, clusterId }, ids }),
          lookup: async (_cluster, ids) => new Map(ids.map((id) => [id, undefined])),
          isDone: isDeleted,
        });
        // A job is its place and its id: the same id in another account's place is another job.
        const jobKey = (place: ClusterPlace, id: string) => `${clusterKey(place)} ${id}`;
        const sentJobs = sent.flatMap((request) => request.ids.map((id) => jobKey(request.place, id)));
        const wanted = new Set(selected.map((job) => jobKey(job, job.hpcjobUuid)));
        assert.equal(sentJobs.length, wanted.size, 'a job was sent twice or left out');
        assert.deepEqual(new Set(sentJobs), wanted, 'an id went to another account or cluster');
        for (const request of sent) {
          assert.ok(request.ids.length > 0 && request.ids.length <= MAX_IDS_PER_REQUEST);
        }
        for (const key of new Set(selected.map((job) => clusterKey(job)))) {
          const ids = new Set(selected.filter((job) => clusterKey(job) === key).map((job) => job.hpcjobUuid));
          assert.equal(sent.filter((r) => clusterKey(r.place) === key).length, Math.ceil(ids.size / MAX_IDS_PER_REQUEST), `requests to ${key}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never reports a job done that the server still lists, nor loses one', async () => {
    await fc.assert(
      fc.asyncProperty(selections, fc.func(fc.boolean()), async ({ selected }, serverKeeps) => {
        const outcome = await runBatch(groupByCluster(selected), {
          act: async () => undefined,
          // The server keeps an arbitrary subset of the selected jobs.
          lookup: async (_cluster, ids) => new Map(ids.map((id) => [id, serverKeeps(id) ? { status: 'running' as const } : undefined])),
          isDone: isDeleted,
        });
        for (const cluster of outcome.clusters) {
          assert.ok(cluster.done.every((job) => !serverKeeps(job.hpcjobUuid)));
          assert.ok(cluster.remaining.every((job) => serverKeeps(job.hpcjobUuid)));
          assert.equal(cluster.done.length + cluster.remaining.length + cluster.unknown.length, cluster.requested.length);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('sends nothing for an account after its sign-out at any point, goes on with the others, and accounts for every job exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(selections, fc.constantFrom(...ACCOUNTS), fc.nat({ max: 20 }), async ({ selected }, leaving, requestsBeforeSignOut) => {
        let sent = 0;
        let sentAfter = 0;
        let signedIn = true;
        const outcome = await runBatch(groupByCluster(selected), {
          mayContinue: (account) => account !== leaving || signedIn,
          act: async ({ account }) => {
            if (account === leaving && !signedIn) {
              sentAfter++;
            }
            if (++sent >= requestsBeforeSignOut) {
              signedIn = false;
            }
          },
          lookup: async ({ account }, ids) => {
            assert.ok(account !== leaving || signedIn, 'looked up after the sign-out');
            return new Map(ids.map((id) => [id, undefined]));
          },
          isDone: isDeleted,
        });
        assert.equal(sentAfter, 0);
        for (const cluster of outcome.clusters) {
          const buckets = [cluster.done, cluster.remaining, cluster.inProgress, cluster.unknown, cluster.notSent].flat().map((job) => job.hpcjobUuid);
          assert.deepEqual(buckets.sort(), cluster.requested.map((job) => job.hpcjobUuid).sort());
          if (cluster.account !== leaving) {
            assert.equal(cluster.done.length, cluster.requested.length, "another account's sign-out held this one back");
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('takes from a tree invocation only job rows: the selection when it holds the clicked row, else that row', () => {
    const zone: ZoneNode = { kind: 'zone', account: 'A', zone: 'jn1a', parent: undefined };
    const cluster: ClusterNode = { kind: 'cluster', cluster: { account: 'A', zone: 'jn1a', clusterId: 'ehpc-a', name: 'a', status: 'active' }, parent: zone };
    const message: MessageNode = { kind: 'message', id: 'm', text: 'No jobs.', parent: cluster };
    const rows = (jobs: Job[]): TreeNode[] => [zone, cluster, message, { kind: 'loadMore', parent: cluster }, ...jobs.map((job): JobNode => ({ kind: 'job', job, parent: cluster }))];
    fc.assert(
      fc.property(worlds, fc.array(fc.nat()), fc.nat(), fc.boolean(), (jobs, picks, clickedIndex, clickInside) => {
        const all = rows(jobs);
        const selection = picks.map((i) => all[i % all.length]);
        const clicked = clickInside && selection.length > 0 ? selection[clickedIndex % selection.length] : all[clickedIndex % all.length];
        const result = jobsFromTree(clicked, selection);
        const source = selection.includes(clicked) ? selection : [clicked];
        assert.deepEqual(result, source.filter((row): row is JobNode => row.kind === 'job').map((row) => row.job));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('properties of the response parsers', () => {
  /** Parses `text` as the client would; only a typed error may come out. */
  function parseAll(text: string): void {
    let body: Record<string, unknown>;
    try {
      body = parseBody(text);
    } catch (error) {
      assert.ok(error instanceof EhpcError && error.kind === 'badResponse', String(error));
      return;
    }
    for (const parse of [
      () => parseClusterPage(body, 'jn1a'),
      () => parseJobPage(body, 'jn1a', 'ehpc-a'),
      () => parseJobDetail(body, 'hpcjob-a'),
    ]) {
      try {
        const value = parse();
        assert.ok(value !== undefined);
      } catch (error) {
        assert.ok(error instanceof EhpcError && error.kind === 'badResponse', String(error));
      }
    }
  }

  // JSON shaped like an answer, with any field missing or of any type.
  const anyValue = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.string(), fc.array(fc.anything(), { maxLength: 3 }), fc.object());
  const item = fc.record(
    {
      cluster_id: anyValue,
      cluster_name: anyValue,
      hpcjob_uuid: fc.oneof(anyValue, fc.constant('hpcjob-a')),
      job_name: anyValue,
      job_status: fc.oneof(anyValue, fc.constantFrom('running', 'RUNNING', 'weird')),
      job_id: anyValue,
    },
    { requiredKeys: [] },
  );
  const answers = fc.record(
    {
      ret_code: fc.oneof(fc.constant(0), anyValue),
      total_count: fc.oneof(fc.nat(), anyValue),
      cluster_set: fc.oneof(fc.array(item, { maxLength: 4 }), anyValue),
      hpc_job_set: fc.oneof(fc.array(item, { maxLength: 4 }), anyValue),
    },
    { requiredKeys: [] },
  );

  it('turn any JSON answer into a value or a typed error', () => {
    fc.assert(fc.property(answers, (answer) => parseAll(JSON.stringify(answer))), { numRuns: RUNS });
  });

  it('turn any text, cut-off JSON among it, into a value or a typed error', () => {
    const texts = fc.oneof(
      fc.string(),
      fc.json(),
      answers.chain((answer) => {
        const text = JSON.stringify(answer);
        return fc.nat({ max: text.length }).map((cut) => text.slice(0, cut));
      }),
    );
    fc.assert(fc.property(texts, parseAll), { numRuns: RUNS });
  });

  it('never make up a job: every parsed job has the id the server sent', () => {
    fc.assert(
      fc.property(answers, (answer) => {
        try {
          const page = parseJobPage(answer, 'jn1a', 'ehpc-a');
          const sent = (answer.hpc_job_set as { hpcjob_uuid?: unknown }[]).map((job) => job.hpcjob_uuid);
          assert.deepEqual(page.items.map((job) => job.hpcjobUuid), sent);
        } catch (error) {
          assert.ok(error instanceof EhpcError);
        }
      }),
      { numRuns: RUNS },
    );
  });
}).timeout(20_000); // 2000 runs each: seconds, not milliseconds, on a busy machine
