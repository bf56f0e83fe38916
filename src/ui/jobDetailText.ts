// The text of a job's detail document: Markdown that reads well as plain text, since the
// editor shows it as it is. No `vscode` import: it is unit-tested in plain Node, with the
// words (labels, statuses, durations) handed in.

interface FieldGroup {
  /** The group's known fields, in the order shown. */
  readonly fields: readonly string[];
  /** Fields the API may add later that belong here; shown after the known ones, by name. */
  readonly pattern?: RegExp;
}

/** Identity, status, times, paths, command line; every other field after them, by name. */
const GROUPS: readonly FieldGroup[] = [
  { fields: ['job_name', 'hpcjob_uuid', 'job_id', 'cluster_id', 'queue_name', 'run_user'], pattern: /(_id|_uuid|_name|_user)$/ },
  { fields: ['job_status', 'exit_code', 'reason', 'pend_reason'], pattern: /(status|reason)/ },
  { fields: ['submitted_time', 'started_time', 'end_time', 'run_time', 'modified_time'], pattern: /_time$/ },
  { fields: ['exec_cwd', 'output_dir', 'stdout_redirect_path', 'stderr_redirect_path'], pattern: /(_path|_dir|cwd)$/ },
  { fields: ['cmd_line'], pattern: /(cmd|command|script)/ },
];

export interface JobTitle {
  /** Used when the detail has no job_name. */
  name: string;
  hpcjobUuid: string;
}

/** What the document says in the user's language. */
export interface DetailWords {
  /** A known field's label ("Status"); undefined for a field shown by its API name. */
  label(field: string): string | undefined;
  /** A known field's value in words ("exited", "8 h 27 min"); undefined to show it as sent. */
  value(field: string, value: unknown): string | undefined;
  /** The heading over the fields this version has no label for. */
  readonly others: string;
  /** "Label: value", as the language writes it. */
  labelled(label: string, value: string): string;
}

/** Fields that are paths: shown as code, so that a double-click selects the whole path. */
const PATHS = /(_path|_dir|cwd)$/;

/** A path the document shows, for the actions over its line. */
export interface ShownPath {
  /** The line of its field (0-based): its label's, when the value takes several lines. */
  readonly line: number;
  /** Exactly as the server sent it. */
  readonly path: string;
}

/** A detail document's text, and what the actions over it need to know of it. */
export interface JobDetailPage {
  readonly text: string;
  /** The job's name, as the heading shows it. */
  readonly name: string;
  /** The output (stdout_redirect_path) and error (stderr_redirect_path) files, when the job has them. */
  readonly paths: { readonly output?: ShownPath; readonly error?: ShownPath };
  /** Its status says it has ended. */
  readonly ended: boolean;
}

const STREAMS = { stdout_redirect_path: 'output', stderr_redirect_path: 'error' } as const;

/** The states a job has ended in (the view offers Resubmit... on these). */
const ENDED = ['finished', 'exited', 'cancelled', 'stopped'];

/**
 * `# <name> (<hpcjob_uuid>)`, then one `- Label: value` line per field the server sent with a
 * value, the groups apart by a blank line; the fields this version has no label for come
 * last, under their API names. A value of several lines goes in a fenced block under its label.
 */
export function jobDetailText(detail: Readonly<Record<string, unknown>>, job: JobTitle, words: DetailWords): string {
  return jobDetailPage(detail, job, words).text;
}

/** The document as jobDetailText writes it, with where its paths are. */
export function jobDetailPage(detail: Readonly<Record<string, unknown>>, job: JobTitle, words: DetailWords): JobDetailPage {
  const name = typeof detail.job_name === 'string' && detail.job_name.trim() !== '' ? detail.job_name : job.name;
  const lines = [`# ${oneLine(name)} (${job.hpcjobUuid})`];
  const paths: { output?: ShownPath; error?: ShownPath } = {};
  const shown = sortFields(Object.keys(detail)).filter((field) => field !== 'job_name' && !isEmpty(detail[field]));
  const known = shown.filter((field) => words.label(field) !== undefined);
  const others = shown.filter((field) => words.label(field) === undefined);
  let group: number | undefined;
  for (const field of known) {
    if (rank(field)[0] !== group) {
      group = rank(field)[0];
      lines.push('');
    }
    const text = words.value(field, detail[field]) ?? valueText(detail[field]);
    const raw = detail[field];
    if ((field === 'stdout_redirect_path' || field === 'stderr_redirect_path') && typeof raw === 'string') {
      paths[STREAMS[field]] = { line: lines.length, path: raw };
    }
    lines.push(...fieldLines(words.label(field)!, text, PATHS.test(field), (label, value) => words.labelled(label, value)));
  }
  if (others.length > 0) {
    lines.push('', `## ${words.others}`, '');
    for (const field of others) {
      lines.push(...fieldLines(field, valueText(detail[field]), false, (label, value) => `${label}: ${value}`));
    }
  }
  // Read as the client reads a listed job's status (normalizeStatus): Resubmit then agrees.
  const status = typeof detail.job_status === 'string' ? detail.job_status.toLowerCase() : '';
  return { text: `${lines.join('\n')}\n`, name: oneLine(name), paths, ended: ENDED.includes(status) };
}

/** Field names in the order the document shows them. */
export function sortFields(fields: readonly string[]): string[] {
  return [...fields].sort((a, b) => {
    const [groupA, indexA] = rank(a);
    const [groupB, indexB] = rank(b);
    return groupA - groupB || indexA - indexB || (a < b ? -1 : a > b ? 1 : 0);
  });
}

/** [group, position in the group]; an unknown field that fits a group comes after its known ones. */
function rank(field: string): [number, number] {
  const known = GROUPS.findIndex((group) => group.fields.includes(field));
  if (known >= 0) {
    return [known, GROUPS[known].fields.indexOf(field)];
  }
  const fitting = GROUPS.findIndex((group) => group.pattern?.test(field));
  return fitting >= 0 ? [fitting, GROUPS[fitting].fields.length] : [GROUPS.length, 0];
}

/** Nothing worth a line: null, an empty string, an empty list or object. */
function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
    || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
}

function fieldLines(label: string, text: string, code: boolean, labelled: DetailWords['labelled']): string[] {
  if (!/[\r\n]/.test(text)) {
    return [`- ${labelled(label, code && !text.includes('`') ? `\`${text}\`` : text)}`];
  }
  // A fence longer than any backtick run in the value, so the value cannot end it.
  const fence = '`'.repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((run) => run.length + 1)));
  return [`- ${labelled(label, '').trimEnd()}`, `  ${fence}`, ...text.split(/\r\n|\r|\n/).map((line) => `  ${line}`), `  ${fence}`];
}

function valueText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    return JSON.stringify(value, null, 2);
  }
  return String(value);
}

/** A heading is one line: a name with line breaks would end it early. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
