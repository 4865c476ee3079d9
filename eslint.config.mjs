import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';

/**
 * Services depend on each other only through what they publish: a service's `published/`
 * module (topics, event types and their schemas and upcasters, the commands it takes and
 * their schemas). Anything else of another service (its domain, API, handlers, projections,
 * storage) is off limits; shared code lives in services/shared.
 */
const services = [
  'property',
  'search',
  'analytics',
  'transaction',
  'payment',
  'contract',
  'title',
  'console',
  'people',
  'valuation',
  'audit',
];
/**
 * A file `depth` folders below services/<service>/ reaches another service's folder through
 * depth + 1 `../` (fewer reach its own subfolders, which may share a service's name, such as
 * a `contract/` folder of the transaction service).
 */
const otherServicesInternals = (service, depth) =>
  services
    .filter((other) => other !== service)
    .map((other) => ({
      regex: `^(\\.\\./){${depth + 1}}${other}/(?!published(/|$))`,
      message: `import ${other}'s published module (services/${other}/published) instead of its internals`,
    }));
const boundaries = services.flatMap((service) =>
  [0, 1, 2, 3].map((depth) => ({
    files: [`services/${service}/${'*/'.repeat(depth)}*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: otherServicesInternals(service, depth) }] },
  })),
);
/**
 * What a service publishes stands alone: its `published/` module imports nothing else of its
 * own service (a file `depth` folders below published/ reaches the service's folders through
 * depth + 1 `../`), so others importing it never pull in its domain. Tests are exempt.
 */
const publishedStandsAlone = services.flatMap((service) =>
  [0, 1, 2].map((depth) => ({
    files: [`services/${service}/published/${'*/'.repeat(depth)}*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...otherServicesInternals(service, depth + 1),
            {
              regex: `^(\\.\\./){${depth + 1}}[^./]`,
              message: `services/${service}/published imports nothing else of ${service}: what it publishes must stand alone`,
            },
          ],
        },
      ],
    },
  })),
);

/**
 * The shared core is layered (services/shared/layers.json): a file of a module may import
 * modules of lower layers only, and never stack/. Tests are exempt: an integration test of
 * a low layer may drive it with a service's contract or the test harness. A file `depth`
 * folders below its module reaches a sibling module through depth + 1 `../`.
 */
const { layers } = JSON.parse(
  readFileSync(new URL('./services/shared/layers.json', import.meta.url), 'utf8'),
);
const layering = layers.flatMap((layer, rank) =>
  layer.flatMap((module) => {
    const below = layers.slice(0, rank).flat();
    const notBelow = layers
      .slice(rank)
      .flat()
      .filter((other) => other !== module);
    return [0, 1, 2].map((depth) => ({
      files: [`services/shared/${module}/${'*/'.repeat(depth)}*.ts`],
      ignores: ['**/*.test.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: `^(\\.\\./){${depth + 1}}(${notBelow.join('|')})/`,
                message: `services/shared/${module} is in layer ${rank + 1} of services/shared/layers.json: it may import ${below.length > 0 ? below.join(', ') : 'no other module'}`,
              },
              {
                regex: `^(\\.\\./){${depth + 2}}(?!shared/)`,
                message:
                  'services/shared imports no service, nor stack/, test/, bench/, migrations/ or tools/',
              },
            ],
          },
        ],
      },
    }));
  }),
);

export default tseslint.config(
  { ignores: ['node_modules/', '.stack/', 'coverage/', 'stack/*/target/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
  ...publishedStandsAlone,
  ...layering,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly' } },
  },
);
