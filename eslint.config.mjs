// ESLint (flat config): JavaScript's recommended rules and typescript-eslint's recommended rules without type
// information (fast: no program is built), over the sources, tests and benchmarks. Rules the tree deliberately
// breaks are turned off below, each with its reason.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'reports/', 'data/', 'deploy/', 'src/**/wasm/assembly/'] }, // AssemblyScript, not TypeScript
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // unused names are errors; a leading underscore marks one kept for its position, and a rest sibling omits a field
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // the message sanitizers and the Verilog/XML checks match control characters on purpose
      'no-control-regex': 'off',
      // a variable given its fallback before a try that may not assign it states the fallback where it is declared
      'no-useless-assignment': 'off',
      // tests match the CLI's aligned columns literally
      'no-regex-spaces': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    // tests build malformed documents through untyped JSON
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
