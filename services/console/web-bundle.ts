import fs from 'node:fs';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

/** The console's front end, bundled in memory: the page and the files it loads. */
export interface WebBundle {
  page: string;
  assets: Map<string, { contentType: string; body: string }>;
  contentSecurityPolicy: string;
}

const webDir = path.join(__dirname, 'web');

/** Where `npm run build` writes the bundle, beside the compiled console (dist/services/console/). */
export const prebuiltAssetsDir = path.join(__dirname, 'web-assets');

/**
 * How services/console/web (preact + htm + uPlot, TypeScript) is bundled, at build time
 * into `outdir` or in memory. Type checking is `npm run typecheck`'s (web/tsconfig.json),
 * not esbuild's.
 */
export function webBuildOptions(outdir: string): BuildOptions {
  return {
    entryPoints: { app: path.join(webDir, 'main.ts') },
    bundle: true,
    outdir,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  };
}

type Assets = Map<string, { contentType: string; body: string }>;

const contentTypeOf = (name: string) => (name.endsWith('.css') ? 'text/css' : 'text/javascript');

/** The bundle `npm run build` made (what a deployment runs, where esbuild is not installed). */
function prebuiltAssets(): Assets | undefined {
  if (!fs.existsSync(prebuiltAssetsDir)) return undefined;
  const assets: Assets = new Map();
  for (const name of fs.readdirSync(prebuiltAssetsDir)) {
    assets.set(name, {
      contentType: contentTypeOf(name),
      body: fs.readFileSync(path.join(prebuiltAssetsDir, name), 'utf8'),
    });
  }
  return assets;
}

/** Bundled in memory when run from source (tests, tsx): about a second, nothing on disk to go stale. */
async function freshAssets(): Promise<Assets> {
  // Loaded only here: a deployment without dev dependencies never needs esbuild.
  const { build } = await import('esbuild');
  const result = await build({ ...webBuildOptions('/assets'), write: false });
  const assets: Assets = new Map();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    assets.set(name, { contentType: contentTypeOf(name), body: file.text });
  }
  return assets;
}

/** The console's front end: the page and the files it loads, prebuilt if built, else bundled now. */
export async function bundleWeb(): Promise<WebBundle> {
  const assets = prebuiltAssets() ?? (await freshAssets());
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>deedstream console</title>
<link rel="icon" href="data:,">
${assets.has('app.css') ? '<link rel="stylesheet" href="/assets/app.css">' : ''}
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<div id="app"></div>
</body>
</html>
`;
  return {
    page,
    assets,
    // Only its own files; uPlot sizes its elements with style attributes, hence 'unsafe-inline' for styles.
    contentSecurityPolicy:
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  };
}
