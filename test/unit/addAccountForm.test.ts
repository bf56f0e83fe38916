// Add Account as one form: the real form's steps, driven by scripted input boxes, and the
// key checked against simulators. A key is entered for one endpoint: when the form comes back
// and its answer names another endpoint, the key is asked again and never sent there; what an
// endpoint said about its zones is said only of that endpoint.
import * as fakeVscode from './support/fakeVscode';
import { EventEmitter } from './support/fakeVscode';
import * as assert from 'assert/strict';
import { Simulator, startSimulator } from '../../simulator/server';
import { addAccount } from '../../src/commands/accounts';
import { EhpcClient } from '../../src/ehpc/client';
import { Credentials } from '../../src/ehpc/signing';
import { Services } from '../../src/services';
import { AccountDraft, showAccountForm } from '../../src/ui/accountForm';

/** What each input box does when shown: type and accept, accept as it is, go Back, or close. */
type Action = { type: string } | 'accept' | 'back' | 'close';

interface Shown {
  step: number;
  value: string;
  /** The problem the step shows when it opens. */
  problem: string | undefined;
  /** The problem it shows once the action is done (a refused Enter keeps it open). */
  after?: string;
}

const BACK_BUTTON = { id: 'back' };
const host = fakeVscode as unknown as Record<string, unknown>;
let script: Action[] = [];
let shown: Shown[] = [];
let hostBefore: Record<string, unknown> = {};

/** Input boxes that take the next scripted action; a refused Enter closes the box (the user gives up). */
function createInputBox() {
  const accept = new EventEmitter<void>();
  const hide = new EventEmitter<void>();
  const button = new EventEmitter<unknown>();
  const change = new EventEmitter<string>();
  const box = {
    value: '', prompt: '', title: '', step: 0, totalSteps: 0, buttons: [] as unknown[], placeholder: undefined, password: false, ignoreFocusOut: false,
    validationMessage: undefined as string | undefined,
    onDidAccept: accept.event, onDidHide: hide.event, onDidTriggerButton: button.event, onDidChangeValue: change.event,
    dispose: () => undefined,
    show: () => {
      const action = script.shift() ?? 'close';
      const seen: Shown = { step: box.step, value: box.value, problem: box.validationMessage };
      shown.push(seen);
      setImmediate(() => {
        if (action === 'close') {
          return hide.fire();
        }
        if (action === 'back') {
          return button.fire(BACK_BUTTON);
        }
        if (action !== 'accept') {
          box.value = action.type;
          change.fire(box.value);
        }
        accept.fire();
        seen.after = box.validationMessage;
        hide.fire(); // after an answer, nothing; after a refusal, the user closes the form
      });
    },
  };
  return box;
}

