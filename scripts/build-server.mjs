// Compiles the server and the CLI to JavaScript in dist/server/ (npm run build): the shipped
// server runs without a TypeScript loader. Dependencies stay in node_modules (not bundled); the
// import worker is an entry of its own, loaded next to the module that starts it.
import { rmSync } from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Packages are loaded from node_modules at run time, except JSON files they ship (region and city
 * tables), which are bundled: Node needs an import attribute for JSON that the sources leave out.
 */
const dependenciesStayExternal = {
  name: 'dependencies-stay-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.endsWith('.json') ? undefined : { path: args.path, external: true }));
  },
};

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'dist/server');
rmSync(outdir, { recursive: true, force: true });
const started = Date.now();
await build({
  absWorkingDir: root,
  entryPoints: { hotline: 'src/cli/hotline.ts', 'prepare-worker': 'src/domain/import/prepare-worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [dependenciesStayExternal],
  sourcemap: true,
  logLevel: 'warning',
});
process.stdout.write(`built dist/server in ${Date.now() - started} ms\n`);
