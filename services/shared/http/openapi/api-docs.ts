import { dirname } from 'node:path';
import express, { Router } from 'express';
import type { OpenApiDocument } from './openapi-document';

/** Where the installed swagger-ui-dist keeps its files (served from here: no CDN, no internet needed). */
const swaggerUiDir = dirname(require.resolve('swagger-ui-dist/package.json'));

function docsPage(title: string): string {
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escaped} · API docs</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;
}

// A file of its own rather than an inline script, so a Content-Security-Policy may forbid inline code.
const initScript = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false });\n`;

/** GET /openapi.json (the document) and GET /docs (Swagger UI over it, with its assets under /docs/assets). */
export function apiDocsRoutes(document: OpenApiDocument): Router {
  const router = Router();
  const json = JSON.stringify(document);
  const page = docsPage(document.info.title);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(json);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('text/javascript').send(initScript);
  });
  router.use('/docs/assets', express.static(swaggerUiDir, { index: false, fallthrough: true }));
  return router;
}
