// A form of several quick inputs in a row, "Title (2/7)", with a Back button on every step
// after the first. Each step resolves its answer, BACK, or undefined when the user closes it.
import * as vscode from 'vscode';

// From the symbol registry: the same value in the bundle and in code loaded beside it (tests).
export const BACK = Symbol.for('ehpc.form.back');
export type StepResult<T> = T | typeof BACK | undefined;

/** A step's answer that opens another step; once that one answers (or goes Back), the form comes back here. */
export interface GoTo {
  readonly goTo: number;
}

/** A step's answer that ends the form at once: the steps after it keep their values. */
export const DONE = Symbol.for('ehpc.form.done');

function isGoTo(result: unknown): result is GoTo {
  return typeof result === 'object' && result !== null && typeof (result as GoTo).goTo === 'number';
}

/** Where a step sits in the form. */
export interface StepPlace {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  /** True when the user came here with Back: a step with nothing to ask passes BACK on. */
  readonly cameBack: boolean;
  /** Off the form's straight path (a field opened from a summary): no "(3/8)" in the title. */
  readonly uncounted?: boolean;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  readonly value: T;
  /** Shown instead of taking the item when it is accepted: why it cannot be chosen. */
  readonly refusal?: string;
}

/** A separator line between sections of a pick step. */
export function pickSection<T>(label: string): PickItem<T> {
  return { label, kind: vscode.QuickPickItemKind.Separator, value: undefined as T };
}

/**
 * Runs the steps in order from `start`; BACK goes to the previous one. A step may answer GoTo
 * (a summary's "edit this field"): that step runs, then the form returns to the one that sent
 * it there; DONE ends the form. Resolves true when the last step answered (or DONE), false
 * when the user closed one. `totalSteps`: the steps of the straight path; a step past them
 * (reached only from a summary), or the one step of a one-step path, shows no count.
 */
export async function runSteps(steps: readonly ((place: StepPlace) => Promise<StepResult<unknown>>)[], title: string, start = 0, totalSteps = steps.length): Promise<boolean> {
  let cameBack = false;
  let returnTo: number | undefined;
  for (let index = start; index < steps.length; ) {
    const uncounted = returnTo !== undefined || index >= totalSteps || totalSteps < 2;
    const result = await steps[index]({ title, step: index + 1, totalSteps, cameBack, uncounted });
    if (result === undefined) {
      return false;
    }
    if (result === DONE) {
      return true;
    }
    if (isGoTo(result)) {
      returnTo = index;
      cameBack = false;
      index = result.goTo;
      continue;
    }
    cameBack = result === BACK;
    if (returnTo !== undefined) {
      // Back from the step opened, or its answer: the form returns where it was sent from.
      index = returnTo;
      returnTo = undefined;
      cameBack = false;
    } else {
      index = cameBack ? Math.max(0, index - 1) : index + 1;
    }
  }
  return true;
}

/** A pick step whose items may still be loading (busy meanwhile); a load failure rejects. */
export function pickStep<T>(
  place: StepPlace,
  options: {
    placeholder: string;
    items: Promise<readonly PickItem<T>[]>;
    isActive?: (value: T) => boolean;
    /** Called once the items show, with a way to show newer ones (details that arrive later) while the step is open. */
    updates?: (show: (items: readonly PickItem<T>[]) => void) => void;
  },
): Promise<StepResult<T>> {
  const quickPick = vscode.window.createQuickPick<PickItem<T>>();
  setPlace(quickPick, place);
  quickPick.placeholder = options.placeholder;
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  return new Promise<StepResult<T>>((resolve, reject) => {
    let settled = false;
    const finish = (result: StepResult<T>, error?: unknown) => {
      if (settled) {
        return;
      }
      settled = true;
      quickPick.dispose();
      if (error === undefined) {
        resolve(result);
      } else {
        reject(error instanceof Error ? error : new Error(`the items could not be loaded: ${JSON.stringify(error)}`));
      }
    };
    quickPick.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish(BACK));
    quickPick.onDidAccept(() => {
      const chosen = quickPick.activeItems[0];
      if (chosen?.refusal !== undefined) {
        // Kept open, the reason in view (a quick pick has no validation message).
        quickPick.value = '';
        quickPick.placeholder = chosen.refusal;
      } else if (chosen && !quickPick.busy) {
        finish(chosen.value);
      }
    });
    quickPick.onDidHide(() => finish(undefined));
    options.items.then(
      (items) => {
        quickPick.items = items;
        const choosable = items.filter((item) => item.kind !== vscode.QuickPickItemKind.Separator && item.refusal === undefined);
        const active = options.isActive ? choosable.find((item) => options.isActive?.(item.value)) : undefined;
        if (active) {
          quickPick.activeItems = [active];
        }
        quickPick.busy = false;
        options.updates?.((newer) => {
          if (settled) {
            return;
          }
          // The item the user is on stays active: same value, newer text.
          const activeValue = quickPick.activeItems[0]?.value;
          quickPick.items = newer;
          const again = newer.find((item) => item.kind !== vscode.QuickPickItemKind.Separator && item.value === activeValue);
          if (again) {
            quickPick.activeItems = [again];
          }
        });
      },
      (error: unknown) => finish(undefined, error),
    );
    quickPick.show();
  });
}

/** What is wrong with a value typed: a message stops the step; a warning shows and lets it go on. */
export type Validation = string | vscode.InputBoxValidationMessage | undefined;

function stops(problem: Validation): boolean {
  return typeof problem === 'string' || (problem !== undefined && problem.severity === vscode.InputBoxValidationSeverity.Error);
}

/**
 * A text step; `validate` returns the problem to show, or undefined when the value is fine.
 * `problem`: why the step is asked again (a key rejected), shown from the start until the user types.
 */
export function inputStep(
  place: StepPlace,
  options: { prompt: string; value: string; placeholder?: string; password?: boolean; problem?: string; validate: (value: string) => Validation },
): Promise<StepResult<string>> {
  const input = vscode.window.createInputBox();
  setPlace(input, place);
  input.prompt = options.prompt;
  input.value = options.value;
  input.placeholder = options.placeholder;
  input.password = options.password ?? false;
  input.validationMessage = options.problem ?? (options.value ? options.validate(options.value) : undefined);
  return new Promise<StepResult<string>>((resolve) => {
    let settled = false;
    const finish = (result: StepResult<string>) => {
      if (!settled) {
        settled = true;
        input.dispose();
        resolve(result);
      }
    };
    input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish(BACK));
    input.onDidChangeValue((value) => (input.validationMessage = options.validate(value)));
    input.onDidAccept(() => {
      const problem = options.validate(input.value);
      input.validationMessage = problem;
      if (!stops(problem)) {
        finish(input.value);
      }
    });
    input.onDidHide(() => finish(undefined));
    input.show();
  });
}

function setPlace(input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, place: StepPlace): void {
  input.title = place.title;
  input.step = place.uncounted ? undefined : place.step;
  input.totalSteps = place.uncounted ? undefined : place.totalSteps;
  input.ignoreFocusOut = true;
  input.buttons = place.step > 1 ? [vscode.QuickInputButtons.Back] : [];
}
