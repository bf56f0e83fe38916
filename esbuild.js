// Bundles the extension into one file: fast activation, and no node_modules in the package.
const esbuild = require('esbuild');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// node-fetch 2 falls back to the whatwg-url package only where Node has no URL class; its
// Unicode tables would be 280 KB of the bundle. Node 20 has URL, so hand it the built-in one.
const builtinUrl = {
  name: 'builtin-url',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'builtin-url' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin-url' }, () => ({ contents: 'module.exports = { URL };', loader: 'js' }));
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

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  metafile: true,
  logLevel: 'warning',
  plugins: watch ? [builtinUrl, problemMatcherFormat] : [builtinUrl],
};

async function main() {
  if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
    console.log('esbuild: watching src/');
  } else {
    await esbuild.build(options);
  }
}

// Run as a script; when required (the bench builds with these options), only hand them out.
if (require.main === module) {
  main().catch(() => process.exit(1));
}
module.exports = { options };
