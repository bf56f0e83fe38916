// A small stand-in for the few parts of the `vscode` module that the tree model and the
// summaries use, so that their logic runs under plain-Node mocha. Import this file before any
// module that imports `vscode`. It is no substitute for the real-VS Code suites: it only
// answers what those modules ask, with the same shapes. `l10n.t` renders English, or the
// Chinese bundle after `useBundle('zh-cn')`.
import * as fs from 'fs';
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the hook must patch CommonJS resolution
const Module = require('module') as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };

type Listener<T> = (event: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      listener(event);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly onDispose: () => unknown) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  value = '';
  supportThemeIcons = false;
  isTrusted = false;
  constructor(value = '') {
    this.value = value;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>]/g, '\\$&');
    return this;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}

export enum ExtensionMode {
  Production = 1,
  Development = 2,
  Test = 3,
}

export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: unknown;
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

/** VS Code's display language, as `useBundle` last set it. */
export const env = { language: 'en' };

let bundle: Record<string, string | { message: string }> = {};

/** Renders `l10n.t` from the bundle of `locale` ('en' for the English source strings). */
export function useBundle(locale: 'en' | 'zh-cn'): void {
  env.language = locale;
  bundle = locale === 'en' ? {} : (JSON.parse(fs.readFileSync(path.join(repoRoot(), 'l10n', `bundle.l10n.${locale}.json`), 'utf8')) as typeof bundle);
}

export const l10n = {
  t(message: string | { message: string; args?: unknown[] }, ...args: unknown[]): string {
    const key = typeof message === 'string' ? message : message.message;
    const entry = bundle[key];
    const template = entry === undefined ? key : typeof entry === 'string' ? entry : entry.message;
    const values = typeof message === 'string' ? args : (message.args ?? []);
    return template.replace(/\{(\d+)\}/g, (whole, index: string) => (values[Number(index)] === undefined ? whole : String(values[Number(index)])));
  },
};

/** What the code under test showed, newest last. */
export const shown: { kind: 'info' | 'warning' | 'error' | 'status'; message: string }[] = [];

/** Where the user goes in the workbench: tests fire these as VS Code would. */
export const windowEvents = {
  activeTextEditor: new EventEmitter<unknown>(),
  textEditorSelection: new EventEmitter<{ kind: number | undefined }>(),
  activeTerminal: new EventEmitter<unknown>(),
};

export const window = {
  showInformationMessage: (message: string) => record('info', message),
  showWarningMessage: (message: string) => record('warning', message),
  showErrorMessage: (message: string) => record('error', message),
  setStatusBarMessage: (message: string) => (void record('status', message), new Disposable(() => undefined)),
  /** The editor with the keyboard (a test sets it); none by default. */
  activeTextEditor: undefined as unknown,
  onDidChangeActiveTextEditor: windowEvents.activeTextEditor.event,
  onDidChangeTextEditorSelection: windowEvents.textEditorSelection.event,
  onDidChangeActiveTerminal: windowEvents.activeTerminal.event,
};

function record(kind: 'info' | 'warning' | 'error' | 'status', message: string): Promise<undefined> {
  shown.push({ kind, message });
  return Promise.resolve(undefined);
}

/** Settings the code reads through getConfiguration('ehpc'); tests set them directly. */
export const settings = new Map<string, unknown>();
const configurationChanges = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
/** Workspace values: `get` prefers them, as VS Code does for settings a workspace may set. */
export const workspaceSettings = new Map<string, unknown>();

export const workspace = {
  getConfiguration: (section: string) => ({
    get: <T>(key: string, fallback?: T): T | undefined => {
      const name = `${section}.${key}`;
      const value = workspaceSettings.has(name) ? workspaceSettings.get(name) : settings.get(name);
      return value === undefined ? fallback : (value as T);
    },
    inspect: <T>(key: string) => ({
      key: `${section}.${key}`,
      globalValue: settings.get(`${section}.${key}`) as T | undefined,
      workspaceValue: workspaceSettings.get(`${section}.${key}`) as T | undefined,
    }),
    /** Writes the user's (Global) or the workspace's value; undefined removes it. */
    update: (key: string, value: unknown, target: ConfigurationTarget = ConfigurationTarget.Workspace): Promise<void> => {
      const values = target === ConfigurationTarget.Global ? settings : workspaceSettings;
      if (value === undefined) {
        values.delete(`${section}.${key}`);
      } else {
        values.set(`${section}.${key}`, value);
      }
      return Promise.resolve();
    },
  }),
  onDidChangeConfiguration: configurationChanges.event,
};

/** Tells listeners that `name` (e.g. 'ehpc.autoRefreshSeconds') changed. */
export function fireConfigurationChange(name: string): void {
  configurationChanges.fire({ affectsConfiguration: (section: string) => name === section || name.startsWith(`${section}.`) });
}

export const commands = {
  executeCommand: () => Promise.resolve(undefined),
};

function repoRoot(): string {
  // out/test/unit/support -> the repository
  return path.resolve(__dirname, '..', '..', '..', '..');
}

// Every `require('vscode')` from here on gets this module.
const originalLoad = Module._load;
Module._load = function (request: string, parent: unknown, isMain: boolean): unknown {
  return request === 'vscode' ? exports : originalLoad.call(this, request, parent, isMain);
};
