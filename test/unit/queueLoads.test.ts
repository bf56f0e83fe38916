// What queue loads cost: describeQueue for the first 20 queues only, 4 at a time, in the tree
// (clusterParts.test.ts) and in the submit form's queue step, whatever the number of queues.
import { EventEmitter } from './support/fakeVscode';
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import { askInTurn, LOADS_AT_ONCE, QUEUE_LOADS } from '../../src/ehpc/queueLoads';
import { Cluster, Queue } from '../../src/ehpc/types';
import { showSubmitForm } from '../../src/ui/submitForm';

/** Counts the calls of `ask` and how many were in flight at once; each answers after `ms`. */
function counted(ms: number) {
  const seen = { calls: 0, inFlight: 0, most: 0 };
  const ask = async <T>(value: T): Promise<T> => {
    seen.calls++;
    seen.inFlight++;
    seen.most = Math.max(seen.most, seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, ms));
    seen.inFlight--;
    return value;
  };
  return { seen, ask };
}

describe('queue loads', () => {
  it('asks the first 20 of 200 queues, 4 at a time, each promise with its own answer, in order', async () => {
    const { seen, ask } = counted(5);
    const queues = Array.from({ length: 200 }, (_, index) => index);
    const answers = await Promise.all(askInTurn(queues, ask));
    assert.deepEqual(answers, queues.slice(0, QUEUE_LOADS));
    assert.deepEqual([seen.calls, seen.most], [QUEUE_LOADS, LOADS_AT_ONCE]);
  });

  it('goes on after a failed answer, which fails only its own promise', async () => {
    const { seen, ask } = counted(1);
    const results = await Promise.allSettled(askInTurn([1, 2, 3, 4, 5, 6], (n) => (n === 2 ? Promise.reject(new Error('busy')) : ask(n))));
    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    assert.equal(seen.calls, 5);
  });

  it('the submit form\'s queue step, for a cluster of 200 queues, asks as the tree does', async () => {
    const restore = standInInputs();
    try {
      const { seen, ask } = counted(5);
      const cluster: Cluster = { account: 'a', zone: 'jn1a', clusterId: 'ehpc-1', name: 'prod', status: 'active', runningJobCount: 0, pendingJobCount: 0 };
      const queues: Queue[] = Array.from({ length: 200 }, (_, index) => ({ queueId: `ehpcq-${index}`, name: `q${index}`, isDefault: index === 0 }));
      const values = await showSubmitForm({
        title: 'Submit Job',
        asksCommand: true,
        initial: { name: 'j', command: 'hostname' },
        clusters: () => Promise.resolve([cluster]),
        queues: () => Promise.resolve(queues),
        queueLoad: (_cluster: Cluster, queue: Queue) => ask({ freeSlots: 4, queueId: queue.queueId }),
        users: () => Promise.resolve([{ username: 'u', role: 'user', homeDir: '/home/u' }]),
        lastRunUser: () => undefined,
      } as unknown as Parameters<typeof showSubmitForm>[0]);
      assert.ok(values, 'the form was answered');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual([seen.calls, seen.most], [QUEUE_LOADS, LOADS_AT_ONCE]);
    } finally {
      restore();
    }
  });
});

/** Quick picks and input boxes that accept what they show (the first item), once not busy. */
function standInInputs(): () => void {
  const host = vscode as unknown as { window: Record<string, unknown>; QuickInputButtons?: unknown; QuickPickItemKind?: unknown };
  const before = { QuickInputButtons: host.QuickInputButtons, QuickPickItemKind: host.QuickPickItemKind };
  const widget = (pick: boolean) => {
    const accept = new EventEmitter<void>();
    const hide = new EventEmitter<void>();
    const none = new EventEmitter<unknown>();
    const box = {
      items: [] as { kind?: number }[], activeItems: [] as unknown[], selectedItems: [] as unknown[], value: '', busy: false, buttons: [],
      onDidAccept: accept.event, onDidHide: hide.event, onDidTriggerButton: none.event, onDidChangeValue: none.event, onDidChangeActive: none.event, onDidChangeSelection: none.event, onDidTriggerItemButton: none.event,
      dispose: () => undefined,
      hide: () => hide.fire(),
      show: () => {
        const tick = () => {
          if (pick && (box.busy || box.items.length === 0)) {
            return void setTimeout(tick, 5);
          }
          if (pick && box.activeItems.length === 0) {
            box.activeItems = [box.items.find((item) => item.kind === undefined) ?? box.items[0]];
          }
          setTimeout(() => accept.fire(), 20);
        };
        setTimeout(tick, 5);
      },
    };
    return box;
  };
  host.window.createQuickPick = () => widget(true);
  host.window.createInputBox = () => widget(false);
  host.QuickInputButtons = host.QuickInputButtons ?? { Back: {} };
  host.QuickPickItemKind = host.QuickPickItemKind ?? { Separator: -1 };
  return () => {
    delete host.window.createQuickPick;
    delete host.window.createInputBox;
    host.QuickInputButtons = before.QuickInputButtons;
    host.QuickPickItemKind = before.QuickPickItemKind;
  };
}
