// Quick picks and input boxes for the fakeVscode stand-in that each take the next scripted
// action when shown, once their items have loaded, and note what they showed.
import { EventEmitter } from './fakeVscode';
import * as vscode from 'vscode';

const BACK_BUTTON = { id: 'back' };

/** Pick the item this matches, accept what the box holds (after typing `type`), Back, or close. */
export type Action = { pick: (item: vscode.QuickPickItem) => boolean } | { type: string } | 'accept' | 'back' | 'hide';

export interface Shown {
  readonly kind: 'pick' | 'input';
  readonly title: string;
  readonly placeholder?: string;
  readonly prompt?: string;
  readonly value?: string;
  readonly items: readonly vscode.QuickPickItem[];
  /** The label of the item active when the pick showed. */
  readonly active?: string;
}

/** Installs the stand-ins; `restore` takes them away again. */
export function scriptedInputs(actions: Action[]): { shown: Shown[]; restore: () => void } {
  const host = vscode as unknown as { window: Record<string, unknown>; QuickInputButtons?: unknown; QuickPickItemKind?: unknown };
  const before = { QuickInputButtons: host.QuickInputButtons, QuickPickItemKind: host.QuickPickItemKind };
  const shown: Shown[] = [];
  const widget = (kind: 'pick' | 'input') => {
    const accept = new EventEmitter<void>();
    const hide = new EventEmitter<void>();
    const button = new EventEmitter<unknown>();
    const other = new EventEmitter<unknown>();
    const box = {
      items: [] as vscode.QuickPickItem[], activeItems: [] as vscode.QuickPickItem[], value: '', busy: false, buttons: [], title: '', placeholder: '', prompt: '',
      onDidAccept: accept.event, onDidHide: hide.event, onDidTriggerButton: button.event, onDidChangeValue: other.event, onDidChangeActive: other.event, onDidChangeSelection: other.event, onDidTriggerItemButton: other.event,
      dispose: () => undefined,
      hide: () => hide.fire(),
      show: () => {
        const action = actions.shift();
        const act = () => {
          if (kind === 'pick' && box.busy) {
            return void setTimeout(act, 2);
          }
          shown.push({ kind, title: box.title, placeholder: box.placeholder, prompt: box.prompt, value: box.value, items: box.items, active: box.activeItems[0]?.label ?? box.items[0]?.label });
          if (action === undefined || action === 'hide') {
            return hide.fire();
          }
          if (action === 'back') {
            return button.fire(BACK_BUTTON);
          }
          if (typeof action === 'object' && 'type' in action) {
            box.value = action.type;
          }
          if (typeof action === 'object' && 'pick' in action) {
            const item = box.items.find((candidate) => action.pick(candidate));
            if (!item) {
              throw new Error(`no item to pick among ${box.items.map((candidate) => candidate.label).join(', ')}`);
            }
            box.activeItems = [item];
          }
          if (kind === 'pick' && box.activeItems.length === 0) {
            box.activeItems = [box.items[0]];
          }
          accept.fire();
        };
        setTimeout(act, 2);
      },
    };
    return box;
  };
  host.window.createQuickPick = () => widget('pick');
  host.window.createInputBox = () => widget('input');
  host.QuickInputButtons = { Back: BACK_BUTTON };
  host.QuickPickItemKind = host.QuickPickItemKind ?? { Separator: -1, Default: 0 };
  return {
    shown,
    restore: () => {
      delete host.window.createQuickPick;
      delete host.window.createInputBox;
      host.QuickInputButtons = before.QuickInputButtons;
      host.QuickPickItemKind = before.QuickPickItemKind;
    },
  };
}
