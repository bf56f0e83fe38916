// The local EHPC simulator, driven over real HTTP: mostly with requests signed by the
// extension's own signing code, and for the signature checks with literal test vectors.
import * as assert from 'assert/strict';
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import type { QueryParams } from '../../src/ehpc/signing';
import { generateDataset } from '../../simulator/data';
import {
  DEFAULT_STOP_DELAY_MS, startSimulator, type OperationItem, type Simulator, type SimulatorOptions,
} from '../../simulator/server';
import { bodyMd5, formEncodedSignature, signatureOf, stringToSign } from '../../simulator/signature';
import { parseTarget } from '../../simulator/wire';
import { call, manualClock, type Answer } from './support/simulatorCall';
import { DELETE_JOBS_VECTOR, LIST_JOBS_VECTOR, VECTOR_CREDENTIALS, VECTOR_TIMESTAMP } from './support/signingVectors';

/** Sends a request exactly as given: the target's bytes and the body's, nothing signed here. */
async function sendRaw(sim: Simulator, method: 'GET' | 'POST', target: string, body?: string): Promise<Record<string, any>> {
  const res = await fetch(`${sim.endpoint}${target}`, { method, body });
  return (await res.json()) as Record<string, any>;
}

/** Every module specifier a TypeScript source imports, re-exports or requires. */
function importsOf(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]));
}

const SIMULATOR_DIR = path.resolve(__dirname, '..', '..', '..', 'simulator');

/** Why a specifier may not appear in the simulator ('' when it may): Node itself, ssh2 (its login nodes) and simulator/ only. */
function forbiddenImport(specifier: string): string {
  if (builtinModules.includes(specifier.replace(/^node:/, '')) || specifier === 'ssh2') {
    return '';
  }
  if (specifier.startsWith('.') && path.dirname(path.resolve(SIMULATOR_DIR, specifier)) === SIMULATOR_DIR) {
    return '';
  }
  return `${specifier} is outside simulator/`;
}

