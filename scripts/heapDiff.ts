/**
 * `node out/scripts/heapDiff.js before.heapsnapshot after.heapsnapshot [rows]`: what grew
 * between two V8 heap snapshots, by node type and name (constructor, string, closure), counts
 * and self sizes, largest growth first. Enough to see which objects something keeps adding.
 */
import * as fs from 'fs';

interface Totals {
  count: number;
  bytes: number;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

function totals(file: string): Map<string, Totals> {
  const heap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const byName = new Map<string, Totals>();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt]];
    // Strings by their first characters: a repeated text shows as one row.
    const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? `"${heap.strings[heap.nodes[i + nameAt]].slice(0, 60)}"` : heap.strings[heap.nodes[i + nameAt]];
    const key = `${type}:${name}`;
    const entry = byName.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += heap.nodes[i + sizeAt];
    byName.set(key, entry);
  }
  return byName;
}

function main(): void {
  const [beforeFile, afterFile, rowsArg] = process.argv.slice(2);
  if (!beforeFile || !afterFile) {
    throw new Error('usage: node out/scripts/heapDiff.js before.heapsnapshot after.heapsnapshot [rows]');
  }
  const before = totals(beforeFile);
  const after = totals(afterFile);
  const rows = [...after.entries()]
    .map(([key, a]) => {
      const b = before.get(key) ?? { count: 0, bytes: 0 };
      return { key, count: a.count - b.count, bytes: a.bytes - b.bytes };
    })
    .filter((row) => row.bytes !== 0 || row.count !== 0)
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, Number(rowsArg ?? 40));
  const total = (map: Map<string, Totals>) => [...map.values()].reduce((sum, t) => sum + t.bytes, 0);
  console.log(`total self size: ${(total(before) / 1e6).toFixed(2)} MB -> ${(total(after) / 1e6).toFixed(2)} MB`);
  for (const row of rows) {
    console.log(`${String(row.count).padStart(8)} ${String(Math.round(row.bytes / 1024)).padStart(8)} KB  ${row.key.replace(/\s+/g, ' ')}`);
  }
}

main();
