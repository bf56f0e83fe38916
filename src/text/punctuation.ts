// The punctuation that joins translated phrases is translated too: Chinese uses full-width
// marks (：；（）、) where English uses ASCII ones, without the spaces around them.
import * as vscode from 'vscode';

/** "Status: active", "Could not list the jobs: reason". */
export function labelled(label: string, value: string | number): string {
  return vscode.l10n.t('{0}: {1}', label, value);
}

/**
 * "2 still listed in cluster X (reason)", "job name (hpcjob-…)". A Chinese sentence in the
 * brackets drops its final 。; an English one keeps its period, as before.
 */
export function withAside(text: string, aside: string): string {
  return vscode.l10n.t('{0} ({1})', text, aside.replace(/。$/u, ''));
}

/** A list of names: "a, b, c". */
export function listOf(items: readonly string[]): string {
  return items.length === 0 ? '' : items.reduce((list, item) => vscode.l10n.t('{0}, {1}', list, item));
}

/** The clauses of one sentence: "a; b; c". */
export function clauses(items: readonly string[]): string {
  return items.length === 0 ? '' : items.reduce((all, item) => vscode.l10n.t('{0}; {1}', all, item));
}

/** Two whole sentences in a row: a space between them in English, none after a Chinese 。. */
export function sentences(first: string, second: string): string {
  return /[。！？]$/u.test(first) ? `${first}${second}` : `${first} ${second}`;
}

/**
 * A name the server gave, safe in a notification: VS Code turns `[label](https://…)` (also
 * `command:` and `file:`) in a message into a link, so a zero-width space parts `]` from `(`.
 */
export function unlinked(name: string): string {
  return name.replace(/\]\s*\(/gu, (match) => `${match[0]}\u200b${match.slice(1)}`);
}

/** A name or path from the server, safe in the status bar, where `$(name)` would be an icon. */
export function withoutIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
