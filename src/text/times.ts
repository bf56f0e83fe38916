// A time from the job list, shown in the user's own time zone and saying which zone that is.
import * as vscode from 'vscode';

/**
 * "Jun 30, 2025, 6:00 PM GMT+8". The list's times carry no zone and are read as UTC (see
 * parseWireTime); a time that is not one comes back as sent.
 */
export function localTime(wireTime: string | undefined, timeZone?: string): string | undefined {
  if (!wireTime) {
    return undefined;
  }
  const text = wireTime.trim().replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`);
  if (Number.isNaN(ms)) {
    return wireTime;
  }
  const format = new Intl.DateTimeFormat(vscode.env.language, {
    year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone,
  });
  return format.format(ms);
}