describe('Add Account, the form and the key together', () => {
  let a: Simulator;
  let b: Simulator;

  before(async () => {
    a = await startSimulator({ zones: ['jn1a'], clustersPerZone: 1, jobsPerCluster: 1, accessKeyId: 'ENDPOINTAKEYID0000001', secretAccessKey: 'secret-of-a' });
    b = await startSimulator({ zones: ['jn1a', 'jn1x'], clustersPerZone: 1, jobsPerCluster: 1, seed: 99, accessKeyId: 'ENDPOINTBKEYID0000002', secretAccessKey: 'secret-of-b' });
    hostBefore = { QuickInputButtons: host.QuickInputButtons, InputBoxValidationSeverity: host.InputBoxValidationSeverity, ProgressLocation: host.ProgressLocation };
    Object.assign(host, {
      QuickInputButtons: { Back: BACK_BUTTON },
      InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
      ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    });
  });
  after(async () => {
    Object.assign(host, hostBefore);
    await Promise.all([a.close(), b.close()]);
  });

  let windowBefore: Record<string, unknown>;
  beforeEach(() => {
    script = [];
    shown = [];
    a.clearRequests();
    b.clearRequests();
    const window = fakeVscode.window as unknown as Record<string, unknown>;
    windowBefore = { createInputBox: window.createInputBox, withProgress: window.withProgress };
    Object.assign(window, {
      createInputBox,
      withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => unknown) => task({ report: () => undefined }, { isCancellationRequested: false }),
    });
  });
  afterEach(() => Object.assign(fakeVscode.window, windowBefore));

  /** Services around the real form; the key steps answer from `keys`, in turn, and note what they were offered. */
  function services(keys: { id: string; secret: string }[]) {
    const asked: string[] = [];
    const stored: Credentials[] = [];
    const saved: unknown[] = [];
    let turn = 0;
    const value = {
      prompts: {
        accountForm: (taken: readonly { name: string }[], draft?: AccountDraft) => showAccountForm(taken, draft),
        accessKeyId: async (_account: string | undefined, typed?: { accessKeyId: string }) => (asked.push(`id, offered ${typed?.accessKeyId ?? 'nothing'}`), keys[turn]?.id),
        secretAccessKey: async () => (asked.push('secret'), keys[turn++]?.secret),
      },
      accounts: {
        all: [],
        clientFor: (account: { name: string; endpoint: string }, credentials: Credentials) => new EhpcClient({ endpoint: account.endpoint, account: account.name, credentials }),
        save: async (settings: unknown) => void saved.push(settings),
      },
      credentials: {
        get: async () => undefined,
        store: async (_account: unknown, credentials: Credentials) => void stored.push(credentials),
        delete: async () => undefined,
      },
      log: { info: () => undefined, warn: () => undefined },
      notifier: { show: async () => undefined, status: () => undefined },
    };
    return { services: value as unknown as Services, asked, stored, saved };
  }

  it('asks the key again when the form comes back and its answer names another endpoint; the first key never reaches it', async () => {
    const keyOfA = { id: a.accessKeyId, secret: a.secretAccessKey };
    const keyOfB = { id: b.accessKeyId, secret: b.secretAccessKey };
    const run = services([keyOfA, keyOfB]);
    // Name, endpoint A, zones with one A does not know; back at the zones step, Back to the
    // endpoint, endpoint B, its zone.
    script = [{ type: 'Work' }, { type: a.endpoint }, { type: 'jn1a, jn1x' }, 'back', { type: b.endpoint }, { type: 'jn1a' }];

    const added = await addAccount(run.services).catch((error: Error) => error.message);

    assert.deepEqual(run.asked, ['id, offered nothing', 'secret', `id, offered ${a.accessKeyId}`, 'secret'], 'the key was not asked again for the new endpoint');
    assert.equal(added, true);
    assert.ok(b.requests.length > 0, 'the key was not checked at the new endpoint');
    assert.deepEqual(b.requests.filter((request) => request.query.access_key_id !== b.accessKeyId).map((request) => request.path), [], 'the key typed for A was sent to B');
    assert.deepEqual(run.stored, [{ accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey }]);
    assert.deepEqual(run.saved, [[{ name: 'Work', endpoint: b.endpoint, zones: ['jn1a'] }]]);
  });

  it('keeps the key when the form comes back with the same endpoint, written another way', async () => {
    const run = services([{ id: a.accessKeyId, secret: a.secretAccessKey }]);
    script = [{ type: 'Work' }, { type: a.endpoint }, { type: 'jn1a, jn1x' }, 'back', { type: `${a.endpoint.toUpperCase()}/` }, { type: 'jn1a' }];

    assert.equal(await addAccount(run.services), true);

    assert.deepEqual(run.asked, ['id, offered nothing', 'secret']);
    assert.deepEqual(b.requests, []);
    assert.deepEqual(run.stored, [{ accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey }]);
  });

  it('says what an endpoint said about its zones only of that endpoint', async () => {
    const draft: AccountDraft = { setting: { name: 'Work', endpoint: a.endpoint, zones: ['jn1a', 'jn1x'] }, unknownZones: ['jn1x'] };
    const hostOfA = new URL(a.endpoint).host;
    const note = `${hostOfA} has no zone jn1x; jn1a answered. Correct or remove it.`;

    // At the same endpoint the zone stays refused.
    script = ['accept'];
    assert.equal(await showAccountForm([], draft), undefined);
    assert.deepEqual(shown.map((box) => [box.step, box.problem, box.after]), [[3, note, note]]);

    // At another endpoint, never asked, nothing is said of it: the zones are taken.
    shown = [];
    script = ['back', { type: b.endpoint }, 'accept'];
    assert.deepEqual(await showAccountForm([], draft), { name: 'Work', endpoint: b.endpoint, zones: ['jn1a', 'jn1x'] });
    assert.deepEqual(shown.map((box) => [box.step, box.problem]), [[3, note], [2, undefined], [3, undefined]]);

    // Back at the endpoint it was learned from, it is said again.
    shown = [];
    script = ['back', { type: b.endpoint }, 'back', { type: a.endpoint }, 'accept'];
    assert.equal(await showAccountForm([], draft), undefined);
    assert.deepEqual(shown.map((box) => [box.step, box.problem]), [[3, note], [2, undefined], [3, undefined], [2, undefined], [3, note]]);
  });
});
