// Properties checked over thousands of generated cases, not a few samples: a batch sends
// every selected job exactly once, to its own cluster and zone, and nothing else; the
// response parsers turn any body into a value or a typed error, never a crash.
import * as assert from 'assert/strict';
import fc from 'fast-check';
import { groupByCluster, isDeleted, MAX_IDS_PER_REQUEST, runBatch } from '../../src/ehpc/batch';
import { EhpcError } from '../../src/ehpc/errors';
import { parseBody, parseClusterPage, parseJobDetail, parseJobPage } from '../../src/ehpc/parse';
import { Job } from '../../src/ehpc/types';
import { ClusterNode, JobNode, jobsFromTree, MessageNode, TreeNode, ZoneNode } from '../../src/tree/nodes';

const RUNS = 2000;

/** A world of zones and clusters, each job with an id unique across it. */
const worlds = fc
  .array(fc.tuple(fc.constantFrom('jn1a', 'jn1b', 'pek3'), fc.constantFrom('ehpc-a', 'ehpc-b', 'ehpc-c'), fc.integer({ min: 0, max: 250 })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((clusters) => {
    const jobs: Job[] = [];
    const seen = new Set<string>();
    for (const [zone, clusterId, count] of clusters) {
      if (seen.has(`${zone}/${clusterId}`)) {
        continue;
      }
      seen.add(`${zone}/${clusterId}`);
      for (let i = 0; i < count; i++) {
        jobs.push({ zone, clusterId, hpcjobUuid: `hpcjob-${zone}-${clusterId}-${i}`, name: `job ${i}`, status: 'running' });
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
  it('sends every selected job exactly once, to its own cluster and zone, and no other id', async () => {
    await fc.assert(
      fc.asyncProperty(selections, async ({ selected }) => {
        const sent: { zone: string; clusterId: string; ids: string[] }[] = [];
        await runBatch(groupByCluster(selected), {
          act: async (zone, clusterId, ids) => void sent.push({ zone, clusterId, ids }),
          lookup: async (_zone, _clusterId, ids) => new Map(ids.map((id) => [id, undefined])),
          isDone: isDeleted,
        });
        const sentIds = sent.flatMap((request) => request.ids);
        const wanted = new Set(selected.map((job) => job.hpcjobUuid));
        assert.equal(sentIds.length, wanted.size, 'an id was sent twice or left out');
        assert.deepEqual(new Set(sentIds), wanted);
        const home = new Map(selected.map((job) => [job.hpcjobUuid, `${job.zone}/${job.clusterId}`]));
        for (const request of sent) {
          assert.ok(request.ids.length > 0 && request.ids.length <= MAX_IDS_PER_REQUEST);
          assert.ok(request.ids.every((id) => home.get(id) === `${request.zone}/${request.clusterId}`), 'an id went to another cluster');
        }
        const clusters = new Set(selected.map((job) => `${job.zone}/${job.clusterId}`));
        const requestsPerCluster = (key: string) => sent.filter((r) => `${r.zone}/${r.clusterId}` === key).length;
        for (const key of clusters) {
          const count = selected.filter((job) => `${job.zone}/${job.clusterId}` === key && wanted.has(job.hpcjobUuid));
          assert.equal(requestsPerCluster(key), Math.ceil(new Set(count.map((j) => j.hpcjobUuid)).size / MAX_IDS_PER_REQUEST));
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
          lookup: async (_zone, _clusterId, ids) => new Map(ids.map((id) => [id, serverKeeps(id) ? { status: 'running' as const } : undefined])),
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

  it('sends nothing after a sign-out at any point, and accounts for every job exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(selections, fc.nat({ max: 20 }), async ({ selected }, requestsBeforeSignOut) => {
        let sent = 0;
        let sentAfter = 0;
        let signedIn = true;
        const outcome = await runBatch(groupByCluster(selected), {
          mayContinue: () => signedIn,
          act: async () => {
            if (!signedIn) {
              sentAfter++;
            }
            if (++sent >= requestsBeforeSignOut) {
              signedIn = false;
            }
          },
          lookup: async (_zone, _clusterId, ids) => {
            assert.ok(signedIn, 'looked up after the sign-out');
            return new Map(ids.map((id) => [id, undefined]));
          },
          isDone: isDeleted,
        });
        assert.equal(sentAfter, 0);
        for (const cluster of outcome.clusters) {
          const buckets = [cluster.done, cluster.remaining, cluster.inProgress, cluster.unknown, cluster.notSent].flat().map((job) => job.hpcjobUuid);
          assert.deepEqual(buckets.sort(), cluster.requested.map((job) => job.hpcjobUuid).sort());
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('takes from a tree invocation only job rows: the selection when it holds the clicked row, else that row', () => {
    const zone: ZoneNode = { kind: 'zone', zone: 'jn1a' };
    const cluster: ClusterNode = { kind: 'cluster', cluster: { zone: 'jn1a', clusterId: 'ehpc-a', name: 'a', status: 'active' }, parent: zone };
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
