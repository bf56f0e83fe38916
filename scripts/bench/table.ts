// The bench's table: one row per figure, grouped in sections, a budget and pass/FAIL where
// there is one.

export interface Row {
  measure: string;
  value: string;
  /** Undefined for a figure shown for context only. */
  budget?: string;
  pass?: boolean;
}

export interface Section {
  title: string;
  rows: Row[];
}

export function formatTable(sections: readonly Section[]): string {
  const header: Row = { measure: 'Measure', value: 'Value', budget: 'Budget' };
  const all = [header, ...sections.flatMap((section) => section.rows)];
  const width = (pick: (row: Row) => string) => Math.max(...all.map((row) => pick(row).length));
  const measureWidth = width((row) => `  ${row.measure}`);
  const valueWidth = width((row) => row.value);
  const budgetWidth = width((row) => row.budget ?? '');
  const line = (row: Row, result: string) =>
    [`  ${row.measure}`.padEnd(measureWidth), row.value.padEnd(valueWidth), (row.budget ?? '').padEnd(budgetWidth), result].join('  ').trimEnd();
  const lines = [line(header, 'Result')];
  for (const section of sections) {
    lines.push(section.title);
    lines.push(...section.rows.map((row) => line(row, row.pass === undefined ? '' : row.pass ? 'pass' : 'FAIL')));
  }
  return lines.join('\n');
}

export function budgetCounts(sections: readonly Section[]): { met: number; missed: number } {
  const rows = sections.flatMap((section) => section.rows).filter((row) => row.pass !== undefined);
  return { met: rows.filter((row) => row.pass).length, missed: rows.filter((row) => !row.pass).length };
}

export function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** KB and MB of 1024, as the budgets are written. */
export function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

export function times(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`;
}
