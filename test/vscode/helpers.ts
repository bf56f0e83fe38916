// Shared set-up for the tests that run inside a real VS Code extension host.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { Account } from '../../src/accounts/accounts';
import type { ExtensionApi } from '../../src/extension';
import type { ClusterNode, JobNode, TreeNode } from '../../src/tree/nodes';
import type { Prompts } from '../../src/ui/prompts';
import { ACCEPTED_HOST_KEYS } from '../../src/output/login';
import { Simulator, SimulatorOptions, startSimulator } from '../../simulator/server';
import { testKeyOptions } from '../testKeys';

export const EXTENSION_ID = 'qingcloud-ehpc.qingcloud-ehpc';

export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  assert.ok(api, 'no test API: the extension exports its internals only in ExtensionMode.Test');
  return api;
}

/** Starts a simulator and points the user's settings at it (no workspace may set these). */
export async function useSimulator(zones = ['jn1a', 'jn1b'], options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = await startSimulator({ ...testKeyOptions(), zones, clustersPerZone: 3, jobsPerCluster: [12, 250, 0], stopDelayMs: 300, ...options });
  const config = vscode.workspace.getConfiguration('ehpc');
  await config.update('endpoint', simulator.endpoint, vscode.ConfigurationTarget.Global);
  await config.update('zones', zones, vscode.ConfigurationTarget.Global);
  // The idle guard lists clusters on its own time, which would land amid other tests' counted requests: its suite turns it on.
  await config.update('idleClusterMinutes', 0, vscode.ConfigurationTarget.Global);
  return simulator;
}

/** The first account: with no `ehpc.accounts`, the one made from `ehpc.endpoint` and `ehpc.zones`. */
export function mainAccount(api: ExtensionApi): Account {
  return api.accounts.all[0];
}

/**
 * Stores the simulator's key as a sign-in would, and waits for the extension's reaction to
 * it (a refresh of the whole tree), so that it cannot land in the middle of a test.
 */
export async function signInDirectly(api: ExtensionApi, simulator: Pick<Simulator, 'accessKeyId' | 'secretAccessKey'>, account: Account = mainAccount(api)): Promise<void> {
  const current = await api.credentials.get(account);
  if (current?.accessKeyId === simulator.accessKeyId && current.secretAccessKey === simulator.secretAccessKey) {
    return;
  }
  const refreshed = new Promise<void>((resolve) => {
    const subscription = api.model.onDidChange((node) => {
      if (node === undefined) {
        subscription.dispose();
        resolve();
      }
    });
  });
  await api.credentials.store(account, { accessKeyId: simulator.accessKeyId, secretAccessKey: simulator.secretAccessKey });
  await refreshed;
}

/**
 * The hooks every suite here needs: a simulator the workspace points at, the extension
 * activated, a fresh start before each test, and both let go of at the end. `use` receives
 * them once they exist; `cleanUp` runs first at the end, while both still work.
 */
export function setUpSuite(use: (simulator: Simulator, api: ExtensionApi) => void, cleanUp?: () => Thenable<unknown>, options?: SimulatorOptions): void {
  let simulator: Simulator;
  let api: ExtensionApi;
  before(async () => {
    simulator = await useSimulator(undefined, options);
    api = await activateExtension();
    use(simulator, api);
  });
  after(async () => {
    await cleanUp?.();
    await api.credentials.delete(mainAccount(api));
    await simulator.close();
  });
  beforeEach(() => freshStart(api, simulator));
}

/**
 * A suite that reads job output from the simulator's login nodes (their SSH servers listen on
 * ports of their own, named per cluster in ehpc.ssh.loginNodes), with the jobs writing a line
 * every 200 ms; nothing of it is left behind at the end.
 */
export function setUpLoginNodeSuite(use: (simulator: Simulator, api: ExtensionApi) => void, zone: string, cleanUp?: () => Thenable<unknown>): void {
  let simulator: Simulator;
  let api: ExtensionApi;
  setUpSuite(
    (s, a) => {
      [simulator, api] = [s, a];
      use(s, a);
    },
    async () => {
      await cleanUp?.();
      await vscode.workspace.getConfiguration('ehpc').update('ssh.loginNodes', undefined, vscode.ConfigurationTarget.Global);
      await api.globalState.update(ACCEPTED_HOST_KEYS, undefined);
    },
    { jobOutput: { stepMs: 200 } },
  );
  beforeEach(async () => {
    const ways = Object.fromEntries(simulator.clusters(zone).map((c) => [c.cluster_id, `:${simulator.loginNodes.address(c.cluster_id).port}`]));
    await vscode.workspace.getConfiguration('ehpc').update('ssh.loginNodes', ways, vscode.ConfigurationTarget.Global);
  });
}

