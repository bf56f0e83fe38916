// Bundles the extension: no node_modules in the package, and a small bundle for activation.
//
// dist/extension.js is what activation loads. What only a command, a form, the chat tools or
// the watch needs (src/lazy/parts.ts) is dist/parts.js, loaded on first use; node-fetch is
// dist/node-fetch.js, loaded by the first request. CommonJS cannot split code, so parts.js is
// built as a function of the modules extension.js already holds: each of its imports of such a
// module is handed that very module (one instance of every module: instanceof, the output
// channel, the accounts). Nothing of it is reachable by other extensions: the modules travel
// as the argument of one call, never through a global or module.exports.
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

/**
 * parts.js: its imports of the modules the main bundle holds become that bundle's instances.
 * Each such module is handed with every name it exports (`shared`: file -> names), as esbuild
 * finds them, those it passes on (`export * from`) too: whichever way parts.js reaches a
 * name, it is there. The scan fills `shared`; the build after it asks for what it found.
 */
function partsPlugin(held, shared, scan) {
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
      build.onLoad({ filter: /.*/, namespace: SHARED }, async (args) => {
        if (scan && !shared.has(args.path)) {
          shared.set(args.path, new Set(await exportsOf(args.path)));
        }
        const names = [...(shared.get(args.path) ?? [])];
        const id = [...shared.keys()].indexOf(args.path);
        const contents = `const m = __shared(${id}); // ${args.path}\n${names.map((name) => `export const ${name} = m.${name};`).join('\n')}`;
        return { contents, loader: 'js' };
      });
    },
  };
}

/** The names a module of the repository exports, as esbuild bundles it (types have none). */
async function exportsOf(file) {
  const result = await esbuild.build({
    ...common(false),
    entryPoints: [file],
    outdir: path.join(root, 'dist', 'exports-of'),
    format: 'esm',
    write: false,
    sourcemap: false,
    external: ['vscode', 'node-fetch', 'ssh2', './parts'],
    plugins: [builtinUrl],
  });
  const output = Object.values(result.metafile.outputs).find((out) => out.entryPoint === file);
  if (!output) {
    throw new Error(`${file}: esbuild reported no exports`);
  }
  return output.exports;
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
 * Returns each bundle's metafile, the modules of the main bundle, those handed to parts.js by
 * number (their place in `handed`), and the names handed of each (`handedNames`).
 */
async function buildAll({ outdir = path.join(root, 'dist'), minify = production } = {}) {
  const buildMain = async (shared) => {
    // A name handed to parts.js that its module does not export would be undefined there: fail.
    const options = { ...common(minify), entryPoints: [MAIN], outfile: path.join(outdir, 'extension.js'), format: 'cjs', logLevel: 'error', logOverride: { 'import-is-undefined': 'error' } };
    return esbuild.build({ ...options, plugins: [builtinUrl, sshExternal, mainPlugin(shared)] });
  };
  // The first build of parts.js (not written) finds the modules of the main bundle it imports, and their names.
  const buildParts = (held, shared, scan = false) =>
    esbuild.build({
      ...common(minify),
      write: !scan,
      // Imported from a module of the main bundle and not handed: a value that would be undefined.
      logOverride: { 'import-is-undefined': 'error' },
      entryPoints: [PARTS],
      outfile: path.join(outdir, 'parts.js'),
      format: 'iife',
      globalName: '__parts',
      banner: { js: 'module.exports = function (__shared) {' },
      footer: { js: 'return __parts;\n};' },
      plugins: [builtinUrl, sshExternal, partsPlugin(held, shared, scan)],
    });
  let held = sourcesIn((await buildMain(new Map())).metafile);
  for (let round = 0; ; round++) {
    const shared = new Map();
    await buildParts(held, shared, true);
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
      return { main: main.metafile, parts: parts.metafile, fetch: fetch.metafile, ssh2: ssh2.metafile, held, handed: [...shared.keys()], handedNames: Object.fromEntries([...shared].map(([file, names]) => [file, [...names]])) };
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
