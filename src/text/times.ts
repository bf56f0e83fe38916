// Times the server sends, shown to people the same way wherever they appear (a job's tooltip,
// its details page): converted to this computer's time only when the server named the zone.
import * as vscode from 'vscode';
import { withAside } from './punctuation';

/**
 * A time as sent, read for people: `2026-06-30 08:18` in this computer's time with its
 * offset ("UTC+8") when the server said which zone it is in; otherwise as the server gave
 * it (`zone` undefined), since guessing the zone would show a wrong time. Undefined when it
 * is not a time.
 */
export function readableTime(text: string): { time: string; zone?: string } | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  // An impossible date or time (February 30th, 24:00) is no time: Date would roll it over.
  if (!match || !possible(match[1], match[2], match[3])) {
    return undefined;
  }
  if (!match[4]) {
    return { time: `${match[1]} ${match[2]}` };
  }
  const at = new Date(Date.parse(text.trim().replace(' ', 'T')));
  if (Number.isNaN(at.getTime())) {
    return undefined;
  }
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -at.getTimezoneOffset();
  const zone = `UTC${offset < 0 ? '-' : '+'}${Math.floor(Math.abs(offset) / 60)}${Math.abs(offset) % 60 ? `:${two(Math.abs(offset) % 60)}` : ''}`;
  return { time: `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`, zone };
}

/** Whether `2026-02-30`, `08:18` and seconds name a moment of the calendar and the clock. */
function possible(date: string, clock: string, seconds: string | undefined): boolean {
  const [year, month, day] = date.split('-').map(Number);
  const [hours, minutes] = clock.split(':').map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hours <= 23 && minutes <= 59 && (seconds === undefined || Number(seconds) <= 59);
}

/**
 * "2026-06-30 08:18 (UTC+8)" when the server named the zone, "2026-06-30 08:18 (server time)"
 * when not (the job list's times carry none, and the API does not say which it is); a text that
 * is no time comes back as sent. Undefined for none.
 */
export function shownTime(text: string | undefined): string | undefined {
  if (!text) {
    return undefined;
  }
  const time = readableTime(text);
  return time ? timeWords(time) : text;
}

/** A time readableTime read, in words: with its zone, or "(server time)" when the server named none. */
export function timeWords(time: { time: string; zone?: string }): string {
  return time.zone ? withAside(time.time, time.zone) : vscode.l10n.t('{0} (server time)', time.time);
}
