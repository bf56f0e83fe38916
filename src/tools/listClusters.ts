// ehpc_listClusters: the clusters of one configured zone, or of all of them.
import * as vscode from 'vscode';
import { answer, listZones, refuseMalformed, ToolContext } from './common';
import { clusterLine, reason } from './format';

export const LIST_CLUSTERS = 'ehpc_listClusters';

interface Input {
  zone?: string;
  account?: string;
}

export function listClustersTool(context: ToolContext): vscode.LanguageModelTool<unknown> {
  const { services } = context;
  return {
    prepareInvocation: () => ({ invocationMessage: vscode.l10n.t('Listing EHPC clusters...') }),
    invoke: ({ input }) =>
      answer(services, LIST_CLUSTERS, input, async () => {
        const refusal = refuseMalformed(context, LIST_CLUSTERS, input);
        if (refusal) {
          return refusal;
        }
        const { zone, account: accountName } = input as Input;
        const several = services.accounts.several;
        const named = accountName === undefined ? undefined : services.accounts.find(accountName);
        if (accountName !== undefined && !named) {
          return `Refused: there is no account named ${JSON.stringify(accountName)}. Accounts: ${services.accounts.all.map((account) => JSON.stringify(account.name)).join(', ')}.`;
        }
        const accounts = (named ? [named] : services.accounts.all).filter((account) => zone === undefined || account.zones.includes(zone));
        if (accounts.length === 0) {
          const configured = [...new Set(services.accounts.all.flatMap((account) => account.zones))];
          return `Refused: zone ${zone} is not configured${named ? ` for account ${JSON.stringify(named.name)}` : ''}. Configured zones: ${(named?.zones ?? configured).join(', ')}. The user can add zones in the setting ehpc.zones (or ehpc.accounts).`;
        }
        const answers = await Promise.all(
          accounts.map(async (account) => {
            try {
              const ehpc = await services.accounts.connection(account.name).client();
              return { account, zones: await listZones(ehpc, zone === undefined ? account.zones : [zone]) };
            } catch (error) {
              return { account, error };
            }
          }),
        );
        const failures = answers.flatMap((entry) => [...(entry.error !== undefined ? [entry.error] : []), ...(entry.zones ?? []).flatMap((z) => (z.error !== undefined ? [z.error] : []))]);
        const listed = answers.flatMap((entry) => entry.zones ?? []).filter((z) => z.error === undefined);
        if (listed.length === 0 && failures.length > 0) {
          throw failures[0] instanceof Error ? failures[0] : new Error(reason(failures[0]));
        }
        return answers
          .map((entry) => {
            const lines = entry.error !== undefined
              ? [`Could not be used: ${reason(entry.error)}`]
              : (entry.zones ?? []).map((z) =>
                z.error !== undefined
                  ? `Zone ${z.zone}: could not be listed: ${reason(z.error)}`
                  : [`Zone ${z.zone}: ${z.clusters.length} cluster(s)`, ...z.clusters.map(clusterLine)].join('\n'),
              );
            return several ? [`Account ${JSON.stringify(entry.account.name)} (${entry.account.endpoint}):`, ...lines].join('\n') : lines.join('\n');
          })
          .join('\n');
      }),
  };
}
