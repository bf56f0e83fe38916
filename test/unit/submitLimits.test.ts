import * as assert from 'assert/strict';
import fc from 'fast-check';
import {
  formatDuration,
  formatMemory,
  isUnlimitedDuration,
  MAX_INT_FIELD,
  parseCores,
  parseDuration,
  parseMemory,
  queueCores,
} from '../../src/submit/limits';
import { parseQueuePage } from '../../src/ehpc/parse';

describe('a job time limit as Slurm writes it', () => {
  const cases: [string, number][] = [
    ['30', 30],
    ['30:00', 30],
    ['30:01', 31], // seconds round up
    ['0:30', 1],
    ['2:30:00', 150],
    ['72:00:00', 72 * 60], // the leading field may be any size
    ['0:00:01', 1],
    ['1-0', 1440],
    ['2-12', 2 * 1440 + 12 * 60],
    ['1-02:03', 1440 + 120 + 3],
    ['1-02:03:04', 1440 + 120 + 4],
    ['1-02:03:00', 1440 + 120 + 3],
    [' 45 ', 45],
    ['007', 7],
  ];
  for (const [text, minutes] of cases) {
    it(`reads ${JSON.stringify(text)} as ${minutes} minutes`, () => {
      assert.equal(parseDuration(text), minutes);
    });
  }

  const invalid = [
    '', '0', '0:00', '0:00:00', '0-0', '-5', '1.5', '1:60', '1:00:60', '1:60:00', '1-24', '1-00:60',
    '1-', '-1-00', '1:2:3:4', '1-2-3', 'abc', '5m', '1h', '99999999999', '2147483648',
    'UNLIMITED', 'infinite',
  ];
  for (const text of invalid) {
    it(`does not take ${JSON.stringify(text)}`, () => {
      assert.equal(parseDuration(text), undefined);
    });
  }

  it('knows Slurm\'s ways of saying no limit (its words in any case, and zero) and nothing else as one', () => {
    for (const text of ['UNLIMITED', 'unlimited', 'Infinite', ' INFINITE ', '0', '00:00', '0:00:00', '0-0']) {
      assert.equal(isUnlimitedDuration(text), true, text);
    }
    for (const text of ['', '1', '0:01', 'none', 'unlimit', '0:60', '-0']) {
      assert.equal(isUnlimitedDuration(text), false, text);
    }
  });

  it('shows minutes in the shortest form it reads back', () => {
    assert.equal(formatDuration(45), '45');
    assert.equal(formatDuration(60), '1:00:00');
    assert.equal(formatDuration(150), '2:30:00');
    assert.equal(formatDuration(1440), '1-00:00:00');
    assert.equal(formatDuration(1440 + 125), '1-02:05:00');
  });

  it('refuses to show a limit that is not a positive whole number', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, MAX_INT_FIELD + 1]) {
      assert.throws(() => formatDuration(bad), RangeError, String(bad));
    }
  });

  it('reads back every limit it shows (property)', function () {
    this.timeout(20_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_INT_FIELD }), (minutes) => parseDuration(formatDuration(minutes)) === minutes),
      { numRuns: 2000 },
    );
  });
});

