// The text of a job's detail document: Markdown that reads well as plain text, since the
// editor shows it as it is. No `vscode` import: it is unit-tested in plain Node.

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

/**
 * `# <name> (<hpcjob_uuid>)`, then one `- field: value` line per field the server sent, the
 * groups apart by a blank line. Values are shown as sent: strings unquoted, null as `null`,
 * objects as JSON, and a value of several lines in a fenced block under its field.
 */
export function jobDetailText(detail: Readonly<Record<string, unknown>>, job: JobTitle): string {
  const name = typeof detail.job_name === 'string' && detail.job_name.trim() !== '' ? detail.job_name : job.name;
  const lines = [`# ${oneLine(name)} (${job.hpcjobUuid})`];
  let group: number | undefined;
  for (const field of sortFields(Object.keys(detail))) {
    if (rank(field)[0] !== group) {
      group = rank(field)[0];
      lines.push('');
    }
    lines.push(...fieldLines(field, detail[field]));
  }
  return `${lines.join('\n')}\n`;
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

function fieldLines(field: string, value: unknown): string[] {
  const text = valueText(value);
  if (!/[\r\n]/.test(text)) {
    return [text === '' ? `- ${field}:` : `- ${field}: ${text}`];
  }
  // A fence longer than any backtick run in the value, so the value cannot end it.
  const fence = '`'.repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((run) => run.length + 1)));
  return [`- ${field}:`, `  ${fence}`, ...text.split(/\r\n|\r|\n/).map((line) => `  ${line}`), `  ${fence}`];
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
