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
    endpoint: config.get<string>('endpoint', DEFAULT_ENDPOINT) || DEFAULT_ENDPOINT,
    zones: zones.length > 0 ? [...new Set(zones)] : ['jn1a'],
  };
}
