import fs from 'node:fs';
import path from 'node:path';

/**
 * The project's root: the nearest folder above this file with the project's package.json
 * (a checkout, or an installed build where dist/ sits beside connectors/ and package.json).
 * Files the services read at run time (connectors/, schema locks) are found from here.
 */
export const repoRoot = findPackageRoot(__dirname);

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
