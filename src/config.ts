import * as vscode from 'vscode';
import { DEFAULT_ENDPOINT } from './ehpc/endpoint';

export interface EhpcSettings {
  endpoint: string;
  zones: string[];
}

export function readSettings(): EhpcSettings {
  const config = vscode.workspace.getConfiguration('ehpc');
  const zones = config
    .get<unknown[]>('zones', ['jn1a'])
    .filter((zone): zone is string => typeof zone === 'string' && zone.trim() !== '')
    .map((zone) => zone.trim());
  return {
    endpoint: userEndpoint(config),
    zones: zones.length > 0 ? [...new Set(zones)] : ['jn1a'],
  };
}

/**
 * The endpoint from the user's (or the remote machine's) settings, else the default; never a
 * workspace's or folder's: requests signed with the user's key, access key id included, go
 * there. The manifest scopes the setting to the machine; this holds even where a VS Code would
 * hand out a workspace value anyway.
 */
function userEndpoint(config: vscode.WorkspaceConfiguration): string {
  const inspected = config.inspect<unknown>('endpoint');
  const value = inspected?.globalValue ?? inspected?.defaultValue;
  return typeof value === 'string' && value !== '' ? value : DEFAULT_ENDPOINT;
}