describe('simulator', () => {
  const started: Simulator[] = [];
  async function simulator(opts: SimulatorOptions = {}): Promise<Simulator> {
    // Stops complete at once unless a test says otherwise.
    const sim = await startSimulator({ stopDelayMs: 0, ...opts });
    started.push(sim);
    return sim;
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  describe('data', () => {
    it('is the same for the same seed and differs for another', () => {
      assert.deepEqual(generateDataset({ seed: 7 }), generateDataset({ seed: 7 }));
      assert.notDeepEqual(generateDataset({ seed: 7 }), generateDataset({ seed: 8 }));
    });

    it('has zones × clusters × jobs, well-formed unique ids, newest job first', () => {
      const data = generateDataset({ zones: ['jn1a', 'jn1b', 'jinan1'], clustersPerZone: 2, jobsPerCluster: (i) => i * 3 });
      assert.deepEqual(data.clusters.map((c) => c.zone), ['jn1a', 'jn1a', 'jn1b', 'jn1b', 'jinan1', 'jinan1']);
      assert.deepEqual(data.clusters.map((c) => c.jobs.length), [0, 3, 6, 9, 12, 15]);
      const ids = data.clusters.flatMap((c) => [c.info.cluster_id, ...c.jobs.map((j) => j.hpcjob_uuid)]);
      assert.equal(new Set(ids).size, ids.length);
      for (const c of data.clusters) {
        assert.match(c.info.cluster_id, /^ehpc-[a-z0-9]{8}$/);
        for (const job of c.jobs) {
          assert.match(job.hpcjob_uuid, /^hpcjob-[a-z0-9]{8}$/);
          assert.match(job.submitted_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
        }
        const times = c.jobs.map((j) => j.submitted_time);
        assert.deepEqual(times, [...times].sort().reverse());
      }
    });

    it('makes one cluster of 20,000 jobs with unique ids and every status', () => {
      const data = generateDataset({ zones: ['jn1a'], clustersPerZone: 2, jobsPerCluster: [20_000, 5] });
      const big = data.clusters[0].jobs;
      assert.equal(big.length, 20_000);
      assert.equal(new Set(big.map((j) => j.hpcjob_uuid)).size, 20_000);
      assert.deepEqual(
        [...new Set(big.map((j) => j.job_status))].sort(),
        ['cancelled', 'exited', 'finished', 'pending', 'running', 'stopped'],
      );
      const names = big.map((j) => j.job_name);
      assert.ok(names.some((n) => n.includes(' ')) && names.some((n) => n.includes('/')));
      assert.ok(names.some((n) => /[^ -~]/.test(n)), 'some job names are non-ASCII');
    });
  });

  describe('sources', () => {
    it('import nothing from the extension: the simulator checks the client, it does not share its code', () => {
      const files = fs.readdirSync(SIMULATOR_DIR).filter((f) => f.endsWith('.ts'));
      assert.ok(files.includes('server.ts') && files.includes('signature.ts'), `simulator sources not found in ${SIMULATOR_DIR}`);
      const found = files.flatMap((file) => importsOf(fs.readFileSync(path.join(SIMULATOR_DIR, file), 'utf8')).map((spec) => `${file}: ${spec}`));
      assert.ok(found.includes('server.ts: ./api') && found.includes('auth.ts: crypto'), 'the scan finds imports');
      assert.deepEqual(found.filter((line) => forbiddenImport(line.split(': ')[1]) !== ''), []);
    });

    it('the scan catches every form of an import from src/', () => {
      const source = [
        "import { canonicalQuery } from '../src/ehpc/signing';",
        "import type {\n  WireJob,\n} from '../src/ehpc/types';",
        "export { x } from '../src/x';",
        "const y = require('../src/y');",
        "import '../src/z';",
      ].join('\n');
      assert.deepEqual(importsOf(source).map(forbiddenImport).filter((why) => why === ''), []);
      assert.equal(importsOf(source).length, 5);
    });
  });

  describe('signature verification (the simulator\'s own, from the signing rules)', () => {
    const D = DELETE_JOBS_VECTOR;
    const L = LIST_JOBS_VECTOR;
    const deleteTarget = `${D.path}?${D.query}&signature=${D.signatureInUrl}`;
    const listTarget = (signatureInUrl: string, query: string = L.query) => `${L.path}?${query}&signature=${signatureInUrl}`;
    /** A simulator with the vectors' keys, its clock `skewSeconds` after the vectors' timestamp. */
    const vectorSimulator = (skewSeconds = 10) => simulator({
      accessKeyId: VECTOR_CREDENTIALS.accessKeyId,
      secretAccessKey: VECTOR_CREDENTIALS.secretAccessKey,
      now: () => new Date(Date.parse(VECTOR_TIMESTAMP) + skewSeconds * 1000),
    });

    it('computes the documented vector from the bytes on the wire', () => {
      const { path: signedPath, params } = parseTarget(deleteTarget);
      const body = Buffer.from(D.body, 'utf8');
      assert.equal(bodyMd5(body), D.bodyMd5);
      assert.equal(stringToSign(D.method, signedPath, params, body), D.stringToSign);
      assert.equal(signatureOf(VECTOR_CREDENTIALS.secretAccessKey, D.stringToSign), D.signature);
      assert.equal(formEncodedSignature(D.signature), 'Tyc9JyLbR8B1PaRNOiQbwBCHBJs8mUxGltzLI2WiwPc%3D');
    });

    it('computes the GET vector: space, "/" and Chinese in search_word', () => {
      const { path: signedPath, params } = parseTarget(listTarget(L.signatureInUrl));
      assert.equal(stringToSign(L.method, signedPath, params, Buffer.alloc(0)), L.stringToSign);
      assert.equal(signatureOf(VECTOR_CREDENTIALS.secretAccessKey, L.stringToSign), L.signature);
    });

    it('accepts the documented POST vector, signature encoded twice, and nothing else', async () => {
      const sim = await vectorSimulator();
      // Past authentication, the cluster is unknown here: 2100, not 1200.
      const good = await sendRaw(sim, 'POST', deleteTarget, D.body);
      assert.equal(good.ret_code, 2100);
      assert.match(good.message, /ehpc-8jqdq0mz/);
      const encodedOnce = await sendRaw(sim, 'POST', deleteTarget.replace('%253D', '%3D'), D.body);
      assert.equal(encodedOnce.ret_code, 1200);
    });

    it('rejects one flipped byte in the body, the query or the signature with 1200', async () => {
      const sim = await vectorSimulator();
      const cases: Array<[string, string, string]> = [
        ['body', deleteTarget, D.body.replace('bp6rj09f', 'bp6rj09g')],
        ['body whitespace', deleteTarget, D.body.replace('"zone": ', '"zone":')],
        ['query', deleteTarget.replace('44%3A40Z', '44%3A41Z'), D.body],
        ['signature', deleteTarget.replace('Tyc9', 'Tyd9'), D.body],
      ];
      for (const [name, target, body] of cases) {
        const res = await sendRaw(sim, 'POST', target, body);
        assert.equal(res.ret_code, 1200, name);
        assert.match(res.message, /signature/, name);
      }
    });

    it('accepts the GET vector however its values are percent-encoded on the wire', async () => {
      const sim = await vectorSimulator();
      const res = await sendRaw(sim, 'GET', listTarget(L.signatureInUrl));
      assert.equal(res.ret_code, 2100, JSON.stringify(res));
      // "/" sent as %2F and "1" as %31 are the same values: what is signed is the decoded value.
      const reencoded = L.query.replace('sim%20run/', 'sim%20run%2F').replace('%201&', '%20%31&');
      assert.equal((await sendRaw(sim, 'GET', listTarget(L.signatureInUrl, reencoded))).ret_code, 2100);
    });

    it('rejects a search_word whose "/" was signed as %2F', async () => {
      const sim = await vectorSimulator();
      const res = await sendRaw(sim, 'GET', listTarget(L.slashEncodedSignatureInUrl));
      assert.equal(res.ret_code, 1200);
    });

    it('rejects a correctly signed request 61 s old with 1300, and takes one 60 s old', async () => {
      const late = await vectorSimulator(61);
      const expired = await sendRaw(late, 'POST', deleteTarget, D.body);
      assert.equal(expired.ret_code, 1300);
      assert.match(expired.message, /61 s/);
      const early = await vectorSimulator(-61);
      assert.equal((await sendRaw(early, 'POST', deleteTarget, D.body)).ret_code, 1300, 'a clock running behind');
      const inTime = await vectorSimulator(60);
      assert.equal((await sendRaw(inTime, 'POST', deleteTarget, D.body)).ret_code, 2100);
    });

    it('answers a missing signature, a parameter sent twice or undecodable bytes with 1100', async () => {
      const sim = await vectorSimulator();
      const noSignature = await sendRaw(sim, 'POST', `${D.path}?${D.query}`, D.body);
      assert.equal(noSignature.ret_code, 1100);
      assert.match(noSignature.message, /signature/);
      const twice = await sendRaw(sim, 'POST', `${deleteTarget}&version=1`, D.body);
      assert.equal(twice.ret_code, 1100);
      assert.match(twice.message, /version/);
      // fetch() would encode it: a raw non-ASCII character reaches only the parser.
      assert.throws(() => parseTarget('/api/job/list?search_word=s\u00efm'), { retCode: 1100 });
      assert.throws(() => parseTarget('/api/job/list?search_word=%E7%BB'), { retCode: 1100 }, 'half a UTF-8 character');
    });
  });

  describe('authentication', () => {
    it('answers a correctly signed request', async () => {
      const sim = await simulator();
      const res = await call(sim, 'GET', '/api/cluster/list', { zone: 'jn1a' });
      assert.equal(res.status, 200);
      assert.equal(res.json.ret_code, 0);
      assert.equal(res.json.action, 'HpcClusterListClusterResponse');
      assert.equal(res.json.total_count, 3);
      assert.deepEqual(res.json.cluster_set, sim.clusters('jn1a'));
      assert.ok(sim.clusters('jn1a').some((c) => c.cluster_name === '分子动力学'));
    });

    it('rejects a wrong secret and an unknown key id with 1200', async () => {
      const sim = await simulator();
      const wrongSecret = await call(sim, 'GET', '/api/cluster/list', { zone: 'jn1a' }, undefined, { secretAccessKey: 'nope' });
      assert.equal(wrongSecret.status, 200);
      assert.equal(wrongSecret.json.ret_code, 1200);
      const wrongKey = await call(sim, 'GET', '/api/cluster/list', { zone: 'jn1a' }, undefined, { accessKeyId: 'OTHERKEY' });
      assert.equal(wrongKey.json.ret_code, 1200);
      assert.match(wrongKey.json.message, /OTHERKEY/);
    });

    it('rejects a tampered query: the signature covers every parameter', async () => {
      const sim = await simulator();
      const res = await call(sim, 'GET', '/api/cluster/list', { zone: 'jn1a' }, undefined, {
        tamper: (q) => q.replace('zone=jn1a', 'zone=jn1b'),
      });
      assert.equal(res.json.ret_code, 1200);
    });

    it('rejects a timestamp 5 minutes off with 1300, and sends its own time in Date', async () => {
      const serverNow = new Date('2025-07-01T08:00:00Z');
      const sim = await simulator({ now: () => serverNow });
      const late = await call(sim, 'GET', '/api/cluster/list', { zone: 'jn1a' }, undefined, {
        now: new Date(serverNow.getTime() + 5 * 60_000),
      });
      assert.equal(late.json.ret_code, 1300);
      assert.equal(new Date(late.date ?? '').getTime(), serverNow.getTime());
      const close = await call(sim, 'GET', '/api/cluster/list', { zone: 'jn1a' }, undefined, {
        now: new Date(serverNow.getTime() - 59_000),
      });
      assert.equal(close.json.ret_code, 0);
    });

    it('names a missing common parameter (1100) before checking the signature', async () => {
      const sim = await simulator();
      const res = await call(sim, 'GET', '/api/cluster/list', { zone: 'jn1a' }, undefined, {
        tamper: (q) => q.replace(/timestamp=[^&]*&/, ''),
      });
      assert.equal(res.json.ret_code, 1100);
      assert.match(res.json.message, /timestamp/);
    });
  });

  describe('operations', () => {
    it('answers missing operation parameters and bad bodies with 1100', async () => {
      const sim = await simulator();
      const clusterId = sim.clusters('jn1a')[0].cluster_id;
      const [job] = sim.jobs('jn1a', clusterId);
      const cases: Array<[string, Promise<Answer>, RegExp]> = [
        ['no zone', call(sim, 'GET', '/api/cluster/list', {}), /zone/],
        ['no cluster_id', call(sim, 'GET', '/api/job/list', { zone: 'jn1a' }), /cluster_id/],
        ['zone in the query of a POST', call(sim, 'POST', '/api/job/deleteJobs', { zone: 'jn1a' }, { cluster_id: clusterId, job_ids: [job.hpcjob_uuid] }), /zone/],
        ['empty job_ids', call(sim, 'POST', '/api/job/deleteJobs', {}, { zone: 'jn1a', cluster_id: clusterId, job_ids: [] }), /job_ids/],
        ['integer job_ids', call(sim, 'POST', '/api/job/stopJobs', {}, { zone: 'jn1a', cluster_id: clusterId, job_ids: [job.job_id] }), /job_ids/],
        ['malformed JSON', call(sim, 'POST', '/api/job/deleteJobs', {}, '{"zone": "jn1a",'), /JSON/],
      ];
      for (const [name, pending, message] of cases) {
        const res = await pending;
        assert.equal(res.json.ret_code, 1100, name);
        assert.match(res.json.message, message, name);
      }
      assert.equal(sim.jobs('jn1a', clusterId).length, 12, 'nothing was deleted');
    });

    it('answers an unknown zone or cluster with 2100 naming it, and an unknown path with 404', async () => {
      const sim = await simulator();
      const cluster = await call(sim, 'GET', '/api/job/list', { zone: 'jn1a', cluster_id: 'ehpc-nothere0' });
      assert.equal(cluster.json.ret_code, 2100);
      assert.match(cluster.json.message, /ehpc-nothere0/);
      const zone = await call(sim, 'GET', '/api/cluster/list', { zone: 'mars1' });
      assert.equal(zone.json.ret_code, 2100);
      assert.match(zone.json.message, /mars1/);
      const path = await call(sim, 'GET', '/api/job/nothing', { zone: 'jn1a' });
      assert.equal(path.status, 404);
      assert.equal(path.json.ret_code, 1100);
    });

    it('pages jobs: at most 100 per call whatever limit says, with total_count', async () => {
      const sim = await simulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: [250] });
      const clusterId = sim.clusters('jn1a')[0].cluster_id;
      const list = (params: QueryParams) => call(sim, 'GET', '/api/job/list', { zone: 'jn1a', cluster_id: clusterId, ...params });

      const first = await list({ limit: 1000 });
      assert.equal(first.json.action, 'HpcJobListJobsResponse');
      assert.equal(first.json.total_count, 250);
      assert.equal(first.json.hpc_job_set.length, 100);
      assert.equal((await list({})).json.hpc_job_set.length, 10, 'limit defaults to 10');
      const last = await list({ limit: 100, offset: 200 });
      assert.equal(last.json.hpc_job_set.length, 50);

      const seen: string[] = [];
      for (let offset = 0; offset < 250; offset += 100) {
        seen.push(...(await list({ limit: 100, offset })).json.hpc_job_set.map((j: { hpcjob_uuid: string }) => j.hpcjob_uuid));
      }
      assert.deepEqual(seen, sim.jobs('jn1a', clusterId).map((j) => j.hpcjob_uuid));
      assert.equal(first.json.hpc_job_set[0].end_time, undefined, 'detail-only fields stay out of the list');
    });

    it('filters jobs by status and by a case-insensitive search word', async () => {
      const sim = await simulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: [200] });
      const clusterId = sim.clusters('jn1a')[0].cluster_id;
      const all = sim.jobs('jn1a', clusterId);
      const running = await call(sim, 'GET', '/api/job/list', { zone: 'jn1a', cluster_id: clusterId, job_status: 'running', limit: 100 });
      assert.equal(running.json.total_count, all.filter((j) => j.job_status === 'running').length);
      assert.ok(running.json.hpc_job_set.every((j: { job_status: string }) => j.job_status === 'running'));

      // Names are 'Ångström scan N' and 'lammps/npt-NK': case differs both ways, '/' is kept.
      for (const word of ['ångström SCAN', 'LAMMPS/npt']) {
        const found = await call(sim, 'GET', '/api/job/list', { zone: 'jn1a', cluster_id: clusterId, search_word: word, limit: 100 });
        const expected = all.filter((j) => j.job_name.toLowerCase().includes(word.toLowerCase()));
        assert.ok(expected.length > 0 && expected.length < all.length, word);
        assert.equal(found.json.total_count, expected.length, word);
      }
    });

    it('shows a job\'s detail with the detail-only fields', async () => {
      const sim = await simulator();
      const clusterId = sim.clusters('jn1b')[0].cluster_id;
      const job = sim.jobs('jn1b', clusterId)[4];
      const res = await call(sim, 'GET', `/api/job/jobdetail/${job.hpcjob_uuid}`, { zone: 'jn1b', cluster_id: clusterId });
      assert.equal(res.json.ret_code, 0);
      assert.deepEqual(res.json.hpc_job_set, [job]);
      assert.ok('end_time' in res.json.hpc_job_set[0] && 'pend_reason' in res.json.hpc_job_set[0]);
      const missing = await call(sim, 'GET', '/api/job/jobdetail/hpcjob-nothere0', { zone: 'jn1b', cluster_id: clusterId });
      assert.equal(missing.json.ret_code, 2100);
    });

    it('deleteJobs removes exactly the named jobs, ignoring unknown ids', async () => {
      const sim = await simulator();
      const [target, other] = sim.clusters('jn1a').map((c) => c.cluster_id);
      const before = sim.jobs('jn1a', target);
      const doomed = [before[1].hpcjob_uuid, before[7].hpcjob_uuid];
      const otherBefore = sim.jobs('jn1a', other);

      const res = await call(sim, 'POST', '/api/job/deleteJobs', {}, {
        cluster_id: target, job_ids: [...doomed, 'hpcjob-nothere0', otherBefore[0].hpcjob_uuid], zone: 'jn1a',
      });
      assert.deepEqual(res.json, { action: 'HpcJobDeleteJobsResponse', ret_code: 0 });
      assert.deepEqual(
        sim.jobs('jn1a', target).map((j) => j.hpcjob_uuid),
        before.map((j) => j.hpcjob_uuid).filter((id) => !doomed.includes(id)),
      );
      assert.deepEqual(sim.jobs('jn1a', other), otherBefore, 'a job of another cluster was not touched');

      const listed = await call(sim, 'GET', '/api/job/list', { zone: 'jn1a', cluster_id: target, limit: 100 });
      assert.equal(listed.json.total_count, before.length - 2);
      const ids = listed.json.hpc_job_set.map((j: { hpcjob_uuid: string }) => j.hpcjob_uuid);
      assert.ok(doomed.every((id) => !ids.includes(id)));
    });

    it('stopJobs cancels pending and running jobs only, and the cluster counts follow', async () => {
      const sim = await simulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: [40] });
      const clusterId = sim.clusters('jn1a')[0].cluster_id;
      const before = sim.jobs('jn1a', clusterId);
      const live = before.filter((j) => j.job_status === 'pending' || j.job_status === 'running');
      const done = before.find((j) => j.job_status === 'finished')!;
      assert.ok(live.length > 0);

      const res = await call(sim, 'POST', '/api/job/stopJobs', {}, {
        cluster_id: clusterId, job_ids: [...live.map((j) => j.hpcjob_uuid), done.hpcjob_uuid], zone: 'jn1a',
      });
      assert.equal(res.json.action, 'HpcJobStopJobsResponse');
      assert.match(res.json.job_uuid, /^j-[a-z0-9]{11}$/);
      const after = new Map(sim.jobs('jn1a', clusterId).map((j) => [j.hpcjob_uuid, j.job_status]));
      assert.ok(live.every((j) => after.get(j.hpcjob_uuid) === 'cancelled'));
      assert.equal(after.get(done.hpcjob_uuid), 'finished');
      const [cluster] = sim.clusters('jn1a');
      assert.equal((cluster.running_job_count ?? 0) + (cluster.pending_job_count ?? 0), 0);
    });
  });

  describe('asynchronous stop', () => {
    const START = '2025-07-01T08:00:00Z';
    const live = (status: string) => status === 'pending' || status === 'running';

    /** A one-cluster simulator on a hand-moved clock, and calls signed on that clock. */
    async function stopSetup(stopDelayMs: number | undefined) {
      const clock = manualClock(START);
      const sim = await simulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: [40], now: clock.now, stopDelayMs });
      const clusterId = sim.clusters('jn1a')[0].cluster_id;
      const signed = (method: 'GET' | 'POST', p: string, params: QueryParams, body?: unknown) =>
        call(sim, method, p, params, body, { now: clock.now() });
      const stop = (jobIds: string[]) => signed('POST', '/api/job/stopJobs', {}, { cluster_id: clusterId, job_ids: jobIds, zone: 'jn1a' });
      const operation = async (id: string): Promise<OperationItem> => {
        const res = await signed('GET', '/api/operation', { zone: 'jn1a', job_ids: id });
        assert.equal(res.json.ret_code, 0, JSON.stringify(res.json));
        assert.equal(res.json.action, 'HpcOperationListOperationResponse');
        assert.equal(res.json.total_count, 1);
        return res.json.job_set[0] as OperationItem;
      };
      const listed = async () => {
        const res = await signed('GET', '/api/job/list', { zone: 'jn1a', cluster_id: clusterId, limit: 100 });
        return new Map<string, string>(res.json.hpc_job_set.map((j: { hpcjob_uuid: string; job_status: string }) => [j.hpcjob_uuid, j.job_status]));
      };
      return { sim, clock, clusterId, jobs: sim.jobs('jn1a', clusterId), stop, operation, listed };
    }

    it('takes a realistic moment by default', () => {
      assert.ok(DEFAULT_STOP_DELAY_MS >= 2000 && DEFAULT_STOP_DELAY_MS <= 3000, String(DEFAULT_STOP_DELAY_MS));
    });

    it('answers at once with an operation id; the jobs stay live until the stop completes', async () => {
      const t = await stopSetup(undefined);
      const targets = t.jobs.filter((j) => live(j.job_status));
      assert.ok(targets.some((j) => j.job_status === 'running') && targets.some((j) => j.job_status === 'pending'));
      const ids = targets.map((j) => j.hpcjob_uuid);

      const res = await t.stop(ids);
      assert.equal(res.json.ret_code, 0);
      assert.equal(res.json.action, 'HpcJobStopJobsResponse');
      assert.match(res.json.job_uuid, /^j-[a-z0-9]{11}$/);
      const opId: string = res.json.job_uuid;

      const right = await t.listed();
      assert.ok(targets.every((j) => right.get(j.hpcjob_uuid) === j.job_status), 'listed as before right after stopJobs');
      assert.deepEqual(await t.operation(opId), {
        job_id: opId,
        job_action: 'HpcJobStopJobs',
        action_describe: '取消作业',
        status: 'pending',
        create_time: START,
        status_time: START,
        error_codes: '',
        resource_ids: [t.clusterId, ...ids].join(' '),
      });

      t.clock.advance(DEFAULT_STOP_DELAY_MS - 1);
      assert.equal((await t.operation(opId)).status, 'pending');
      assert.ok(targets.every((j) => t.sim.jobs('jn1a', t.clusterId).find((x) => x.hpcjob_uuid === j.hpcjob_uuid)?.job_status === j.job_status));

      t.clock.advance(1);
      const done = await t.operation(opId);
      assert.equal(done.status, 'successful');
      assert.equal(done.status_time, '2025-07-01T08:00:02Z', 'when it completed, in whole seconds');
      assert.equal(done.error_codes, '');
      const after = await t.listed();
      assert.ok(ids.every((id) => after.get(id) === 'cancelled'));
      const [cluster] = t.sim.clusters('jn1a');
      assert.equal(cluster.running_job_count + cluster.pending_job_count, 0);
    });

    it('runs on the wall clock too: the jobs are first seen cancelled no sooner than the delay', async () => {
      const delayMs = 400;
      const sim = await simulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: [12], stopDelayMs: delayMs });
      const clusterId = sim.clusters('jn1a')[0].cluster_id;
      const target = sim.jobs('jn1a', clusterId).find((j) => live(j.job_status))!;
      const status = () => sim.jobs('jn1a', clusterId).find((j) => j.hpcjob_uuid === target.hpcjob_uuid)?.job_status;
      const sent = Date.now();
      await call(sim, 'POST', '/api/job/stopJobs', {}, { cluster_id: clusterId, job_ids: [target.hpcjob_uuid], zone: 'jn1a' });
      // Polled rather than slept on, so a slow machine cannot make this flaky either way.
      while (status() !== 'cancelled' && Date.now() - sent < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const elapsed = Date.now() - sent;
      assert.equal(status(), 'cancelled');
      assert.ok(elapsed >= delayMs, `cancelled after ${elapsed} ms`);
    });

    it('fails the operation when a named job had already ended, still stopping the live ones', async () => {
      const t = await stopSetup(1000);
      const running = t.jobs.find((j) => j.job_status === 'running')!;
      const finished = t.jobs.find((j) => j.job_status === 'finished')!;
      const opId: string = (await t.stop([running.hpcjob_uuid, finished.hpcjob_uuid])).json.job_uuid;
      assert.equal((await t.operation(opId)).status, 'pending');
      t.clock.advance(1000);
      const op = await t.operation(opId);
      assert.equal(op.status, 'failed');
      assert.equal(op.error_codes, '1400');
      const after = await t.listed();
      assert.equal(after.get(running.hpcjob_uuid), 'cancelled');
      assert.equal(after.get(finished.hpcjob_uuid), 'finished');
    });

    it('fails the operation of a job deleted before the stop completed', async () => {
      const t = await stopSetup(1000);
      const running = t.jobs.find((j) => j.job_status === 'running')!;
      const opId: string = (await t.stop([running.hpcjob_uuid])).json.job_uuid;
      await call(t.sim, 'POST', '/api/job/deleteJobs', {}, { cluster_id: t.clusterId, job_ids: [running.hpcjob_uuid], zone: 'jn1a' }, { now: t.clock.now() });
      t.clock.advance(1000);
      const op = await t.operation(opId);
      assert.equal(op.status, 'failed');
      assert.equal(op.error_codes, '2100');
    });

    it('fails the operation through an injected fault, stopping nothing', async () => {
      const t = await stopSetup(1000);
      const targets = t.jobs.filter((j) => live(j.job_status));
      t.sim.failNext({ path: '/api/job/stopJobs', clusterId: t.clusterId, failOperation: true });
      const res = await t.stop(targets.map((j) => j.hpcjob_uuid));
      assert.equal(res.json.ret_code, 0, 'the request itself succeeds');
      t.clock.advance(1000);
      const op = await t.operation(res.json.job_uuid);
      assert.equal(op.status, 'failed');
      assert.equal(op.error_codes, '5000');
      const after = await t.listed();
      assert.ok(targets.every((j) => after.get(j.hpcjob_uuid) === j.job_status), 'the jobs go on');

      const next = await t.stop([targets[0].hpcjob_uuid]);
      t.clock.advance(1000);
      assert.equal((await t.operation(next.json.job_uuid)).status, 'successful', 'the rule was used up');
    });

    it('lists operations newest first and filters them; an unknown id matches none', async () => {
      const t = await stopSetup(1000);
      const [a, b] = t.jobs.filter((j) => live(j.job_status));
      const first: string = (await t.stop([a.hpcjob_uuid])).json.job_uuid;
      t.clock.advance(1000);
      const second: string = (await t.stop([b.hpcjob_uuid])).json.job_uuid;
      const list = async (params: QueryParams): Promise<Array<number | string>> => {
        const res = await call(t.sim, 'GET', '/api/operation', { zone: 'jn1a', ...params }, undefined, { now: t.clock.now() });
        assert.equal(res.json.ret_code, 0, JSON.stringify(res.json));
        return [res.json.total_count as number, ...(res.json.job_set as OperationItem[]).map((o) => o.job_id)];
      };
      // Each answer as [total_count, ...job ids].
      assert.deepEqual(await list({}), [2, second, first]);
      assert.deepEqual(await list({ status: 'pending' }), [1, second]);
      assert.deepEqual(await list({ status: 'successful' }), [1, first]);
      assert.deepEqual(await list({ resource_ids: a.hpcjob_uuid }), [1, first]);
      assert.deepEqual(await list({ jobs: first }), [1, first], 'the SDK\'s name for the id');
      assert.deepEqual(await list({ limit: 1, offset: 1 }), [2, first]);
      assert.deepEqual(await list({ job_ids: 'j-nothere0000' }), [0]);
    });

    it('answers the operation endpoint\'s errors: no zone 1100, unknown zone 2100, bad paging 1100, bad key 1200', async () => {
      const t = await stopSetup(1000);
      const opId: string = (await t.stop([t.jobs[0].hpcjob_uuid])).json.job_uuid;
      const at = { now: t.clock.now() };
      const noZone = await call(t.sim, 'GET', '/api/operation', { job_ids: opId }, undefined, at);
      assert.equal(noZone.json.ret_code, 1100);
      assert.match(noZone.json.message, /zone/);
      const otherZone = await call(t.sim, 'GET', '/api/operation', { zone: 'mars1', job_ids: opId }, undefined, at);
      assert.equal(otherZone.json.ret_code, 2100);
      const paging = await call(t.sim, 'GET', '/api/operation', { zone: 'jn1a', limit: 'ten' }, undefined, at);
      assert.equal(paging.json.ret_code, 1100);
      const badKey = await call(t.sim, 'GET', '/api/operation', { zone: 'jn1a', job_ids: opId }, undefined, { ...at, secretAccessKey: 'nope' });
      assert.equal(badKey.json.ret_code, 1200);
      const post = await call(t.sim, 'POST', '/api/operation', {}, { zone: 'jn1a', job_ids: opId }, at);
      assert.equal(post.status, 404);
    });
  });

  describe('test hooks', () => {
    it('records every request, without the signature', async () => {
      const sim = await simulator();
      const clusterId = sim.clusters('jn1a')[0].cluster_id;
      const jobId = sim.jobs('jn1a', clusterId)[0].hpcjob_uuid;
      await call(sim, 'GET', '/api/job/list', { zone: 'jn1a', cluster_id: clusterId, search_word: 'md run' });
      await call(sim, 'POST', '/api/job/deleteJobs', {}, { zone: 'jn1a', cluster_id: clusterId, job_ids: [jobId] }, { secretAccessKey: 'bad' });

      assert.equal(sim.requests.length, 2);
      const [list, del] = sim.requests;
      assert.equal(list.method, 'GET');
      assert.equal(list.path, '/api/job/list');
      assert.equal(list.query.search_word, 'md run');
      assert.equal(list.query.signature, undefined);
      assert.equal(list.retCode, 0);
      assert.deepEqual(del.body, { zone: 'jn1a', cluster_id: clusterId, job_ids: [jobId] });
      assert.equal(del.retCode, 1200);
      assert.equal(del.httpStatus, 200);
      assert.ok(del.time instanceof Date);
      sim.clearRequests();
      assert.equal(sim.requests.length, 0);
    });

    it('fails the next matching request as a rule says, then recovers', async () => {
      const sim = await simulator();
      const [a, b] = sim.clusters('jn1a').map((c) => c.cluster_id);
      const jobId = sim.jobs('jn1a', a)[0].hpcjob_uuid;
      sim.failNext({ path: '/api/job/deleteJobs', clusterId: a, retCode: 5100, message: 'busy' });

      const other = await call(sim, 'GET', '/api/job/list', { zone: 'jn1a', cluster_id: b });
      assert.equal(other.json.ret_code, 0, 'a request the rule does not match');
      const failed = await call(sim, 'POST', '/api/job/deleteJobs', {}, { zone: 'jn1a', cluster_id: a, job_ids: [jobId] });
      assert.deepEqual(failed.json, { ret_code: 5100, message: 'busy' });
      assert.ok(sim.jobs('jn1a', a).some((j) => j.hpcjob_uuid === jobId), 'a failed delete deletes nothing');
      const retried = await call(sim, 'POST', '/api/job/deleteJobs', {}, { zone: 'jn1a', cluster_id: a, job_ids: [jobId] });
      assert.equal(retried.json.ret_code, 0);

      sim.failNext({ httpStatus: 502, rawBody: '<html>Bad Gateway</html>' });
      const res = await fetch(`${sim.endpoint}/api/cluster/list`);
      assert.equal(res.status, 502);
      assert.equal(await res.text(), '<html>Bad Gateway</html>');
      assert.equal(sim.requests.at(-1)?.retCode, undefined);
    });

    it('delays answers by the set latency, and close() does not wait for them', async () => {
      const sim = await simulator();
      sim.setLatency(60);
      const t0 = Date.now();
      assert.equal((await call(sim, 'GET', '/api/cluster/list', { zone: 'jn1a' })).json.ret_code, 0);
      assert.ok(Date.now() - t0 >= 55, 'answered too soon');

      sim.setLatency(10_000);
      const pending = call(sim, 'GET', '/api/cluster/list', { zone: 'jn1a' }).then(() => 'answered', () => 'dropped');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const t1 = Date.now();
      await sim.close();
      assert.equal(await pending, 'dropped');
      assert.ok(Date.now() - t1 < 1000, 'close() waited for the delayed answer');
    });
  });
});
