// Bundles the extension: no node_modules in the package, and a small bundle for activation.
//
// dist/extension.js is what activation loads. What only a command, a form, the chat tools or
// the watch needs (src/lazy/parts.ts) is dist/parts.js, loaded on first use; node-fetch is
// dist/node-fetch.js, loaded by the first request. CommonJS cannot split code, so parts.js is
// built as a function of the modules extension.js already holds: each of its imports of such a
// module is handed that very module (one instance of every module: instanceof, the output
// channel, the accounts). Nothing of it is reachable by other extensions: the modules travel
// as the argument of one call, never through a global or module.exports.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const root = __dirname;

const MAIN = 'src/extension.ts';
const PARTS = 'src/lazy/parts.ts';
/** How load.ts asks for parts.ts; the main bundle turns it into loading dist/parts.js. */
const PARTS_REQUEST = /^\.\/parts$/;
const SHARED = 'ehpc-shared-modules';

// node-fetch 2 falls back to the whatwg-url package only where Node has no URL class; its
// Unicode tables would be 280 KB of the bundle. Node 20 has URL, so hand it the built-in one.
const builtinUrl = {
  name: 'builtin-url',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'builtin-url' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin-url' }, () => ({ contents: 'module.exports = { URL };', loader: 'js' }));
  },
};

// ssh2 is dist/ssh2.js, loaded by the first SSH connection (src/ssh/load.ts). Its optional
// native parts (a crypto binding, cpu-features) stay out: without them it uses Node's crypto.
const sshExternal = {
  name: 'ssh2-external',
  setup(build) {
    build.onResolve({ filter: /^ssh2$/ }, () => ({ path: './ssh2.js', external: true }));
  },
};

// In watch mode, report builds in the format of the "$esbuild-watch" problem matcher, so
// that F5 waits for the first build and errors land in the Problems view.
const problemMatcherFormat = {
  name: 'problem-matcher-format',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) {
          console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * The main bundle: node-fetch and parts.js stay outside; parts.js is handed, per module it
 * shares, the names it imports from it (`shared`: file -> names).
 */
function mainPlugin(shared) {
  return {
    name: 'main-bundle',
    setup(build) {
      build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: './node-fetch.js', external: true }));
      build.onResolve({ filter: PARTS_REQUEST }, (args) => (args.importer.endsWith(path.join('src', 'lazy', 'load.ts')) ? { path: 'parts', namespace: SHARED } : undefined));
      build.onResolve({ filter: /^\.\/parts\.js$/, namespace: SHARED }, () => ({ path: './parts.js', external: true }));
      build.onLoad({ filter: /.*/, namespace: SHARED }, () => {
        // Numbered in the order of `shared`, as parts.js asks for them.
        const files = [...shared.keys()];
        const imports = files.map((file, i) => `import * as m${i} from ${JSON.stringify(path.join(root, file))};`);
        const table = files.map((file, i) => `{ ${[...shared.get(file)].map((name) => `${name}: m${i}.${name}`).join(', ')} }`);
        return {
          contents: `${imports.join('\n')}
const modules = [${table.join(', ')}];
module.exports = require('./parts.js')((id) => modules[id]);`,
          resolveDir: root,
          loader: 'js',
        };
      });
    },
  };
}

/** parts.js: its imports of the modules the main bundle holds become that bundle's instances. */
function partsPlugin(held, shared) {
  return {
    name: 'parts-bundle',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.inner || args.kind === 'entry-point' || args.namespace === SHARED) {
          return undefined;
        }
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { inner: true } });
        const file = path.relative(root, resolved.path).split(path.sep).join('/');
        return held.includes(file) ? { path: file, namespace: SHARED } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: SHARED }, (args) => {
        const names = [...(shared.get(args.path) ?? [])];
        const id = [...shared.keys()].indexOf(args.path);
        const contents = `const m = __shared(${id}); // ${args.path}\n${names.map((name) => `export const ${name} = m.${name};`).join('\n')}`;
        return { contents, loader: 'js' };
      });
    },
  };
}

/**
 * Per module of `held`, the names the `sources` import from it (`import { a, b as c } from`,
 * `export { a } from`; type-only imports left out). The repository's modules import nothing
 * else from one another: a namespace import of one of them fails the build.
 */
function importedNames(sources, held) {
  const shared = new Map();
  for (const file of sources) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const target = (spec) => {
      if (!spec.startsWith('.')) {
        return undefined;
      }
      const base = path.relative(root, path.resolve(root, path.dirname(file), spec)).split(path.sep).join('/');
      return [`${base}.ts`, `${base}/index.ts`].find((candidate) => held.includes(candidate));
    };
    for (const [, spec] of text.matchAll(/^import \* as \w+ from '([^']+)'/gm)) {
      if (target(spec)) {
        throw new Error(`${file}: import * of ${spec}: import its names instead`);
      }
    }
    for (const [, typeOnly, list, spec] of text.matchAll(/^(?:import|export) (type )?\{([^}]*)\} from '([^']+)'/gm)) {
      const module = target(spec);
      if (typeOnly || !module) {
        continue;
      }
      const names = list.split(',').map((entry) => entry.trim()).filter((entry) => entry && !entry.startsWith('type '));
      const set = shared.get(module) ?? new Set();
      names.forEach((entry) => set.add(entry.split(/\s+as\s+/)[0]));
      shared.set(module, set);
    }
  }
  return shared;
}

