// Every string the user sees has a Simplified Chinese translation: the keys the sources use
// (vscode.l10n.t literals and EhpcError templates) are in both bundles, the bundles and the
// package.nls files agree key for key, and a translation keeps every placeholder and link.
// `npm run l10n:export` regenerates the English bundle; the zh-cn files are written by hand.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { scanFile, scanSources, SourceScan, uniqueKeys } from '../../scripts/l10n';

// __dirname is out/test/unit.
const root = path.resolve(__dirname, '..', '..', '..');

function readJson(relative: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(root, relative), 'utf8')) as Record<string, unknown>;
}

/** What a translation must keep as it is: {n} placeholders, command links, `code`. */
function invariants(text: string): { placeholders: string[]; links: string[]; code: string[] } {
  const all = (pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match[0]).sort();
  return { placeholders: [...new Set(all(/\{\d+\}/g))], links: all(/\]\([^)\s]+\)/g), code: all(/`[^`]+`/g) };
}

/** Problems with `translated` against `english`: keys missing or extra, empty or changed values. */
function compareBundles(english: Record<string, unknown>, translated: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(english)) {
    if (!(key in translated)) {
      problems.push(`missing: ${JSON.stringify(key)}`);
    }
  }
  for (const [key, value] of Object.entries(translated)) {
    if (!(key in english)) {
      problems.push(`not in the English file: ${JSON.stringify(key)}`);
    } else if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`empty: ${JSON.stringify(key)}`);
    } else if (/\p{L}/u.test(key) && !/\p{Script=Han}/u.test(value)) {
      // A key without letters is punctuation around placeholders ("{0}: {1}"): no Han needed.
      problems.push(`not translated: ${JSON.stringify(key)} → ${JSON.stringify(value)}`);
    } else if (typeof english[key] === 'string') {
      const want = invariants(english[key]);
      const have = invariants(value);
      for (const part of ['placeholders', 'links', 'code'] as const) {
        if (JSON.stringify(want[part]) !== JSON.stringify(have[part])) {
          problems.push(`${part} differ for ${JSON.stringify(key)}: ${want[part].join(' ')} ≠ ${have[part].join(' ')}`);
        }
      }
    }
  }
  return problems;
}

describe('localization', () => {
  describe('reading the keys from the sources', () => {
    const scanOf = (text: string): SourceScan => {
      const scan: SourceScan = { keys: [], dynamic: [] };
      scanFile('sample.ts', text, scan);
      return scan;
    };

    it('reads l10n.t literals with escaped quotes, and skips comments and other calls', () => {
      const scan = scanOf(
        [
          "vscode.l10n.t('VS Code\\'s {0}', x); // vscode.l10n.t('in a comment')",
          'vscode.l10n.t("say \\"hi\\"");',
          "/* vscode.l10n.t('in a block comment') */ other.t('not l10n'); l10n.t(`plain template`);",
          "const s = 'vscode.l10n.t(\\'inside a string\\')';",
        ].join('\n'),
      );
      assert.deepEqual(uniqueKeys(scan.keys), ["VS Code's {0}", 'say "hi"', 'plain template']);
      assert.deepEqual(scan.dynamic, []);
    });

    it('reads EhpcError templates: literals, conditionals, and consts holding them; skips "{0}"', () => {
      const scan = scanOf(
        [
          "throw new EhpcError('config', 'Plain {0}.', [x]);",
          "new EhpcError('server', '{0}', [reason]);",
          "function f(a: boolean, b: boolean) {",
          "  const template = a ? (b ? 'A\\'s one' : 'A two') : 'B';",
          "  return new EhpcError('clock', template, []);",
          "}",
          "new EhpcError('x', flag ? 'Yes' : 'No');",
        ].join('\n'),
      );
      assert.deepEqual(uniqueKeys(scan.keys), ['Plain {0}.', "A's one", 'A two', 'B', 'Yes', 'No']);
      assert.deepEqual(scan.dynamic, []);
    });

    it('reports a key it cannot read instead of passing over it', () => {
      const scan = scanOf("vscode.l10n.t(message); new EhpcError('server', makeTemplate(), []);");
      assert.deepEqual(scan.keys, []);
      assert.equal(scan.dynamic.length, 2);
    });
  });

  describe('the bundles', function () {
    // Reading every source file: well under a second alone, longer on a machine busy with other work.
    this.timeout(20_000);
    let english: Record<string, unknown>;
    let chinese: Record<string, unknown>;
    let scan: SourceScan;
    before(() => {
      english = readJson('l10n/bundle.l10n.json');
      chinese = readJson('l10n/bundle.l10n.zh-cn.json');
      scan = scanSources(root);
    });

    it('finds the keys of the sources', () => {
      assert.ok(scan.keys.filter((key) => key.kind === 'l10n.t').length > 50, 'too few vscode.l10n.t calls found');
      assert.ok(scan.keys.filter((key) => key.kind === 'EhpcError').length > 20, 'too few EhpcError templates found');
    });

    it('have every vscode.l10n.t key and EhpcError template of src/, in English and Chinese', () => {
      const problems: string[] = [];
      for (const { key, where, kind } of scan.keys) {
        for (const [file, bundle] of [['bundle.l10n.json', english], ['bundle.l10n.zh-cn.json', chinese]] as const) {
          if (!(key in bundle)) {
            problems.push(`${where}: ${kind} ${JSON.stringify(key)} is not in l10n/${file}`);
          }
        }
      }
      assert.deepEqual(problems, [], 'run `npm run l10n:export`, then translate the new keys in l10n/bundle.l10n.zh-cn.json');
    });

    it('translate only with literal keys, except the one call that shows EhpcError templates', () => {
      const unexpected = scan.dynamic.filter((call) => !(call.where.startsWith('src/text/messages.ts:') && call.text.startsWith('vscode.l10n.t(error.template')));
      assert.deepEqual(unexpected, [], 'a key that is not a literal cannot be checked for a translation');
    });

    it('English: each key maps to itself, and no key is left over from removed code', () => {
      const used = new Set(uniqueKeys(scan.keys));
      for (const [key, value] of Object.entries(english)) {
        assert.equal(value, key, `l10n/bundle.l10n.json: ${JSON.stringify(key)}`);
      }
      assert.deepEqual(Object.keys(english).filter((key) => !used.has(key)), [], 'keys no source uses; run `npm run l10n:export`');
    });

    it('zh-cn: exactly the English keys, each translated, with the same placeholders', () => {
      assert.deepEqual(compareBundles(english, chinese), []);
    });
  });

  describe('the package manifest', () => {
    let manifest: Record<string, unknown>;
    let english: Record<string, unknown>;
    before(() => {
      manifest = readJson('package.json');
      english = readJson('package.nls.json');
    });

    it('zh-cn: exactly the keys of package.nls.json, each translated, with the same placeholders and links', () => {
      assert.deepEqual(compareBundles(english, readJson('package.nls.zh-cn.json')), []);
    });

    it('every %key% of package.json is in package.nls.json', () => {
      const placeholders: string[] = [];
      const walk = (value: unknown): void => {
        if (typeof value === 'string') {
          const match = /^%([^%\s]+)%$/.exec(value);
          if (match) {
            placeholders.push(match[1]);
          }
        } else if (value && typeof value === 'object') {
          Object.values(value).forEach(walk);
        }
      };
      walk(manifest);
      assert.ok(placeholders.length > 0);
      assert.deepEqual(placeholders.filter((key) => !(key in english)), []);
    });

    it('points VS Code at the bundles, and packages them', () => {
      assert.equal(manifest.l10n, './l10n');
      const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim());
      assert.ok(ignore.includes('!l10n/**'), '.vscodeignore must keep l10n/**');
      assert.ok(ignore.includes('!package.nls*.json'), '.vscodeignore must keep package.nls*.json');
    });
  });

  it('the placeholder check catches a lost, renamed or extra {n}, a changed link, and an untranslated value', () => {
    const english = { 'Copy {0} of {1}': 'Copy {0} of {1}', 'Open [it](command:x.y)': 'Open [it](command:x.y)', Done: 'Done' };
    assert.deepEqual(compareBundles(english, { 'Copy {0} of {1}': '复制 {1} 中的 {0}', 'Open [it](command:x.y)': '打开[它](command:x.y)', Done: '完成' }), []);
    assert.equal(compareBundles(english, { 'Copy {0} of {1}': '复制 {0}', 'Open [it](command:x.y)': '打开[它](command:x.y)', Done: '完成' }).length, 1);
    assert.equal(compareBundles(english, { 'Copy {0} of {1}': '复制 {0} {2}', 'Open [it](command:x.y)': '打开[它](command:x.z)', Done: '完成' }).length, 2);
    assert.equal(compareBundles(english, { 'Copy {0} of {1}': '复制 {1} 中的 {0}', 'Open [it](command:x.y)': '打开[它](command:x.y)', Done: 'Done' }).length, 1);
    assert.equal(compareBundles(english, { 'Copy {0} of {1}': '复制 {1} 中的 {0}', Done: '完成', Extra: '多余' }).length, 2);
  });
});
