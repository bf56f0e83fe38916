// The chat tools' manifest entries and the check of their input against those schemas
// (src/tools/schema.ts), in plain Node: VS Code passes a model's input on unchecked.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { JOB_STATUSES } from '../../src/ehpc/types';
import { manifestSchemas, Schema, validate } from '../../src/tools/schema';

// __dirname is out/test/unit.
const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const schemas = manifestSchemas(manifest);
const schema = (name: string): Schema => {
  const found = schemas.get(name);
  assert.ok(found, `no schema for ${name}`);
  return found;
};

const CLUSTER = 'ehpc-abc12345';
const JOB = 'hpcjob-k2x9p0aa';

describe('chat tool schemas', () => {
  describe('the manifest', () => {
    const tools: Record<string, any>[] = manifest.contributes.languageModelTools;
    const names = tools.map((tool): unknown => tool.name);

    it('declares the nine tools, each referenceable in a prompt, tagged "ehpc", described through package.nls', () => {
      assert.deepEqual(names, ['ehpc_listClusters', 'ehpc_listJobs', 'ehpc_deleteJobs', 'ehpc_cancelJobs', 'ehpc_submitJob', 'ehpc_getJob', 'ehpc_readJobOutput', 'ehpc_startCluster', 'ehpc_stopCluster']);
      for (const tool of tools) {
        assert.equal(tool.canBeReferencedInPrompt, true, tool.name);
        assert.match(tool.toolReferenceName, /^[\w-]+$/, tool.name);
        assert.ok(tool.tags.includes('ehpc'), tool.name);
        assert.match(tool.displayName, /^%tool\.\w+\.displayName%$/, tool.name);
        assert.match(tool.userDescription, /^%tool\.\w+\.userDescription%$/, tool.name);
        assert.doesNotMatch(tool.modelDescription, /%/, `${tool.name}: the model's description stays English, in place`);
      }
    });

    it('has closed schemas (no property a schema does not name is accepted) that use only keywords the check enforces', () => {
      // manifestSchemas (above) already threw on a keyword the check does not enforce.
      for (const [name, toolSchema] of schemas) {
        assert.equal(toolSchema.type, 'object', name);
        assert.equal(toolSchema.additionalProperties, false, name);
      }
    });

    it('offers exactly the job states the extension knows as job_status', () => {
      assert.deepEqual(schema('ehpc_listJobs').properties?.job_status.enum, [...JOB_STATUSES]);
    });

    it('lets the per-call limit reach its maximum, and no further', () => {
      const setting = manifest.contributes.configuration.properties['ehpc.agentMaxJobsPerCall'];
      assert.equal(setting.default, 50);
      for (const name of ['ehpc_deleteJobs', 'ehpc_cancelJobs']) {
        assert.equal(schema(name).properties?.hpcjob_uuids.maxItems, setting.maximum, name);
      }
    });
  });

  describe('checking input', () => {
    const del = () => schema('ehpc_deleteJobs');

    it('accepts well-formed input', () => {
      assert.deepEqual(validate(del(), { cluster_id: CLUSTER, hpcjob_uuids: [JOB, 'hpcjob-zz'] }), []);
      assert.deepEqual(validate(schema('ehpc_listJobs'), { cluster_id: 'hpc-x1', job_status: 'exited', search_word: 'sim run', limit: 100, offset: 0 }), []);
      assert.deepEqual(validate(schema('ehpc_listClusters'), {}), []);
    });

    it('names each problem: a missing field, an extra one, a wrong type, a bad id, a list too long or with repeats', () => {
      assert.deepEqual(validate(del(), { hpcjob_uuids: [JOB] }), ['input: required property "cluster_id" is missing']);
      assert.deepEqual(validate(del(), { cluster_id: CLUSTER, hpcjob_uuids: [JOB], all: true }), [
        'input: unknown property "all" (allowed: cluster_id, hpcjob_uuids, account)',
      ]);
      assert.deepEqual(validate(del(), { cluster_id: CLUSTER, hpcjob_uuids: JOB }), ['hpcjob_uuids: expected an array, got "hpcjob-k2x9p0aa"']);
      assert.deepEqual(validate(del(), { cluster_id: 'cl-1', hpcjob_uuids: ['hpcjob-*', 7] }), [
        'cluster_id: "cl-1" does not match ^(ehpc|hpc)-[a-z0-9]+$',
        'hpcjob_uuids[0]: "hpcjob-*" does not match ^hpcjob-[a-z0-9]+$',
        'hpcjob_uuids[1]: expected a string, got 7',
      ]);
      assert.deepEqual(validate(del(), { cluster_id: CLUSTER, hpcjob_uuids: [] }), ['hpcjob_uuids: 0 items, at least 1 required']);
      assert.deepEqual(validate(del(), { cluster_id: CLUSTER, hpcjob_uuids: [JOB, JOB] }), ['hpcjob_uuids: "hpcjob-k2x9p0aa" appears more than once']);
      const many = Array.from({ length: 101 }, (_, i) => `hpcjob-${i}`);
      assert.deepEqual(validate(del(), { cluster_id: CLUSTER, hpcjob_uuids: many }), ['hpcjob_uuids: 101 items, at most 100 allowed']);
      assert.deepEqual(validate(del(), 'delete everything'), ['input: expected an object, got "delete everything"']);
      assert.deepEqual(validate(del(), null), ['input: expected an object, got null']);
    });

    it('refuses extra keys that Object.prototype has, such as "constructor", "toString" and "__proto__"', () => {
      const allowed = '(allowed: cluster_id, hpcjob_uuids, account)';
      for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
        assert.deepEqual(validate(del(), { cluster_id: CLUSTER, hpcjob_uuids: [JOB], [name]: true }), [`input: unknown property "${name}" ${allowed}`], name);
      }
      // JSON.parse makes "__proto__" an own property, as a model's input arrives.
      const parsed: unknown = JSON.parse(`{"cluster_id": "${CLUSTER}", "hpcjob_uuids": ["${JOB}"], "__proto__": {"all": true}}`);
      assert.deepEqual(validate(del(), parsed), [`input: unknown property "__proto__" ${allowed}`]);
      const nested: unknown = JSON.parse(`{"cluster_id": "${CLUSTER}", "hpcjob_uuids": ["${JOB}"], "constructor": {"prototype": {}}}`);
      assert.deepEqual(validate(del(), nested), [`input: unknown property "constructor" ${allowed}`]);
    });

    it('takes no required property from the prototype', () => {
      const inherited = Object.assign(Object.create({ cluster_id: CLUSTER }) as object, { hpcjob_uuids: [JOB] });
      assert.deepEqual(validate(del(), inherited), ['input: required property "cluster_id" is missing']);
    });

    it('checks enums, integers and ranges', () => {
      const list = schema('ehpc_listJobs');
      assert.deepEqual(validate(list, { cluster_id: CLUSTER, job_status: 'failed', limit: 2.5, offset: -1 }), [
        'job_status: "failed" is not one of "pending", "running", "finished", "exited", "cancelled", "stopped"',
        'limit: expected an integer, got 2.5',
        'offset: -1 is less than 0',
      ]);
      assert.deepEqual(validate(list, { cluster_id: CLUSTER, limit: 101, search_word: '' }), ['limit: 101 is more than 100', 'search_word: shorter than 1 characters']);
    });

    it('refuses a schema keyword it cannot enforce rather than passing input unchecked', () => {
      assert.throws(() => validate({ type: 'object', oneOf: [] } as Schema, {}), /"oneOf"/);
      assert.throws(() => manifestSchemas({ contributes: { languageModelTools: [{ name: 'x' }] } }), /no inputSchema/);
      const nested = { type: 'object', properties: { ids: { type: 'array', items: { type: 'string', format: 'uuid' } } } };
      assert.throws(() => manifestSchemas({ contributes: { languageModelTools: [{ name: 'x', inputSchema: nested }] } }), /"format" at x\.ids\[\]/);
    });
  });
});
