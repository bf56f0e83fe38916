import * as assert from 'assert/strict';
import { EndChecks } from '../../src/output/endChecks';

describe('when a followed job is asked whether it ended', () => {
  const timing = { firstMs: 30_000, maxMs: 600_000 };

  it('asks nothing while the file grows, and once it has been quiet for the first pause', () => {
    const checks = new EndChecks(timing);
    checks.wrote('a', 0);
    for (let t = 1000; t < 100_000; t += 1000) {
      checks.wrote('a', t); // a line a second
      assert.deepEqual(checks.due(t), []);
    }
    assert.deepEqual(checks.due(99_000 + 29_999), []);
    assert.deepEqual(checks.due(99_000 + 30_000), ['a']);
    assert.deepEqual(checks.due(99_000 + 60_000), [], 'one question at a time');
  });

  it('asks ever more rarely while the job stays quiet, at most every ten minutes, and six times an hour at most after the first', () => {
    const checks = new EndChecks(timing);
    checks.wrote('a', 0);
    const asked: number[] = [];
    for (let t = 0; t <= 2 * 3600_000; t += 1000) {
      if (checks.due(t).length > 0) {
        asked.push(t / 1000);
        checks.answered('a', t);
      }
    }
    assert.deepEqual(asked.slice(0, 6), [30, 90, 210, 450, 930, 1530]);
    assert.equal(asked.filter((s) => s > 3600 && s <= 7200).length, 6);
  });

  it('starts over when the file grows again, and forgets a job removed while asking', () => {
    const checks = new EndChecks(timing);
    checks.wrote('a', 0);
    assert.deepEqual(checks.due(30_000), ['a']);
    checks.answered('a', 30_000);
    assert.deepEqual(checks.due(90_000), ['a']);
    checks.wrote('a', 95_000); // new output while the question was out
    checks.answered('a', 96_000);
    assert.deepEqual(checks.due(124_999), []);
    assert.deepEqual(checks.due(125_000), ['a']);
    checks.remove('a');
    checks.answered('a', 126_000);
    assert.equal(checks.size, 0);
    assert.deepEqual(checks.due(10_000_000), []);
  });
});
