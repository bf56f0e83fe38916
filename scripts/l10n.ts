/**
 * The localization keys the sources use, read with TypeScript's own parser (so escapes,
 * comments and template strings are read as the compiler reads them):
 * - the first argument of every `vscode.l10n.t(...)` call, a string literal;
 * - the template (second argument) of every `new EhpcError(kind, template, ...)`: a literal,
 *   a conditional choosing between literals, or a `const` holding one of those. A template
 *   without letters (`'{0}'`) needs no translation and is left out.
 * Used by test/unit/l10n.test.ts, and by `npm run l10n:export`: @vscode/l10n-dev writes the
 * `vscode.l10n.t` keys into l10n/bundle.l10n.json, then this adds the EhpcError templates,
 * which that tool cannot see, and lists what l10n/bundle.l10n.zh-cn.json lacks.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export interface SourceKey {
  key: string;
  /** `file:line`, relative to the repository. */
  where: string;
  kind: 'l10n.t' | 'EhpcError';
}

export interface SourceScan {
  keys: SourceKey[];
  /** Calls whose key cannot be read from the source, e.g. `vscode.l10n.t(someVariable)`. */
  dynamic: { where: string; text: string }[];
}

/** Every `.ts` file under `dir`, sorted. */
export function typeScriptFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? typeScriptFiles(full) : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
    });
}

/** Scans `src/**\/*.ts` of the repository at `root`. */
export function scanSources(root: string): SourceScan {
  const scan: SourceScan = { keys: [], dynamic: [] };
  for (const file of typeScriptFiles(path.join(root, 'src'))) {
    scanFile(path.relative(root, file).split(path.sep).join('/'), fs.readFileSync(file, 'utf8'), scan);
  }
  return scan;
}

/** Adds the keys of one source file to `scan`. */
export function scanFile(name: string, text: string, scan: SourceScan): void {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const where = (node: ts.Node) => `${name}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isL10nT(node.expression)) {
      const first = node.arguments[0];
      if (first && ts.isStringLiteralLike(first)) {
        scan.keys.push({ key: first.text, where: where(first), kind: 'l10n.t' });
      } else {
        scan.dynamic.push({ where: where(node), text: node.getText(source) });
      }
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'EhpcError') {
      const template = node.arguments?.[1];
      const literals = template ? literalsOf(template, source) : undefined;
      if (!literals) {
        scan.dynamic.push({ where: where(node), text: node.getText(source) });
      } else {
        for (const literal of literals) {
          if (/\p{L}/u.test(literal.text)) {
            scan.keys.push({ key: literal.text, where: where(literal), kind: 'EhpcError' });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** `vscode.l10n.t` or `l10n.t`. */
function isL10nT(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') {
    return false;
  }
  const owner = callee.expression;
  return (
    (ts.isIdentifier(owner) && owner.text === 'l10n') ||
    (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n' && ts.isIdentifier(owner.expression) && owner.expression.text === 'vscode')
  );
}

/**
 * The string literals an expression can evaluate to: a literal, a conditional between such
 * expressions, or a `const` of the same file initialized with one; undefined otherwise.
 */
function literalsOf(expression: ts.Expression, source: ts.SourceFile, seen = new Set<string>()): ts.StringLiteralLike[] | undefined {
  if (ts.isStringLiteralLike(expression)) {
    return [expression];
  }
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression)) {
    return literalsOf(expression.expression, source, seen);
  }
  if (ts.isConditionalExpression(expression)) {
    const whenTrue = literalsOf(expression.whenTrue, source, seen);
    const whenFalse = literalsOf(expression.whenFalse, source, seen);
    return whenTrue && whenFalse ? [...whenTrue, ...whenFalse] : undefined;
  }
  if (ts.isIdentifier(expression) && !seen.has(expression.text)) {
    seen.add(expression.text);
    const declaration = constDeclaration(expression, source);
    return declaration?.initializer ? literalsOf(declaration.initializer, source, seen) : undefined;
  }
  return undefined;
}

/** The `const` declaration of `identifier` in the innermost enclosing scope that declares it. */
function constDeclaration(identifier: ts.Identifier, source: ts.SourceFile): ts.VariableDeclaration | undefined {
  const candidates: ts.VariableDeclaration[] = [];
  const collect = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === identifier.text &&
      ts.isVariableDeclarationList(node.parent) &&
      (node.parent.flags & ts.NodeFlags.Const) !== 0 &&
      node.getStart(source) < identifier.getStart(source) &&
      encloses(node.parent.parent.parent, identifier)
    ) {
      candidates.push(node);
    }
    ts.forEachChild(node, collect);
  };
  collect(source);
  // The nearest one before the use is the one in the innermost scope.
  return candidates.sort((a, b) => b.getStart(source) - a.getStart(source))[0];
}

function encloses(scope: ts.Node, node: ts.Node): boolean {
  return scope.pos <= node.pos && node.end <= scope.end;
}

/** The keys of a scan, each once, in the order first seen. */
export function uniqueKeys(keys: readonly SourceKey[]): string[] {
  return [...new Set(keys.map((key) => key.key))];
}

/** `npm run l10n:export`, after the l10n-dev export: add the EhpcError templates, report gaps. */
function main(): void {
  const root = path.resolve(__dirname, '..', '..');
  const bundleFile = path.join(root, 'l10n', 'bundle.l10n.json');
  const zhFile = path.join(root, 'l10n', 'bundle.l10n.zh-cn.json');
  const bundle = JSON.parse(fs.readFileSync(bundleFile, 'utf8')) as Record<string, string>;
  const scan = scanSources(root);
  for (const { key, kind } of scan.keys) {
    if (kind === 'EhpcError' && !(key in bundle)) {
      bundle[key] = key;
    }
  }
  fs.writeFileSync(bundleFile, `${JSON.stringify(bundle, null, 2)}\n`);
  console.log(`l10n/bundle.l10n.json: ${Object.keys(bundle).length} keys`);

  const zh = fs.existsSync(zhFile) ? (JSON.parse(fs.readFileSync(zhFile, 'utf8')) as Record<string, string>) : {};
  const missing = Object.keys(bundle).filter((key) => !(key in zh));
  const stale = Object.keys(zh).filter((key) => !(key in bundle));
  for (const key of missing) {
    console.log(`zh-cn lacks: ${JSON.stringify(key)}`);
  }
  for (const key of stale) {
    console.log(`zh-cn has a key no longer used: ${JSON.stringify(key)}`);
  }
  for (const { where, text } of scan.dynamic) {
    console.log(`${where}: key not a literal, not checked: ${text}`);
  }
}

if (require.main === module) {
  main();
}
