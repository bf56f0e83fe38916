// The demo of `npm start`: one cluster long enough for Load More..., and a few jobs that run for
// an hour, so a newcomer can try Cancel and Watch on them before they end.
import * as assert from 'assert/strict';
import { addLongDemoJobs, DEMO_JOBS_PER_CLUSTER, DEMO_LONG_RUN_MS } from '../../simulator/demo';
import { startSimulator, type Simulator } from '../../simulator/server';
import { call, manualClock } from './support/simulatorCall';

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

  it('keeps an active pay-as-you-go cluster idle in every zone, for the idle warning to find, and switches clusters in about 15 s', async () => {
    const clock = manualClock('2025-07-01T08:00:00Z');
    sim = await startSimulator({ now: clock.now, jobsPerCluster: DEMO_JOBS_PER_CLUSTER, idleCluster: true, lifecycle: { moveGeneratedJobs: true } });
    addLongDemoJobs(sim);
    const idleOnes = () => sim!.zones.map((zone) => sim!.clusters(zone).filter((c) =>
      c.cluster_status === 'active' && c.paid_type === 'PayForUsed' && c.running_job_count + c.pending_job_count === 0));
    for (const minutes of [0, 5, 60]) {
      clock.advance(minutes * 60_000);
      assert.ok(idleOnes().every((idle) => idle.length >= 1), `${minutes} min in: ${JSON.stringify(idleOnes())}`);
    }
    const zone = sim.zones[0];
    const [idle] = idleOnes()[0];
    const stop = await call(sim, 'POST', '/api/cluster/stopCluster', {}, { zone, cluster_ids: [idle.cluster_id] }, { now: clock.now() });
    assert.equal(stop.json.ret_code, 0);
    clock.advance(14_000);
    assert.equal(sim.clusters(zone).find((c) => c.cluster_id === idle.cluster_id)?.transition_status, 'stopping');
    clock.advance(1000);
    assert.equal(sim.clusters(zone).find((c) => c.cluster_id === idle.cluster_id)?.cluster_status, 'stopped');
  });
});
