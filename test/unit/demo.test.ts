// The demo of `npm start`: one cluster long enough for Load More..., and a few jobs that run for
// an hour, so a newcomer can try Cancel and Watch on them before they end.
import * as assert from 'assert/strict';
import { addLongDemoJobs, DEMO_JOBS_PER_CLUSTER, DEMO_LONG_RUN_MS } from '../../simulator/demo';
import { startSimulator, type Simulator } from '../../simulator/server';
import { manualClock } from './support/simulatorCall';

/** The tree asks for this many jobs a page (src/tree/model.ts). */
const TREE_PAGE = 100;

describe('the demo data', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('gives the first cluster a few hundred jobs and a few that run for an hour, even with the demo lifecycle', async () => {
    const clock = manualClock('2025-07-01T08:00:00Z');
    // As npm start runs it: its live generated jobs move and end within minutes.
    sim = await startSimulator({ now: clock.now, jobsPerCluster: DEMO_JOBS_PER_CLUSTER, lifecycle: { moveGeneratedJobs: true } });
    const zone = sim.zones[0];
    const [big, ...others] = sim.clusters(zone);
    const long = addLongDemoJobs(sim);
    assert.ok(sim.jobs(zone, big.cluster_id).length > 2 * TREE_PAGE, 'Load More... shows at least twice');
    for (const cluster of others) {
      assert.equal(sim.jobs(zone, cluster.cluster_id).length, 12);
    }
    assert.ok(long.length >= 2);
    const status = () => long.map((job) => sim!.jobs(zone, big.cluster_id).find((j) => j.hpcjob_uuid === job.hpcjob_uuid)?.job_status);
    assert.deepEqual(status(), long.map(() => 'running'));
    assert.ok(long.every((job) => job.started_time), 'a running job has started');

    clock.advance(DEMO_LONG_RUN_MS - 60_000);
    sim.clusters(zone); // the simulator settles jobs when anything looks
    assert.deepEqual(status(), long.map(() => 'running'), 'still running a minute before the hour');
    clock.advance(60_000);
    sim.clusters(zone);
    assert.deepEqual(status(), long.map(() => 'finished'));
  });
});
