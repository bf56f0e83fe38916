// How a multi-step form walks its steps, and which steps show a count in their title.
import './support/fakeVscode';
import * as assert from 'assert/strict';
import { BACK, DONE, runSteps, StepPlace, StepResult } from '../../src/ui/multiStep';

type Answer = StepResult<unknown>;

/** Steps that answer from `script` in turn and note where each one was. */
function scripted(count: number, script: Answer[]): { steps: ((place: StepPlace) => Promise<Answer>)[]; seen: string[] } {
  const seen: string[] = [];
  const steps = Array.from({ length: count }, (_, index) => async (place: StepPlace) => {
    seen.push(`${index}:${place.uncounted ? '-' : `${place.step}/${place.totalSteps}`}`);
    return script.shift();
  });
  return { steps, seen };
}

describe('a multi-step form', () => {
  it('counts every step of a straight path', async () => {
    const { steps, seen } = scripted(3, ['a', BACK, 'a', 'b', 'c']);
    assert.equal(await runSteps(steps, 'Form'), true);
    assert.deepEqual(seen, ['0:1/3', '1:2/3', '0:1/3', '1:2/3', '2:3/3']);
  });

  it('counts only the path up to a summary; the fields it opens, and Back from them, show no count', async () => {
    // cluster, summary, then two fields reached only from the summary.
    const { steps, seen } = scripted(4, ['cluster', { goTo: 3 }, BACK, { goTo: 2 }, 'queue', DONE]);
    assert.equal(await runSteps(steps, 'Submit', 0, 2), true);
    assert.deepEqual(seen, ['0:1/2', '1:2/2', '3:-', '1:2/2', '2:-', '1:2/2']);
  });

  it('shows no count on the one step of a one-step path (a summary first)', async () => {
    const { steps, seen } = scripted(2, [{ goTo: 1 }, 'x', DONE]);
    assert.equal(await runSteps(steps, 'Resubmit', 0, 1), true);
    assert.deepEqual(seen, ['0:-', '1:-', '0:-']);
  });

  it('ends false when a step is closed', async () => {
    const { steps } = scripted(2, ['a', undefined]);
    assert.equal(await runSteps(steps, 'Form'), false);
  });
});
