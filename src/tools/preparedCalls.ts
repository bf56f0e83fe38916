// What a tool's prepareInvocation decided for an input, handed to the invoke that VS Code
// runs after it (with the same input, once the user confirmed where a question was shown).
// It keeps the two in step: a request refused without a question stays refused, a confirmed
// one acts on no job beyond those the question counted, and an invoke with no decision of
// its own (never prepared, evicted, or already taken) runs nothing.
//
// VS Code hands invoke no id of its preparation, so decisions are matched by input, and an
// invoke cannot tell which of two identical calls' questions the user approved. Two ways keep
// that safe. A tool given `strictest` takes every decision for the input at once and acts on
// what all of them allowed (a later identical invoke finds none and asks again): the questions
// may have counted different jobs. Otherwise each invoke takes one decision, the newest, and
// the tool makes identical calls' decisions equal when it prepares them (see peek), as one
// that chooses a path at the question does.

export type Prepared = { readonly refusal: string } | { readonly confirmed: ReadonlySet<string> };

/** A prepareInvocation not followed by invoke (the user said no) leaves an entry; few are kept. */
const MAX_ENTRIES = 20;

/** What an invoke answers when no decision was prepared for it: nothing was confirmed. */
const NOT_PREPARED = 'Refused: no confirmation was prepared for this call (or it was already used); nothing was sent. Call the tool again so that the user is asked.';

type Refusal = { readonly refusal: string };

export class PreparedCalls<T extends object = Prepared> {
  private entries: { key: string; prepared: T }[] = [];
  private generation = 0;

  /** `strictest` gives what both of two confirmed decisions allow, or a refusal when nothing can be. */
  constructor(private readonly strictest?: (a: Exclude<T, Refusal>, b: Exclude<T, Refusal>) => Exclude<T, Refusal> | string) {}

  /** Taken before preparing; a decision made across a clear() is dropped (see set). */
  get current(): number {
    return this.generation;
  }

  /** Keeps a decision, unless clear() ran since `generation` was read: it may be another account's. */
  set(input: unknown, prepared: T, generation: number): void {
    if (generation !== this.generation) {
      return;
    }
    this.entries.push({ key: keyOf(input), prepared });
    if (this.entries.length > MAX_ENTRIES) {
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    }
  }

  /** The newest decision for this input, left in place; undefined when there is none. */
  peek(input: unknown): T | undefined {
    const key = keyOf(input);
    return [...this.entries].reverse().find((entry) => entry.key === key)?.prepared;
  }

  /** The newest decision for this input, once; undefined when there is none. */
  take(input: unknown): T | undefined {
    const key = keyOf(input);
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i].key === key) {
        return this.entries.splice(i, 1)[0].prepared;
      }
    }
    return undefined;
  }

  /**
   * For invoke: the decision confirmed for this input, or the refusal to answer with when the
   * question refused it or there is no decision at all (fail closed).
   */
  takeConfirmed(input: unknown): Exclude<T, Refusal> | string {
    const decisions = this.strictest ? this.takeAll(input) : [this.take(input)].filter((decided) => decided !== undefined);
    if (decisions.length === 0) {
      return NOT_PREPARED;
    }
    const refused = decisions.find((decided): decided is T & Refusal => 'refusal' in decided);
    if (refused) {
      return refused.refusal;
    }
    const confirmed = decisions as Exclude<T, Refusal>[];
    let result: Exclude<T, Refusal> | string = confirmed[0];
    for (const next of confirmed.slice(1)) {
      result = typeof result === 'string' ? result : this.strictest!(result, next);
    }
    return result;
  }

  /** Every decision for this input, oldest first, removed. */
  private takeAll(input: unknown): T[] {
    const key = keyOf(input);
    const taken = this.entries.filter((entry) => entry.key === key).map((entry) => entry.prepared);
    this.entries = this.entries.filter((entry) => entry.key !== key);
    return taken;
  }

  /** Forgets every decision (the signed-in key changed). */
  clear(): void {
    this.entries = [];
    this.generation++;
  }
}

function keyOf(input: unknown): string {
  return JSON.stringify(input) ?? 'undefined';
}
