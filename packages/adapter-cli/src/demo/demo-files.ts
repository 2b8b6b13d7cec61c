/** The code the scripted codex "writes" in the demo: two small utils with tests. */
export interface DemoSubtask {
  /** Worktree and branch name. */
  worktree: string;
  /** What the orchestrator asks codex to do (the codex prompt). */
  prompt: string;
  /** Files codex adds, path → contents. */
  files: Record<string, string>;
  commitMessage: string;
}

export const demoTask =
  'Add two string utils to demo-shop, each in its own module with node:test tests: slugify(text) that turns a title into a URL slug, and capitalize(text) that upper-cases the first letter. Merge both when the tests pass.';

export const demoSubtasks: readonly DemoSubtask[] = [
  {
    worktree: 'task-slugify',
    prompt:
      'Goal: add src/slugify.js exporting slugify(text): lower-case, accents removed, runs of non-alphanumerics become one "-", no leading or trailing "-". Add test/slugify.test.js (node:test). Limits: touch only these two files. Tests: node --test. Done when the tests pass and the work is committed.',
    files: {
      'src/slugify.js': [
        '/** Turns a title into a URL slug: "Hello, Wörld!" -> "hello-world". */',
        'export function slugify(text) {',
        '  return text',
        "    .normalize('NFKD')",
        "    .replace(/[\\u0300-\\u036f]/g, '')",
        '    .toLowerCase()',
        "    .replace(/[^a-z0-9]+/g, '-')",
        "    .replace(/^-+|-+$/g, '');",
        '}',
        '',
      ].join('\n'),
      'test/slugify.test.js': [
        "import assert from 'node:assert/strict';",
        "import { test } from 'node:test';",
        "import { slugify } from '../src/slugify.js';",
        '',
        "test('slugify makes URL slugs', () => {",
        "  assert.equal(slugify('Hello, Wörld!'), 'hello-world');",
        "  assert.equal(slugify('  Many   spaces  '), 'many-spaces');",
        "  assert.equal(slugify('---'), '');",
        '});',
        '',
      ].join('\n'),
    },
    commitMessage: 'Add slugify with tests',
  },
  {
    worktree: 'task-capitalize',
    prompt:
      'Goal: add src/capitalize.js exporting capitalize(text): the first letter upper-cased, the rest unchanged, "" stays "". Add test/capitalize.test.js (node:test). Limits: touch only these two files. Tests: node --test. Done when the tests pass and the work is committed.',
    files: {
      'src/capitalize.js': [
        '/** Upper-cases the first letter: "shop" -> "Shop". */',
        'export function capitalize(text) {',
        '  return text.charAt(0).toUpperCase() + text.slice(1);',
        '}',
        '',
      ].join('\n'),
      'test/capitalize.test.js': [
        "import assert from 'node:assert/strict';",
        "import { test } from 'node:test';",
        "import { capitalize } from '../src/capitalize.js';",
        '',
        "test('capitalize upper-cases the first letter', () => {",
        "  assert.equal(capitalize('shop'), 'Shop');",
        "  assert.equal(capitalize('élan vital'), 'Élan vital');",
        "  assert.equal(capitalize(''), '');",
        '});',
        '',
      ].join('\n'),
    },
    commitMessage: 'Add capitalize with tests',
  },
];

/** An `apply_patch` body adding `files`. */
export function addFilesPatch(files: Record<string, string>): string {
  const sections = Object.entries(files).map(([path, contents]) => {
    const lines = contents.endsWith('\n') ? contents.slice(0, -1).split('\n') : contents.split('\n');
    return [`*** Add File: ${path}`, ...lines.map((line) => `+${line}`)].join('\n');
  });
  return `*** Begin Patch\n${sections.join('\n')}\n*** End Patch\n`;
}
