// After a real VS Code session, look everywhere it wrote for the key and the signatures:
// the promise is that they exist only in SecretStorage (which this web setup keeps in the
// page's memory) and in the requests themselves. The tests against a real sshd look the same
// way, in their output and sshd's log, for their SSH password, passphrase and private keys.
import * as fs from 'fs';
import * as path from 'path';

export interface Leak {
  where: string;
  what: string;
}

/** The forms a secret may take on disk or in a URL: as is, URL-encoded once and twice. */
function forms(secret: string): string[] {
  const once = encodeURIComponent(secret);
  return [...new Set([secret, once, encodeURIComponent(once)])];
}

/**
 * The needles for a private key file (OpenSSH or PEM text): the text as is, its base64 body on
 * one line, and each line of the body but the first (the same in every key of a type) and
 * short ones (padding), so that a part of it printed alone is found too.
 */
export function privateKeyNeedles(what: string, keyText: string): [string, string][] {
  const body = keyText
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('-----'));
  const lines = body.slice(1).filter((line) => line.length >= 32);
  return [
    [what, keyText.trim()],
    [`${what} (its body on one line)`, body.join('')],
    ...lines.map((line, i): [string, string] => [`${what} (line ${i + 2} of its body)`, line]),
  ];
}

/**
 * Searches every file below `roots` and every text in `outputs` for each needle.
 * `needles` maps a name for the report (never the secret itself) to the secret.
 */
export function scanForSecrets(roots: string[], outputs: Record<string, string>, needles: Map<string, string>): { leaks: Leak[]; filesScanned: number } {
  const patterns = [...needles].flatMap(([what, secret]) => forms(secret).map((form) => ({ what, bytes: Buffer.from(form) })));
  const leaks: Leak[] = [];
  let filesScanned = 0;
  const check = (where: string, content: Buffer) => {
    for (const { what, bytes } of patterns) {
      if (content.includes(bytes) && !leaks.some((leak) => leak.where === where && leak.what === what)) {
        leaks.push({ where, what });
      }
    }
  };
  for (const root of roots) {
    for (const file of walk(root)) {
      filesScanned++;
      check(file, fs.readFileSync(file));
    }
  }
  for (const [where, text] of Object.entries(outputs)) {
    check(where, Buffer.from(text));
  }
  return { leaks, filesScanned };
}

function* walk(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // gone meanwhile (a browser's temporary files)
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walk(full);
    } else if (entry.isFile()) {
      yield full;
    }
  }
}
