// `npm run simulator`: a local EHPC API to point the extension at.
// Flags: --port N (or PORT env; default 8787), --host H, --zones jn1a,jn1b, --clusters N
// (per zone), --jobs N (per cluster), --seed N, --stop-delay MS (how long a stopJobs operation
// takes; default 2500). Stops on Ctrl-C.
import { startSimulator, type RecordedRequest, type SimulatorOptions } from './server';

function parseArgs(argv: readonly string[]): SimulatorOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new Error(`unexpected argument: ${arg}`);
    }
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else if (i + 1 < argv.length) {
      flags.set(arg.slice(2), argv[++i]);
    } else {
      throw new Error(`missing value for ${arg}`);
    }
  }
  const known = ['port', 'host', 'zones', 'clusters', 'jobs', 'seed', 'stop-delay'];
  const unknown = [...flags.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown flag: --${unknown[0]} (known: ${known.map((k) => '--' + k).join(' ')})`);
  }
  return {
    port: integer('port', flags.get('port') ?? process.env.PORT ?? '8787'),
    host: flags.get('host'),
    zones: flags.get('zones')?.split(',').map((z) => z.trim()).filter((z) => z !== ''),
    clustersPerZone: optionalInteger('clusters', flags.get('clusters')),
    jobsPerCluster: optionalInteger('jobs', flags.get('jobs')),
    seed: optionalInteger('seed', flags.get('seed')),
    stopDelayMs: optionalInteger('stop-delay', flags.get('stop-delay')),
  };
}

function integer(name: string, text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new Error(`--${name} must be a non-negative integer, got ${text}`);
  }
  return Number(text);
}

function optionalInteger(name: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : integer(name, text);
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
