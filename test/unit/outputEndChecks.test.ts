import * as assert from 'assert/strict';
import { EndChecks } from '../../src/output/endChecks';

describe('when a followed job is asked whether it ended', () => {
  const timing = { firstMs: 30_000, maxMs: 600_000 };

  /** The seconds at which a job writing every `everyS` seconds is asked about, over `hours`. */
  function askedAt(everyS: number | undefined, hours: number): number[] {
    const checks = new EndChecks(timing);
    checks.wrote('a', 0);
    const asked: number[] = [];
    for (let s = 1; s <= hours * 3600; s++) {
      if (everyS !== undefined && s % everyS === 0) {
        checks.wrote('a', s * 1000);
      }
      if (checks.due(s * 1000).length > 0) {
        asked.push(s);
        checks.answered('a', s * 1000);
      }
    }
    return asked;
  }

  it('asks nothing while the file grows, and once it has been quiet for the first pause', () => {
    assert.deepEqual(askedAt(1, 2), []);
    assert.deepEqual(askedAt(29, 2), []);
    const checks = new EndChecks(timing);
    checks.wrote('a', 0);
    assert.deepEqual(checks.due(29_999), []);
    assert.deepEqual(checks.due(30_000), ['a']);
    assert.deepEqual(checks.due(60_000), [], 'one question at a time');
  });

  it('asks ever more rarely while the job stays quiet, at most every ten minutes', () => {
    const asked = askedAt(undefined, 2);
    assert.deepEqual(asked.slice(0, 6), [30, 90, 210, 450, 930, 1530]);
    assert.equal(asked.filter((s) => s > 3600).length, 6);
  });

  it('keeps to about six questions an hour whatever the job writes between them', () => {
    for (const every of [31, 45, 60, 120, 300, 600]) {
      const asked = askedAt(every, 2);
      assert.ok(asked.filter((s) => s <= 3600).length <= 10, `every ${every} s: ${asked.join(' ')}`);
      assert.ok(asked.filter((s) => s > 3600).length <= 6, `every ${every} s: ${asked.join(' ')}`);
    }
  });

  it('asks a few jobs at a time, passes over the ones the caller skips, and forgets a job removed while asking', () => {
    const checks = new EndChecks(timing);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) {
      checks.wrote(key, 0);
    }
    assert.deepEqual(checks.due(30_000, (key) => key === 'a'), ['b', 'c', 'd', 'e']);
    assert.deepEqual(checks.due(31_000), ['a', 'f']);
    checks.remove('a');
    checks.answered('a', 32_000);
    assert.equal(checks.size, 5);
    assert.deepEqual(checks.due(10_000_000), []);
  });
});
