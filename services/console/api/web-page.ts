import type { RequestHandler } from 'express';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { WebBundle } from '../web-bundle';
import { assetParam } from './console-schemas';

/** GET /: the console's one page. */
export function webPage(bundle: WebBundle): RequestHandler {
  return (_req, res) => {
    res
      .type('html')
      .set('Content-Security-Policy', bundle.contentSecurityPolicy)
      .set('Cache-Control', 'no-store')
      .send(bundle.page);
  };
}

/** GET /assets/:file: a file of the page's bundle. */
export function webAsset(bundle: WebBundle): RequestHandler<{ file: string }> {
  return (req, res) => {
    const file = parseOr400(assetParam, req.params.file, 'path.file');
    const asset = bundle.assets.get(file);
    if (!asset) throw HttpProblem.notFound(`asset ${file}`);
    res.type(asset.contentType).set('Cache-Control', 'no-cache').send(asset.body);
  };
}
