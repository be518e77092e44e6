// typescript-eslint, strict and type-checked, over every TypeScript file of the repository;
// formatting is Prettier's (eslint-config-prettier turns off the rules it owns).
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.tap/', 'src/generated/', '**/testdata/', 'out/'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Counts and sizes in messages are the common case and print exactly.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // With noUncheckedIndexedAccess every index read is `T | undefined`; a `!` after a bound
      // the code has checked (a loop limit, a regex group that matched) is the idiom.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `(x) => list.push(x)` in a callback is plain; a void return elsewhere is still flagged.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `_`-prefixed names are deliberately unused (destructured away, or a required parameter).
      // Attribute maps (the SDK's) and vendor records (parsed JSON) are plain objects by
      // contract, not dictionaries we could make Maps: deleting a key is the operation.
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // tap runs the subtests `t.test` queues and awaits them itself; its callbacks are async by
      // convention (a subtest ends when its promise resolves).
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  prettier,
);