/** The options every bundle shares; `minify` as `npm run package` builds. */
function common(minify) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    minify,
    sourcemap: !minify,
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: root,
  };
}

/** The repository's source files a build put code of into its output. */
function sourcesIn(metafile) {
  const [output] = Object.values(metafile.outputs).filter((out) => out.entryPoint !== undefined);
  return Object.entries(output.inputs)
    .filter(([file, { bytesInOutput }]) => bytesInOutput > 0 && file.startsWith('src/'))
    .map(([file]) => file)
    .sort();
}

/**
 * Builds dist/extension.js, dist/parts.js, dist/node-fetch.js and dist/ssh2.js into `outdir`. The main
 * bundle is built again until what it hands parts.js brings in no module it did not hold.
 * Returns each bundle's metafile, the modules of the main bundle, and those handed to
 * parts.js by number (their place in `handed`).
 */
async function buildAll({ outdir = path.join(root, 'dist'), minify = production } = {}) {
  const buildMain = async (shared) => {
    const options = { ...common(minify), entryPoints: [MAIN], outfile: path.join(outdir, 'extension.js'), format: 'cjs', logLevel: 'error' };
    const result = await esbuild.build({ ...options, plugins: [builtinUrl, sshExternal, mainPlugin(shared)] });
    // Names parts.js imports only as types have no value: left out of what it is handed.
    let typesOnly = 0;
    for (const warning of result.warnings) {
      const match = warning.id === 'import-is-undefined' && /^Import "(\w+)" will always be undefined because there is no matching export in "([^"]+)"/.exec(warning.text);
      if (match && shared.get(match[2])?.delete(match[1])) {
        typesOnly++;
      } else {
        console.warn(`esbuild: ${warning.text}`);
      }
    }
    return typesOnly > 0 ? buildMain(shared) : result;
  };
  // The first build of parts.js only finds its modules: nothing is handed to it yet.
  const buildParts = (held, shared, scan = false) =>
    esbuild.build({
      ...common(minify),
      write: !scan,
      // Imported from a module of the main bundle and not handed: a value that would be undefined.
      logOverride: scan ? { 'import-is-undefined': 'silent' } : { 'import-is-undefined': 'error' },
      entryPoints: [PARTS],
      outfile: path.join(outdir, 'parts.js'),
      format: 'iife',
      globalName: '__parts',
      banner: { js: 'module.exports = function (__shared) {' },
      footer: { js: 'return __parts;\n};' },
      plugins: [builtinUrl, sshExternal, partsPlugin(held, shared)],
    });
  let held = sourcesIn((await buildMain(new Map())).metafile);
  for (let round = 0; ; round++) {
    const firstParts = await buildParts(held, new Map(), true);
    const shared = importedNames(sourcesIn(firstParts.metafile), held);
    const main = await buildMain(shared);
    const nowHeld = sourcesIn(main.metafile);
    if (nowHeld.join() === held.join()) {
      const parts = await buildParts(held, shared);
      const fetch = await esbuild.build({
        ...common(minify),
        stdin: { contents: "module.exports = require('node-fetch');", resolveDir: root, sourcefile: 'node-fetch-entry.js' },
        outfile: path.join(outdir, 'node-fetch.js'),
        format: 'cjs',
        plugins: [builtinUrl],
      });
      const ssh2 = await esbuild.build({
        ...common(minify),
        stdin: { contents: "module.exports = require('ssh2');", resolveDir: root, sourcefile: 'ssh2-entry.js' },
        outfile: path.join(outdir, 'ssh2.js'),
        format: 'cjs',
        external: ['vscode', 'cpu-features', '*.node'],
      });
      return { main: main.metafile, parts: parts.metafile, fetch: fetch.metafile, ssh2: ssh2.metafile, held, handed: [...shared.keys()] };
    }
    if (round > 5) {
      throw new Error('the modules of the main bundle do not settle');
    }
    held = nowHeld;
  }
}

/** `npm run watch` (F5): one bundle, everything in it, rebuilt on every change. */
async function watchOne() {
  const context = await esbuild.context({ ...common(false), entryPoints: [MAIN], outfile: path.join(root, 'dist', 'extension.js'), format: 'cjs', external: ['vscode', 'cpu-features', '*.node'], plugins: [builtinUrl, problemMatcherFormat] });
  await context.watch();
  console.log('esbuild: watching src/');
}

// Run as a script; when required (the bench builds the package with it), only hand it out.
if (require.main === module) {
  (watch ? watchOne() : buildAll()).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
module.exports = { buildAll };
