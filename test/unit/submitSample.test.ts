// The sample job script `npm start` puts in the demo workspace: the form fills in from it,
// and it runs on the simulator and ends.
import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EhpcClient } from '../../src/ehpc/client';
import { coresFrom, parseSbatch } from '../../src/submit/sbatch';
import { checkScript, commandFor } from '../../src/submit/script';
import { sendSubmission } from '../../src/submit/send';
import { startSimulator } from '../../simulator/server';

// __dirname is out/test/unit.
const SAMPLE = path.resolve(__dirname, '..', '..', '..', 'sample-workspace', 'hello-cluster.sh');

describe('the sample job script', () => {
  const text = fs.readFileSync(SAMPLE, 'utf8');

  it('is a script the extension sends, and bash reads', () => {
    assert.ok(checkScript(new TextEncoder().encode(text)).ok);
    execFileSync('bash', ['-n', SAMPLE]);
    assert.match(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'scripts', 'start.ts'), 'utf8'), /'hello-cluster\.sh'/, 'npm start copies it');
  });

  it('fills in the job name, cores, time limit and output', () => {
    const defaults = parseSbatch(text);
    assert.deepEqual(
      { name: defaults.jobName, cores: coresFrom(defaults), time: defaults.timeLimitMinutes, output: defaults.output, problems: defaults.problems, ignored: defaults.ignored },
      { name: 'hello-cluster', cores: 2, time: 10, output: 'hello-cluster-%j.out', problems: [], ignored: [] },
    );
  });

  it('runs on the simulator and finishes', async () => {
    const simulator = await startSimulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 0, lifecycle: { startAfterMs: 10, runMs: 50 } });
    try {
      const client = new EhpcClient({ endpoint: simulator.endpoint, credentials: { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey }, retry: { attempts: 1 } });
      const clusterId = simulator.clusters('jn1a')[0].cluster_id;
      const target = `${simulator.users('jn1a', clusterId)[0].nas_mount_point}/.vscode-ehpc/hello-cluster.sh`;
      const submission = { name: 'hello-cluster', runUser: 'admin', cmdLine: commandFor(target, text), coreLimit: 2, timeLimitMinutes: 10, stdoutPath: 'hello-cluster-%j.out' };
      const outcome = await sendSubmission(client, { account: '', zone: 'jn1a', clusterId, submission, script: { text, target } }, () => true);
      assert.equal(outcome.kind, 'submitted');
      await new Promise((resolve) => setTimeout(resolve, 150));
      const job = simulator.jobs('jn1a', clusterId).find((j) => j.job_name === 'hello-cluster');
      assert.equal(job?.job_status, 'finished');
    } finally {
      await simulator.close();
    }
  });
});
