// `npm run simulator`: a local EHPC API to point the extension at.
// Flags: --port N (or PORT env; default 8787), --host H, --zones jn1a,jn1b, --clusters N
// (per zone), --jobs N (per cluster), --seed N, --stop-delay MS (how long a stopJobs operation
// takes; default 2500), --cluster-power MS (how long starting or stopping a cluster takes;
// default 15000), --hourly-quota N (calls an hour; default no limit), and the job lifecycle's (see flags.ts): --start-after MS, --run-for MS,
// --move-generated-jobs yes|no (default yes: the demo data's live jobs end one by one).
// Stops on Ctrl-C.
import { describeLifecycle, integer, LIFECYCLE_FLAGS, lifecycleFlags, optionalInteger, parseFlags } from './flags';
import { startSimulator, type RecordedRequest, type SimulatorOptions } from './server';

function parseArgs(argv: readonly string[]): SimulatorOptions {
  const flags = parseFlags(argv, ['port', 'host', 'zones', 'clusters', 'jobs', 'seed', 'stop-delay', 'cluster-power', 'hourly-quota', ...LIFECYCLE_FLAGS]);
  return {
    port: integer('port', flags.get('port') ?? process.env.PORT ?? '8787'),
    host: flags.get('host'),
    zones: flags.get('zones')?.split(',').map((z) => z.trim()).filter((z) => z !== ''),
    clustersPerZone: optionalInteger('clusters', flags.get('clusters')),
    jobsPerCluster: optionalInteger('jobs', flags.get('jobs')),
    seed: optionalInteger('seed', flags.get('seed')),
    stopDelayMs: optionalInteger('stop-delay', flags.get('stop-delay')),
    clusterPowerMs: optionalInteger('cluster-power', flags.get('cluster-power')),
    hourlyCallQuota: optionalInteger('hourly-quota', flags.get('hourly-quota')),
    lifecycle: lifecycleFlags(flags),
  };
}

/** One line per request; the path only, so no signature reaches the log. */
function logRequest(r: RecordedRequest): void {
  const outcome = r.retCode === undefined ? 'non-JSON' : `ret_code ${r.retCode}`;
  console.log(`${r.time.toISOString()} ${r.method} ${r.path} -> ${outcome} (HTTP ${r.httpStatus})`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sim = await startSimulator({ ...options, onRequest: logRequest });
  console.log(`EHPC simulator listening on ${sim.endpoint}`);
  console.log(`  access key id:     ${sim.accessKeyId}`);
  console.log(`  secret access key: ${sim.secretAccessKey}`);
  console.log('VS Code settings:');
  console.log(`  "ehpc.endpoint": ${JSON.stringify(sim.endpoint)},`);
  console.log(`  "ehpc.zones": ${JSON.stringify(sim.zones)}`);
  console.log(`SSH to each cluster's login node as admin (or any user of the cluster), password ${sim.loginNodes.password}:`);
  for (const zone of sim.zones) {
    for (const cluster of sim.clusters(zone)) {
      console.log(`  ${cluster.cluster_name} (${cluster.cluster_id}, zone ${zone}): 127.0.0.1:${sim.loginNodes.address(cluster.cluster_id).port}`);
    }
  }
  console.log(describeLifecycle(options.lifecycle ?? {}));
  console.log('Press Ctrl-C to stop.');

  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
