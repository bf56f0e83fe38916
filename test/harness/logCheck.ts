// The EHPC log channel is for people: after a session it must show each request (method,
// path, zone, ret_code, duration) and each batch's outcome. (The secret scan checks it holds
// no secret.)
import * as fs from 'fs';
import * as path from 'path';

const REQUEST = /(GET|POST) \/api\/\S+ zone=\S+ (ret_code=\d+|failed: \w+).* \d+ms/;
const BATCH = /Batch #\d+ .*: (delete|cancel) \d+ job\(s\) in \d+ cluster\(s\)/;
// The cluster's place, after its account's name (quoted) when the batch names one.
const OUTCOME = /Batch #\d+ (".*" )?\S+\/\S+: \d+ done, \d+ not done/;

/** The session's EHPC log files (the extension host writes one per window). */
export function findEhpcLogs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name === 'EHPC.log') {
        found.push(full);
      }
    }
  };
  walk(root);
  return found;
}

/** What the logs lack, as sentences; empty when they show requests, batches and outcomes. */
export function missingFromLogs(files: string[]): string[] {
  const text = files.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
  const missing: string[] = [];
  if (files.length === 0) {
    missing.push('no EHPC.log was written');
  }
  for (const [what, pattern] of [['a request line', REQUEST], ['a batch line', BATCH], ['a batch outcome line', OUTCOME]] as const) {
    if (!pattern.test(text)) {
      missing.push(`no ${what} (${String(pattern)})`);
    }
  }
  return missing;
}
