import path from 'node:path';
import { build } from 'esbuild';

/** The console's front end, bundled in memory: the page and the files it loads. */
export interface WebBundle {
  page: string;
  assets: Map<string, { contentType: string; body: string }>;
  contentSecurityPolicy: string;
}

const webDir = path.join(__dirname, 'web');

/**
 * Bundles services/console/web (preact + htm + uPlot, TypeScript) with esbuild into memory
 * when the console starts: about a second, no build output on disk, nothing to forget to
 * rebuild. Type checking is `npm run typecheck`'s (web/tsconfig.json), not esbuild's.
 */
export async function bundleWeb(): Promise<WebBundle> {
  const result = await build({
    entryPoints: { app: path.join(webDir, 'main.ts') },
    bundle: true,
    write: false,
    outdir: '/assets',
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const assets = new Map<string, { contentType: string; body: string }>();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    assets.set(name, {
      contentType: name.endsWith('.css') ? 'text/css' : 'text/javascript',
      body: file.text,
    });
  }
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
