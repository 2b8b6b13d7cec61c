/**
 * Prompt templates for codex tasks by kind of work. A codex task states the goal, the limits,
 * which tests to run, and what counts as done (SPEC.md, "Codex usage").
 */

/** Kinds of codex tasks with their own guidance. */
export type CodexTaskKind = 'feature' | 'refactor' | 'fix' | 'migration' | 'tests';

/** Input of `buildCodexPrompt`. */
export interface CodexPromptInput {
  kind: CodexTaskKind;
  /** What to achieve, in plain words. */
  goal: string;
  /** Limits added to the standard ones. */
  limits?: string[];
  /** Test commands to run before finishing (default: the project's existing tests for the touched code). */
  tests?: string[];
  /** Definition of done, replacing the standard one. */
  done?: string[];
  /** Files or modules to focus on. */
  files?: string[];
  /** Allow adding, removing or upgrading dependencies (default false). */
  allowDependencyChanges?: boolean;
}

const kindGuidance: Record<CodexTaskKind, { title: string; commitType: string; steps: string[] }> = {
  feature: {
    title: 'Implement a feature',
    commitType: 'feat',
    steps: [
      'Implement the goal in the style of the surrounding code.',
      'Add or extend tests that cover the new behaviour.',
    ],
  },
  refactor: {
    title: 'Refactor without changing behaviour',
    commitType: 'refactor',
    steps: [
      'Change the structure, not the behaviour: existing tests must pass without being weakened.',
      'Keep public interfaces unchanged unless the goal says otherwise.',
    ],
  },
  fix: {
    title: 'Fix a bug',
    commitType: 'fix',
    steps: [
      'Reproduce the bug first, ideally with a failing test.',
      'Fix the cause, not the symptom, then make that test pass.',
    ],
  },
  migration: {
    title: 'Migrate',
    commitType: 'chore',
    steps: [
      'Migrate in small steps; the project must build and its tests pass after the change.',
      'Do not mix the migration with unrelated changes.',
    ],
  },
  tests: {
    title: 'Write tests',
    commitType: 'test',
    steps: [
      'Add tests only; do not change production code.',
      'If a test reveals a bug, do not fix it: describe it in your final message.',
    ],
  },
};

function bullets(items: string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

/**
 * Builds the prompt of one codex task.
 *
 * @example
 * buildCodexPrompt({ kind: 'fix', goal: 'Search returns deleted users', tests: ['npm test -- search'] });
 */
export function buildCodexPrompt(input: CodexPromptInput): string {
  const guidance = kindGuidance[input.kind];
  const limits = [
    'Work only inside this worktree (the current directory); do not read or change files outside it.',
    input.allowDependencyChanges === true
      ? 'Dependency changes are allowed for this task; keep them to what the goal needs.'
      : 'Do not add, remove or upgrade dependencies (no npm install, yarn add, pip install ...).',
    'Never run git push, never change remotes, never rebase or reset --hard. Stay on the current branch.',
    'Keep the change focused on the goal: no unrelated refactors or reformatting.',
    ...(input.limits ?? []),
  ];
  const tests =
    input.tests !== undefined && input.tests.length > 0
      ? input.tests
      : [
          "The project's existing tests for the code you touched (find the test command in the project files).",
        ];
  const done = input.done ?? [
    'The goal is met.',
    'The tests above pass.',
    `The work is committed on the current branch: git add -A && git commit -m "${guidance.commitType}: <short summary>".`,
    'Your final message lists what changed, the tests you ran with their results, and anything left undone.',
  ];
  const sections = [
    `# ${guidance.title}`,
    `## Goal\n${input.goal.trim()}`,
    `## How\n${bullets(guidance.steps)}`,
  ];
  if (input.files !== undefined && input.files.length > 0)
    sections.push(`## Focus on\n${bullets(input.files)}`);
  sections.push(
    `## Limits\n${bullets(limits)}`,
    `## Tests to run\n${bullets(tests)}`,
    `## Done when\n${bullets(done)}`,
  );
  return `${sections.join('\n\n')}\n`;
}
