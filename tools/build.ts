/**
 * `npm run build`: the services, the stack manager and the migrations as plain JavaScript
 * in dist/ (same folders), so `npm start` and `npm run service` run compiled code: no
 * TypeScript loader in each process (about 40-60 MB of memory each, measured under tsx).
 * esbuild transpiles file by file (no bundling, no type check: `npm run typecheck` does
 * that); the files the code reads beside itself (Avro schemas) are copied along, and the
 * console's front end is bundled into dist/services/console/web-assets/, so a deployment
 * installed without dev dependencies serves it without esbuild.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import { prebuiltAssetsDir, webBuildOptions } from '../services/console/web-bundle';

const root = path.resolve(__dirname, '..');
// `--out <dir>` builds elsewhere (the production-install test builds a copy of its own).
const { values: options } = parseArgs({ options: { out: { type: 'string' } } });
const out = path.resolve(root, options.out ?? 'dist');
const folders = ['services', 'stack', 'migrations'];

/**
 * The files of `folders` git would commit (tracked, or new and not ignored). A tree without
 * git (the container image's build stage: the Dockerfile copies these folders, and
 * .dockerignore leaves out what .gitignore does) takes every file.
 */
function sourceFiles(): string[] {
  if (fs.existsSync(path.join(root, '.git'))) {
    return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...folders], {
      cwd: root,
      encoding: 'utf8',
    }).split('\n');
  }
  return folders
    .flatMap((folder) => fs.readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}
const tracked = sourceFiles().filter((file) => file !== '' && fs.existsSync(path.join(root, file)));
const isTest = (file: string) => /\.(unit|int|e2e)\.test\.ts$/.test(file);
const sources = tracked.filter(
  (file) => file.endsWith('.ts') && !isTest(file) && !file.startsWith('services/console/web/'),
);
// The console's web sources are bundled below, not copied: a deployment serves the bundle.
const assets = tracked.filter((file) => !file.endsWith('.ts') && !file.startsWith('services/console/web/'));

const began = Date.now();
fs.rmSync(out, { recursive: true, force: true });
buildSync({
  entryPoints: sources.map((file) => path.join(root, file)),
  outdir: out,
  outbase: root,
  format: 'cjs',
  platform: 'node',
  target: 'node24',
  // `await import('./x')` stays a require: Node would resolve a bare relative import() as ES module.
  supported: { 'dynamic-import': false },
  logLevel: 'error',
});
// Where the compiled console looks for it: the same place relative to its own folder.
buildSync(webBuildOptions(path.join(out, path.relative(root, prebuiltAssetsDir))));
for (const file of assets) {
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.copyFileSync(path.join(root, file), path.join(out, file));
}
process.stdout.write(
  `build: ${sources.length} files compiled, ${assets.length} copied to ${path.relative(root, out).startsWith('..') ? out : path.relative(root, out)}/ in ${Date.now() - began} ms\n`,
);
