// What a tool's prepareInvocation decided for an input, handed to the invoke that VS Code
// runs after it (with the same input, once the user confirmed where a question was shown).
// It keeps the two in step: a request refused without a question stays refused, and a
// confirmed one acts on no job beyond those the question counted.

export type Prepared = { readonly refusal: string } | { readonly confirmed: ReadonlySet<string> };

/** A prepareInvocation not followed by invoke (the user said no) leaves an entry; few are kept. */
const MAX_ENTRIES = 20;

export class PreparedCalls {
  private readonly calls = new Map<string, Prepared>();

  set(input: unknown, prepared: Prepared): void {
    const key = keyOf(input);
    this.calls.delete(key);
    this.calls.set(key, prepared);
    for (const oldest of this.calls.keys()) {
      if (this.calls.size <= MAX_ENTRIES) {
        break;
      }
      this.calls.delete(oldest);
    }
  }

  /** The decision for this input, once: a later call with the same input is prepared anew. */
  take(input: unknown): Prepared | undefined {
    const key = keyOf(input);
    const prepared = this.calls.get(key);
    this.calls.delete(key);
    return prepared;
  }
}

function keyOf(input: unknown): string {
  return JSON.stringify(input) ?? 'undefined';
}