describe('a memory limit', () => {
  const cases: [string, number][] = [
    ['4096', 4096], // a plain number is MB, as in Slurm
    ['4096M', 4096],
    ['4096mb', 4096],
    ['4G', 4096],
    ['4gb', 4096],
    ['4 GB', 4096],
    ['1T', 1024 * 1024],
    ['1tb', 1024 * 1024],
    ['1K', 1], // rounded up to a whole MB
    ['1024K', 1],
    ['1025k', 2],
    ['1.5G', 1536],
    ['0.1G', 103], // 102.4 rounded up, not lost to floating point
    ['1.5', 2],
  ];
  for (const [text, mb] of cases) {
    it(`reads ${JSON.stringify(text)} as ${mb} MB`, () => {
      assert.equal(parseMemory(text), mb);
    });
  }

  for (const text of ['', '0', '0G', '0K', '-1G', 'G', '4X', '4B', '4 G B', '4GiB', '1.G', '.5G', 'lots', '3000T']) {
    it(`does not take ${JSON.stringify(text)}`, () => {
      assert.equal(parseMemory(text), undefined);
    });
  }

  it('shows MB in the largest unit that holds it exactly', () => {
    assert.equal(formatMemory(1500), '1500M');
    assert.equal(formatMemory(4096), '4G');
    assert.equal(formatMemory(1024 * 1024), '1T');
    assert.equal(formatMemory(1024 * 1024 + 1024), '1025G');
    assert.throws(() => formatMemory(0), RangeError);
  });

  it('reads back every size it shows (property)', function () {
    this.timeout(20_000);
    const sizes = fc.oneof(
      fc.integer({ min: 1, max: MAX_INT_FIELD }),
      fc.integer({ min: 1, max: 2047 }).map((gb) => gb * 1024),
      fc.integer({ min: 1, max: 2047 }).map((tb) => tb * 1024 * 1024),
    );
    fc.assert(fc.property(sizes, (mb) => parseMemory(formatMemory(mb)) === mb), { numRuns: 2000 });
  });
});

describe('a core count', () => {
  it('takes a positive whole number up to 100000', () => {
    assert.equal(parseCores('1'), 1);
    assert.equal(parseCores(' 64 '), 64);
    assert.equal(parseCores('100000'), 100_000);
  });

  for (const text of ['', '0', '-4', '4.0', '1e3', '100001', 'four', '0x10', '+4']) {
    it(`does not take ${JSON.stringify(text)}`, () => {
      assert.equal(parseCores(text), undefined);
    });
  }
});

describe('the limit parsers, over any text (property)', function () {
  // Thousands of generated cases: room for a busy machine, far below a hang.
  this.timeout(20_000);
  it('give a whole number within the API\'s int field, or nothing, and never throw', () => {
    const typed = fc.oneof(fc.string({ maxLength: 16 }), fc.stringMatching(/^[0-9:.\- kmgtbKMGTB]{1,16}$/));
    fc.assert(
      fc.property(typed, (text) => {
        for (const parse of [parseDuration, parseMemory, parseCores]) {
          const value = parse(text);
          assert.ok(value === undefined || (Number.isInteger(value) && value >= 1 && value <= MAX_INT_FIELD), `${parse.name}(${JSON.stringify(text)}) = ${value}`);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('the cores a queue can run', () => {
  it('are the cores of one node times the nodes it lists: a job may span them', () => {
    assert.deepEqual(queueCores({ cpuNum: 64, coresPerNode: 32, nodeCount: 2 }), { max: 64, nodes: 2, perNode: 32 });
    assert.deepEqual(queueCores({ coresPerNode: 64, nodeCount: 4 }), { max: 256, nodes: 4, perNode: 64 });
  });

  it('are cpu_num for a queue of one node that does not list unit_cpu_num (the API\'s own example)', () => {
    assert.deepEqual(queueCores({ cpuNum: 26, nodeCount: 1 }), { max: 26, nodes: 1, perNode: 26 });
  });

  it('are not capped here when the queue does not list its nodes or their cores', () => {
    assert.equal(queueCores({ cpuNum: 64 }), undefined);
    assert.equal(queueCores({ cpuNum: 64, nodeCount: 3 }), undefined);
    assert.equal(queueCores({}), undefined);
  });
});

describe('a queue as the API lists it', () => {
  it('carries unit_cpu_num and the number of node_info entries', () => {
    const page = parseQueuePage({
      ret_code: 0,
      total_count: 2,
      hpc_queue_set: [
        { hpcqueue_id: 'ehpcq-mpi', spec_detail: { cpu_num: 128, unit_cpu_num: 64 }, node_info: [{ server_id: 1 }, { server_id: 2 }] },
        { hpcqueue_id: 'ehpcq-bare', spec_detail: { cpu_num: 8 } },
      ],
    });
    assert.deepEqual(page.items.map(queueCores), [{ max: 128, nodes: 2, perNode: 64 }, undefined]);
  });
});
