import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * Services depend on each other only through what they publish: a service's `contract/`
 * (topics, event types, schemas, upcasters) and `messages/` (its commands and their schemas).
 * Anything else of another service (its domain, API, handlers, projections, storage) is
 * off limits; shared code lives in services/shared.
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
];
/**
 * A file `depth` folders below services/<service>/ reaches another service's folder through
 * depth + 1 `../` (fewer reach its own subfolders, which may share a service's name, such as
 * property/contract/).
 */
const boundaries = services.flatMap((service) =>
  [0, 1, 2, 3].map((depth) => ({
    files: [`services/${service}/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: services
            .filter((other) => other !== service)
            .map((other) => ({
              regex: `^(\\.\\./){${depth + 1}}${other}/(?!contract(/|$)|messages/)`,
              message: `import ${other}'s published contract (services/${other}/contract or messages/) instead of its internals`,
            })),
        },
      ],
    },
  })),
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
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly' } },
  },
);
