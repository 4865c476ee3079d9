import fs from 'node:fs';
import path from 'node:path';

/**
 * The README and docs/ link to each other by file and heading: a moved section or a renamed
 * heading must not leave a link that goes nowhere.
 */
const root = path.join(__dirname, '..');
const documents = [
  'README.md',
  'bench/README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');

function headingsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of fs.readFileSync(path.join(root, file), 'utf8').split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (heading?.[1] && !inFence) anchors.add(anchorOf(heading[1]));
  }
  return anchors;
}

describe('links between the README and docs/', () => {
  it.each(documents)('every relative link of %s reaches a file, and its heading', (file) => {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const broken: string[] = [];
    for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!link || /^[a-z]+:/.test(link)) continue;
      const [target = '', anchor] = link.split('#');
      const targetFile = target === '' ? file : path.normalize(path.join(path.dirname(file), target));
      if (!fs.existsSync(path.join(root, targetFile))) broken.push(`${link}: no file ${targetFile}`);
      else if (anchor && targetFile.endsWith('.md') && !headingsOf(targetFile).has(anchor))
        broken.push(`${link}: no heading #${anchor} in ${targetFile}`);
    }
    expect(broken).toEqual([]);
  });
});