/** Before each test: signed in, nothing cached, no faults or latency, no requests recorded. */
export async function freshStart(api: ExtensionApi, simulator: Simulator): Promise<void> {
  await signInDirectly(api, simulator);
  api.model.forget(mainAccount(api).name); // refresh() would keep the pages an earlier test loaded
  simulator.clearFaults();
  simulator.setLatency(0);
  simulator.clearRequests();
}

/** Prompts that answer from a script, recording what was asked. */
export function scriptedPrompts(answers: Partial<Prompts>): Prompts & { asked: string[] } {
  const asked: string[] = [];
  const refuse = (name: string) => () => {
    asked.push(name);
    return Promise.resolve(undefined);
  };
  return {
    asked,
    accessKeyId: answers.accessKeyId ?? refuse('accessKeyId'),
    secretAccessKey: answers.secretAccessKey ?? refuse('secretAccessKey'),
    pickAccount: answers.pickAccount ?? refuse('pickAccount'),
    accountForm: answers.accountForm ?? refuse('accountForm'),
    accountName: answers.accountName ?? refuse('accountName'),
    pickCluster: answers.pickCluster ?? refuse('pickCluster'),
    pickJobs: answers.pickJobs ?? refuse('pickJobs'),
    pickClusters: answers.pickClusters ?? refuse('pickClusters'),
    confirm: (message, detail, action) => {
      asked.push(`confirm: ${message}`);
      return answers.confirm ? answers.confirm(message, detail, action) : Promise.resolve(false);
    },
    confirmTyped: (message, detail, expected) => {
      asked.push(`confirmTyped ${expected}: ${message}`);
      return answers.confirmTyped ? answers.confirmTyped(message, detail, expected) : Promise.resolve(false);
    },
    jobFilter: answers.jobFilter ?? refuse('jobFilter'),
    submitForm: answers.submitForm ?? refuse('submitForm'),
    // Submit's question, answered as `confirm` answers unless the test says otherwise.
    confirmSubmit: (message, detail, action) => {
      if (answers.confirmSubmit) {
        asked.push(`confirmSubmit: ${message}`);
        return answers.confirmSubmit(message, detail, action);
      }
      asked.push(`confirm: ${message}`);
      return (answers.confirm ? answers.confirm(message, detail, action) : Promise.resolve(false)).then((yes) => (yes ? 'submit' : undefined));
    },
    trustHostKey: (host, keyType, fingerprint, knownTypes) => {
      asked.push(`trustHostKey ${host} ${fingerprint}`);
      return answers.trustHostKey ? answers.trustHostKey(host, keyType, fingerprint, knownTypes) : Promise.resolve(false);
    },
    sshPassword: (who) => (asked.push(`sshPassword ${who}`), answers.sshPassword ? answers.sshPassword(who) : Promise.resolve(undefined)),
    sshPassphrase: answers.sshPassphrase ?? refuse('sshPassphrase'),
    sshAnswer: answers.sshAnswer ?? refuse('sshAnswer'),
    pickHostKeys: answers.pickHostKeys ?? refuse('pickHostKeys'),
    keepSshPassphrase: (keyFile) => (asked.push(`keepSshPassphrase ${keyFile}`), answers.keepSshPassphrase ? answers.keepSshPassphrase(keyFile) : Promise.resolve(false)),
    keepSshPassword: (who) => (asked.push(`keepSshPassword ${who}`), answers.keepSshPassword ? answers.keepSshPassword(who) : Promise.resolve(false)),
  };
}

export async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`waitFor timed out after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function children(api: ExtensionApi, node?: TreeNode): Promise<TreeNode[]> {
  return api.provider.getChildren(node);
}

/** The cluster rows of an account's zone (the first account's unless named), wherever the tree puts them. */
export async function clusterNodes(api: ExtensionApi, zone: string, account = mainAccount(api).name): Promise<ClusterNode[]> {
  const top = api.model.showsAccounts ? api.model.accountNode(account) : undefined;
  const rows = await children(api, api.model.showsZones(account) ? api.model.zoneNode(account, zone) : top);
  return rows.filter((row): row is ClusterNode => row.kind === 'cluster');
}

export async function jobNodes(api: ExtensionApi, cluster: ClusterNode): Promise<JobNode[]> {
  return (await children(api, cluster)).filter((row): row is JobNode => row.kind === 'job');
}

/** A tree item's label as text. */
export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}
