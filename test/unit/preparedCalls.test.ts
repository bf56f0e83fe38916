// What a tool's question decided, handed to its invoke: identical calls' decisions, taken
// newest-only or all at once with the strictest of them, and refusals that always win.
import * as assert from 'assert/strict';
import { PreparedCalls } from '../../src/tools/preparedCalls';

type Decision = { readonly refusal: string } | { readonly confirmed: ReadonlySet<string> };
const both = (a: { confirmed: ReadonlySet<string> }, b: { confirmed: ReadonlySet<string> }) => ({ confirmed: new Set([...a.confirmed].filter((id) => b.confirmed.has(id))) });
const ids = (taken: Decision | string) => (typeof taken === 'string' ? taken : 'confirmed' in taken ? [...taken.confirmed].sort() : taken.refusal);

describe('prepared calls', () => {
  const input = { cluster_id: 'c', hpcjob_uuids: ['a', 'b'] };

  it('with strictest: an invoke acts on what every identical question allowed, and takes them all', () => {
    const calls = new PreparedCalls<Decision>(both);
    calls.set(input, { confirmed: new Set(['a']) }, calls.current);
    calls.set(input, { confirmed: new Set(['a', 'b']) }, calls.current);
    calls.set({ other: true }, { confirmed: new Set(['z']) }, calls.current);
    assert.deepEqual(ids(calls.takeConfirmed(input)), ['a']);
    assert.match(ids(calls.takeConfirmed(input)) as string, /^Refused: no confirmation was prepared/);
    assert.deepEqual(ids(calls.takeConfirmed({ other: true })), ['z'], 'another input keeps its own decision');
  });

  it('with strictest: one refused question among identical ones refuses the invoke', () => {
    const calls = new PreparedCalls<Decision>(both);
    calls.set(input, { confirmed: new Set(['a', 'b']) }, calls.current);
    calls.set(input, { refusal: 'Refused: gone.' }, calls.current);
    assert.equal(calls.takeConfirmed(input), 'Refused: gone.');
  });

  it('with strictest: a refusal the combination gives is the answer', () => {
    const calls = new PreparedCalls<Decision>(() => 'Refused: they differ.');
    calls.set(input, { confirmed: new Set(['a']) }, calls.current);
    calls.set(input, { confirmed: new Set(['a']) }, calls.current);
    assert.equal(calls.takeConfirmed(input), 'Refused: they differ.');
  });

  it('without: each invoke takes the newest decision, once', () => {
    const calls = new PreparedCalls<Decision>();
    calls.set(input, { confirmed: new Set(['a']) }, calls.current);
    calls.set(input, { confirmed: new Set(['a', 'b']) }, calls.current);
    assert.deepEqual(ids(calls.takeConfirmed(input)), ['a', 'b']);
    assert.deepEqual(ids(calls.takeConfirmed(input)), ['a']);
    assert.match(ids(calls.takeConfirmed(input)) as string, /^Refused: no confirmation was prepared/);
  });

  it('a decision made across a change of key is dropped', () => {
    const calls = new PreparedCalls<Decision>(both);
    const generation = calls.current;
    calls.clear();
    calls.set(input, { confirmed: new Set(['a']) }, generation);
    assert.match(ids(calls.takeConfirmed(input)) as string, /^Refused: no confirmation was prepared/);
  });
});
