/**
 * `npm start` (after `npm run build`): a local demo of the extension, offline.
 * Starts the EHPC simulator and VS Code's server with this repo loaded as a development
 * extension, pointed at the simulator (the endpoint and the zones in the server's machine settings,
 * since no workspace may set them); prints the URL to open and the
 * simulator's demo keys; runs until Ctrl-C. A second simulator, with keys of its own, stands
 * for a second EHPC service (a supercomputing centre's): add it with EHPC: Add Account...
 * Each cluster's login node answers SSH on 127.0.0.1 and a port of its own (listed, and written
 * to the machine settings as `ehpc.ssh.loginNodes`), over a folder of the run folder standing for
 * the cluster's storage; their host keys are kept in `.vscode-test/demo-host-keys*.json`, so the
 * next demo presents the same ones.
 * Environment: PORT (VS Code, default 8080).
 * Flags (`npm start -- --run-for 60000`): the simulator's job lifecycle, --start-after MS,
 * --run-for MS, --move-generated-jobs yes|no (default yes: the demo's live jobs end one by one).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { addLongDemoJobs, DEMO_JOBS_PER_CLUSTER } from '../simulator/demo';
import { describeLifecycle, LIFECYCLE_FLAGS, lifecycleFlags, parseFlags } from '../simulator/flags';
import { startSimulator, type LifecycleOptions } from '../simulator/server';
import { createRunDir, isCodeServerInstalled, repoRoot, startVSCodeServer, VSCodeServer } from '../test/harness/vscodeServer';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

async function main(): Promise<void> {
  const lifecycle = lifecycleFromArgs();
  if (!isCodeServerInstalled()) {
    const r = spawnSync('bash', [path.join(repoRoot, 'scripts', 'install-test-vscode.sh')], { stdio: 'inherit' });
    if (r.status !== 0) {
      throw new Error('installing the VS Code server failed');
    }
  }

  let sim: Simulator | undefined;
  let second: Simulator | undefined;
  let server: VSCodeServer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) {
      return;
    }
    stopping = true;
    await Promise.allSettled([server?.stop(), sim?.close(), second?.close()]);
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      console.log('\nStopping…');
      void stop(0);
    });
  }

  try {
    const runDir = createRunDir('demo');
    const keptKeys = (name: string) => path.join(repoRoot, '.vscode-test', `${name}.json`);
    sim = await startSimulator({
      lifecycle, jobsPerCluster: DEMO_JOBS_PER_CLUSTER, idleCluster: true,
      storageDir: path.join(runDir, 'cluster-storage'), hostKeyFile: keptKeys('demo-host-keys'),
    });
    const longJobs = addLongDemoJobs(sim);
    const [big] = sim.clusters(sim.zones[0]);
    second = await startSimulator({
      lifecycle, seed: 2, zones: ['sd1a'], idleCluster: true, accessKeyId: 'SECONDDEMOACCESSKEY', secretAccessKey: 'second-demo-secret-access-key',
      storageDir: path.join(runDir, 'cluster-storage-2'), hostKeyFile: keptKeys('demo-host-keys-2'),
    });
    const workspace = writeDemoWorkspace();
    const port = Number(process.env.PORT) || 8080;
    const logins = [...loginNodesOf(sim), ...loginNodesOf(second)];
    server = await startVSCodeServer({
      runDir, port,
      machineSettings: {
        'ehpc.endpoint': sim.endpoint,
        'ehpc.zones': sim.zones,
        // Each zone's last cluster idles (active, pay-as-you-go, no job): warned about 2 minutes after it is listed.
        'ehpc.idleClusterMinutes': 2,
        // No host: the login node listNodes names, on this port.
        'ehpc.ssh.loginNodes': Object.fromEntries(logins.map((login) => [login.clusterId, `:${login.port}`])),
      },
    });
    const url = server.workbenchUrl(workspace, { extensionDevelopmentPath: repoRoot });

    console.log(`
EHPC simulator:    ${sim.endpoint}
Access key ID:     ${sim.accessKeyId}
Secret access key: ${sim.secretAccessKey}
(demo keys of the local simulator only)
${describeLifecycle(lifecycle)}
Cluster ${big.cluster_name} (zone ${sim.zones[0]}) has ${sim.jobs(sim.zones[0], big.cluster_id).length} jobs, 100 at a time (Load More...);
${longJobs.map((job) => job.job_name).join(', ')} there run for an hour: try Cancel or Watch on them.
Idle clusters: ${sim.zones.map((zone) => sim!.clusters(zone).at(-1)!.cluster_name).join(', ')} run no job and are billed by use: about 2 minutes
after the view lists them, a warning offers Stop Cluster (ehpc.idleClusterMinutes is 2 here).

SSH to each cluster's login node as admin (or any user of the cluster), password ${sim.loginNodes.password}:
${logins.map((login) => `  ${login.label}: 127.0.0.1:${login.port}`).join('\n')}
Submit hello-cluster.sh, then open the job's output and watch its lines arrive.

To try several accounts, add a second EHPC service with EHPC: Add Account... (the view's "..." menu):
  endpoint ${second.endpoint}, zone sd1a, access key ID ${second.accessKeyId}, secret access key ${second.secretAccessKey}

Open this URL in a browser on this machine (forward port ${port} if it is remote):
${url}

VS Code server log: ${path.relative(repoRoot, server.logFile)}
Press Ctrl-C to stop.`);

    const code = await server.exited;
    if (!stopping) {
      console.error(`VS Code server exited unexpectedly (code ${code}); see ${server.logFile}`);
      await stop(1);
    }
  } catch (err) {
    const message = (err as Error).message;
    console.error(`npm start: ${message}${/in use/.test(message) ? ' (set PORT to use another one)' : ''}`);
    await stop(1);
  }
}

/** Each cluster's login node: its id, a label to show, and its SSH port. */
function loginNodesOf(simulator: Simulator): { clusterId: string; label: string; port: number }[] {
  return simulator.zones.flatMap((zone) => simulator.clusters(zone).map((cluster) => ({
    clusterId: cluster.cluster_id,
    label: `${cluster.cluster_name} (${cluster.cluster_id}, zone ${zone})`,
    port: simulator.loginNodes.address(cluster.cluster_id).port,
  })));
}

/** The simulator's job lifecycle from the command line; a bad flag ends the demo before it starts. */
function lifecycleFromArgs(): LifecycleOptions {
  try {
    return lifecycleFlags(parseFlags(process.argv.slice(2), LIFECYCLE_FLAGS));
  } catch (err) {
    console.error(`npm start: ${(err as Error).message}`);
    process.exit(2);
  }
}

/** The sample job script of sample-workspace/, copied into the demo workspace. */
const SAMPLE_SCRIPT = 'hello-cluster.sh';

/** `.vscode-test/demo-workspace`, the folder the demo opens, with a sample job script. */
function writeDemoWorkspace(): string {
  const dir = path.join(repoRoot, '.vscode-test', 'demo-workspace');
  const settingsFile = path.join(dir, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  } catch {
    /* missing or not plain JSON: start over */
  }
  // Keep the user's other settings. An endpoint or zones written here by older versions are
  // ignored by the extension: drop them rather than leave them to mislead.
  delete settings['ehpc.endpoint'];
  delete settings['ehpc.zones'];
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2) + '\n');
  // A job script to submit at once; left alone once there, so the user's edits stay.
  const sample = path.join(dir, SAMPLE_SCRIPT);
  if (!fs.existsSync(sample)) {
    fs.copyFileSync(path.join(repoRoot, 'sample-workspace', SAMPLE_SCRIPT), sample);
  }
  return dir;
}

void main();
