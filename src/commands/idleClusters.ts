// The idle guard on the extension's services: the zones of the accounts signed in, its own
// lists counted with the watch's in the account's hourly budget (every window of the machine
// together), its warning through the notifier, Stop Cluster through the command (several
// clusters in one run of it: one confirmation naming each).
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { IdleGuard, idleButtons, idleMessage } from '../clusters/idleGuard';
import type { ListPlace } from '../clusters/idleClock';
import type { IdleStart } from '../clusters/idleStart';
import { readIdleMinutes } from '../settings';
import type { Services } from '../services';
import { CallLog, TickAllowance } from '../watch/budget';
import { identityOf } from '../watch/jobWatch';
import { SharedCallCount } from '../watch/sharedCalls';

export function createIdleGuard(services: Services, start: IdleStart): IdleGuard {
  const { accounts, credentials } = services;
  const shared = new SharedCallCount(services.globalState, `idle-${randomBytes(6).toString('hex')}`, () => Date.now());
  // Per account, its requests of the hour (the watch's and every window's weigh on it too).
  const logs = new Map<string, CallLog>();
  const callLog = (id: string) => {
    let log = logs.get(id);
    if (!log) {
      log = new CallLog(() => Date.now(), { record: () => shared.record(id), calls: () => shared.others([id]) });
      logs.set(id, log);
    }
    return log;
  };
  return new IdleGuard({
    now: () => start.now(),
    state: services.globalState,
    minutes: readIdleMinutes,
    places: async () => {
      const places: ListPlace[] = [];
      for (const account of accounts.all) {
        if (await accounts.connection(account.name).isSignedIn().catch(() => false)) {
          places.push(...account.zones.map((zone) => ({ account: account.name, zone })));
        }
      }
      return places;
    },
    list: async (place) => {
      const account = accounts.find(place.account);
      const keys = account && (await credentials.get(account));
      if (!account || !keys) {
        throw new Error('signed out');
      }
      const client = await accounts.connection(account.name).client();
      const allowance = new TickAllowance(callLog(identityOf(account.endpoint, keys.accessKeyId)));
      return allowance.read((onSend) => client.listAllClusters(place.zone, { onSend }), place.account);
    },
    ask: async (warnings, several) => {
      const buttons = idleButtons(warnings.length);
      const choice = await services.notifier.show('warning', idleMessage(warnings, several), ...buttons.map(([, label]) => label));
      return buttons.find(([, label]) => label === choice)?.[0];
    },
    stop: (clusters) => start.stop(clusters),
    log: services.log,
  });
}

/** Warn Again About Idle Clusters: forgets every "Don't Warn for This Cluster". */
export async function allowIdleWarnings(services: Services, start: IdleStart): Promise<void> {
  const count = await start.load().allowAll();
  const message = count === 0
    ? vscode.l10n.t('No cluster was excluded from idle warnings.')
    : vscode.l10n.t('Idle clusters will be warned about again: {0} cluster(s) no longer excluded.', count);
  void services.notifier.show('info', message);
}
