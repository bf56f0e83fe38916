// Stand-ins that activation hands out in place of what it does not load (see load.ts): each
// loads the real thing when it is first needed, and answers what it can without it.
import * as vscode from 'vscode';
import type { Prompts } from '../ui/prompts';
import type { JobWatch } from '../watch/jobWatch';
import { WATCH_STATE_KEY } from '../watch/stateKey';

/** Every prompt, by name: the compiler checks that the list is complete. */
const PROMPT_NAMES: Record<keyof Prompts, true> = {
  accessKeyId: true,
  secretAccessKey: true,
  pickAccount: true,
  accountForm: true,
  accountName: true,
  pickCluster: true,
  pickJobs: true,
  pickClusters: true,
  confirm: true,
  confirmTyped: true,
  jobFilter: true,
  submitForm: true,
  confirmSubmit: true,
  trustHostKey: true,
  sshPassword: true,
  sshPassphrase: true,
  sshAnswer: true,
  keepSshPassword: true,
  pickHostKeys: true,
  keepSshPassphrase: true,
};

/** The prompts, each loading the real ones when called. Plain properties: tests spread and replace them. */
export function lazyPrompts(load: () => Prompts): Prompts {
  const entries = Object.keys(PROMPT_NAMES).map((name) => [name, (...args: unknown[]) => (load()[name as keyof Prompts] as (...a: unknown[]) => unknown)(...args)]);
  return Object.fromEntries(entries) as Prompts;
}

/**
 * The watch, created when a job is first watched, or at once when the workspace's state holds
 * watched jobs (they are followed again after a reload). Until then nothing is watched, and
 * the tree's questions are answered without loading it.
 */
export function lazyWatch(state: vscode.Memento, create: () => JobWatch): JobWatch {
  const changed = new vscode.EventEmitter<void>();
  let real: JobWatch | undefined;
  const load = (): JobWatch => {
    if (!real) {
      real = create();
      real.onDidChange(() => changed.fire());
    }
    return real;
  };
  // What a watch with nothing watched answers.
  const idle: Partial<Record<keyof JobWatch, unknown>> = {
    isWatched: () => false,
    isCancelling: () => false,
    unwatch: () => 0,
    renameAccount: () => undefined,
    jobs: () => [],
    tick: () => Promise.resolve(),
    ready: Promise.resolve(),
    shown: [],
    nextTickInMs: undefined,
    statusBarText: undefined,
    persisted: undefined,
  };
  const dispose = () => {
    real?.dispose();
    changed.dispose();
  };
  if (state.get(WATCH_STATE_KEY) !== undefined) {
    load();
  }
  return new Proxy({} as JobWatch, {
    get(_target, key) {
      if (key === 'onDidChange') {
        return changed.event;
      }
      if (key === 'dispose') {
        return dispose;
      }
      if (!real && typeof key === 'string' && Object.prototype.hasOwnProperty.call(idle, key)) {
        return idle[key as keyof JobWatch];
      }
      if (!real && (typeof key !== 'string' || key === 'then')) {
        return undefined; // not a member: no reason to load
      }
      const watch = load();
      const value: unknown = Reflect.get(watch, key, watch);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(watch) : value;
    },
  });
}

/** Registers the chat tools by name; each loads its implementation on its first preparation or call. */
export function registerLazyTools(names: readonly string[], load: () => ReadonlyMap<string, vscode.LanguageModelTool<unknown>>): vscode.Disposable[] {
  const tool = (name: string): vscode.LanguageModelTool<unknown> => {
    const found = load().get(name);
    if (!found) {
      throw new Error(`no implementation for the chat tool ${name}`);
    }
    return found;
  };
  return names.map((name) =>
    vscode.lm.registerTool<unknown>(name, {
      prepareInvocation: (options, token) => tool(name).prepareInvocation?.(options, token),
      invoke: (options, token) => tool(name).invoke(options, token),
    }),
  );
}
