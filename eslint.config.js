// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'web/**/dist/', 'data/', 'coverage/', 'docs/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers and booleans in messages are fine; objects are what this rule is for.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Non-null assertions are used after explicit length checks in loops over pages.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Fastify handlers are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
      // Removing a key from a record by name is what a keyring and a cookie jar do.
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'kysely', message: 'Only src/db/ talks to Kysely.', allowTypeImports: false }] }],
    },
  },
  {
    files: ['src/db/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'src/cli/doctor.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The HTTP layer calls use cases in src/domain and never the store: rules (who may, what
    // changes together, what is audited) live in one place, whatever the route.
    files: ['src/http/**/*.ts'],
    ignores: ['src/http/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='store']", message: 'Routes call domain functions (src/domain), not the store.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // `response.json() as Shape` reads better in a test than `response.json<Shape>()`.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
