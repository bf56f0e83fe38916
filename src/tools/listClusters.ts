// ehpc_listClusters: the clusters of one configured zone, or of all of them.
import * as vscode from 'vscode';
import { accountsNamed, answer, listAccounts, refuseMalformed, throwIfNothingListed, ToolContext } from './common';
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
        const named = accountsNamed(services, accountName);
        if (typeof named === 'string') {
          return `Refused: ${named}`;
        }
        const accounts = named.filter((account) => zone === undefined || account.zones.includes(zone));
        if (accounts.length === 0) {
          const configured = [...new Set(services.accounts.all.flatMap((account) => account.zones))];
          const one = accountName === undefined ? undefined : named[0];
          return `Refused: zone ${zone} is not configured${one ? ` for account ${JSON.stringify(one.name)}` : ''}. Configured zones: ${(one?.zones ?? configured).join(', ')}. The user can add zones in the setting ehpc.zones (or ehpc.accounts).`;
        }
        const answers = await listAccounts(services, accounts, zone);
        throwIfNothingListed(answers);
        return answers
          .map((entry) => {
            const lines = entry.error !== undefined
              ? [`Could not be used: ${reason(entry.error)}`]
              : entry.zones.map((z) =>
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
