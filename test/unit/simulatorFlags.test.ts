// The command-line flags of `npm run simulator` and `npm start`: the job lifecycle's.
import * as assert from 'assert/strict';
import { describeLifecycle, LIFECYCLE_FLAGS, lifecycleFlags, parseFlags } from '../../simulator/flags';

describe('simulator flags', () => {
  it('turn the demo\'s lifecycle on by default, generated jobs included', () => {
    assert.deepEqual(lifecycleFlags(parseFlags([], LIFECYCLE_FLAGS)), { startAfterMs: undefined, runMs: undefined, moveGeneratedJobs: true });
    assert.equal(
      describeLifecycle({ moveGeneratedJobs: true }),
      'Submitted jobs start 4 s after submission and run 20 s; the demo jobs move too.',
    );
  });

  it('read durations and the generated jobs\' switch, in both spellings', () => {
    const flags = parseFlags(['--start-after', '1000', '--run-for=60000', '--move-generated-jobs', 'no'], LIFECYCLE_FLAGS);
    assert.deepEqual(lifecycleFlags(flags), { startAfterMs: 1000, runMs: 60_000, moveGeneratedJobs: false });
  });

  it('refuse unknown flags, missing values, bad numbers and a switch that is not yes or no', () => {
    assert.throws(() => parseFlags(['--run-fast', '1'], LIFECYCLE_FLAGS), /unknown flag: --run-fast/);
    assert.throws(() => parseFlags(['--run-for'], LIFECYCLE_FLAGS), /missing value/);
    assert.throws(() => parseFlags(['60000'], LIFECYCLE_FLAGS), /unexpected argument/);
    assert.throws(() => lifecycleFlags(new Map([['run-for', '20s']])), /--run-for must be a non-negative integer/);
    assert.throws(() => lifecycleFlags(new Map([['move-generated-jobs', 'true']])), /yes or no/);
  });
});
