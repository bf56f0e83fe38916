// ehpc_listClusters: the clusters of one configured zone, or of all of them.
import * as vscode from 'vscode';
import { answer, listZones, refuseMalformed, ToolContext } from './common';
import { clusterLine, reason } from './format';

export const LIST_CLUSTERS = 'ehpc_listClusters';

interface Input {
  zone?: string;
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
        const { zone } = input as Input;
        const configured = services.model.zones;
        if (zone !== undefined && !configured.includes(zone)) {
          return `Refused: zone ${zone} is not configured. Configured zones: ${configured.join(', ')}. The user can add zones in the setting ehpc.zones.`;
        }
        const ehpc = await services.connection.client();
        const zones = await listZones(ehpc, zone === undefined ? configured : [zone]);
        if (zones.every((z) => z.error !== undefined)) {
          throw zones[0].error;
        }
        return zones
          .map((z) =>
            z.error !== undefined
              ? `Zone ${z.zone}: could not be listed: ${reason(z.error)}`
              : [`Zone ${z.zone}: ${z.clusters.length} cluster(s)`, ...z.clusters.map(clusterLine)].join('\n'),
          )
          .join('\n');
      }),
  };
}
