import { Account } from '../accounts/accounts';
import { EhpcError } from '../ehpc/errors';
import { Services } from '../services';

/**
 * The account a command is about: the one named by its tree row (an account, or an error
 * row under it) or by a name, else the only account, else the one the user picks.
 * Undefined when the user cancels; an account name that is not there stops the command.
 */
export async function accountOf(services: Services, target: unknown, title: string): Promise<Account | undefined> {
  const named = nameIn(target);
  if (named !== undefined) {
    return services.accounts.connection(named).account; // throws for an account gone
  }
  const accounts = services.accounts.all;
  if (accounts.length === 0) {
    // Every entry of ehpc.accounts was left out (the log and a warning said why).
    throw new EhpcError('config', 'No EHPC account is usable: fix the "ehpc.accounts" setting, or run "EHPC: Add Account...".');
  }
  if (accounts.length === 1) {
    return accounts[0];
  }
  const name = await services.prompts.pickAccount(accounts, title);
  return name === undefined ? undefined : services.accounts.connection(name).account;
}

function nameIn(target: unknown): string | undefined {
  if (typeof target === 'string') {
    return target;
  }
  if (typeof target === 'object' && target !== null) {
    const row = target as { kind?: unknown; account?: unknown; job?: { account?: unknown }; cluster?: { account?: unknown } };
    const name = row.account ?? row.job?.account ?? row.cluster?.account;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}
