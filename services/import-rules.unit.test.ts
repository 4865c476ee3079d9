import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The import rules of eslint.config.mjs: services meet only through what they publish, and
 * the shared core is layered (shared/layers.json). These tests keep the rules honest: every
 * shared module is in a layer, no file lies deeper than the rules' globs reach, and the rules
 * refuse what they should (eslint is run on probes, not re-implemented).
 */
const root = path.join(__dirname, '..');
const shared = path.join(__dirname, 'shared');
const layersFile = z.object({ layers: z.array(z.array(z.string()).min(1)) });
const { layers } = layersFile.parse(JSON.parse(fs.readFileSync(path.join(shared, 'layers.json'), 'utf8')));
const listed = layers.flat();

/** How the lint rule judges a file at `filePath` with `source`: the messages of its errors. */
function lint(filePath: string, source: string): string[] {
  const eslint = path.join(root, 'node_modules', '.bin', 'eslint');
  const run = spawnSync(eslint, ['--format', 'json', '--stdin', '--stdin-filename', filePath], {
    cwd: root,
    input: source,
    encoding: 'utf8',
  });
  const reports = z
    .array(z.object({ messages: z.array(z.object({ ruleId: z.string().nullable(), message: z.string() })) }))
    .parse(JSON.parse(run.stdout));
  return reports.flatMap((report) =>
    report.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message),
  );
}

describe('the layers of services/shared', () => {
  it('list every module once, and only modules that exist', () => {
    const folders = fs
      .readdirSync(shared, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect([...listed].sort()).toEqual(folders);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('hold no file deeper than the lint rule reaches (two folders below a module)', () => {
    const tooDeep: string[] = [];
    const walk = (dir: string, depth: number) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full, depth + 1);
        else if (entry.name.endsWith('.ts') && depth > 2) tooDeep.push(path.relative(shared, full));
      }
    };
    for (const module of listed) walk(path.join(shared, module), 0);
    expect(tooDeep).toEqual([]);
  });

  it('are enforced by the lint rule: down is allowed, up, sideways and out are refused', () => {
    const source = [
      "import { messageOf } from '../errors/message-of';", // layer 1: below kafka
      "import { groupSettingsOf } from '../service/infrastructure';", // layer 10: above
      "import { outboxRows } from '../outbox/outbox-writer';", // kafka's own layer
      "import { repoRoot } from '../../../stack/paths';", // the native stack
      'export const used = [messageOf, groupSettingsOf, outboxRows, repoRoot];',
    ].join('\n');
    const refused = lint('services/shared/kafka/layering-probe.ts', `${source}\n`);
    expect(refused).toEqual([
      expect.stringMatching(/'\.\.\/service\/infrastructure'.*kafka is in layer 6/),
      expect.stringMatching(/'\.\.\/outbox\/outbox-writer'.*kafka is in layer 6/),
      expect.stringMatching(/'\.\.\/\.\.\/\.\.\/stack\/paths'.*imports no service, nor stack/),
    ]);
    // Two folders down, a service's internals are out of reach too.
    const nested = "import { x } from '../../../property/domain/property';\nexport const y = x;\n";
    expect(lint('services/shared/privacy/scan/layering-probe.ts', nested)).toEqual([
      expect.stringMatching(/imports no service/),
    ]);
  });
});

describe('the boundaries between services', () => {
  it("let a service import another's published module, not its internals", () => {
    const source = [
      "import { propertyTopic } from '../../property/published';",
      "import { Property } from '../../property/domain/property';",
      'export const used = [propertyTopic, Property];',
    ].join('\n');
    expect(lint('services/search/api/boundary-probe.ts', `${source}\n`)).toEqual([
      expect.stringMatching(/'\.\.\/\.\.\/property\/domain\/property'.*property's published module/),
    ]);
  });

  it('keep a published module free of its own service', () => {
    const source = [
      "import { messageOf } from '../../shared/errors/message-of';",
      "import { Property } from '../domain/property';",
      'export const used = [messageOf, Property];',
    ].join('\n');
    expect(lint('services/property/published/boundary-probe.ts', `${source}\n`)).toEqual([
      expect.stringMatching(/'\.\.\/domain\/property'.*published imports nothing else of property/),
    ]);
  });
});
