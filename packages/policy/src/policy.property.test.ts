import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPolicy } from './create-policy.js';

const policy = createPolicy();
const decide = (command: string, worktree = 'task-x') => policy.evaluate(command, { worktree });

/** Commands the default policy denies, as plain words (each transformation keeps their meaning). */
const DENIED: readonly (readonly string[])[] = [
  ['git', 'push'],
  ['git', 'push', 'origin', 'main'],
  ['git', 'push', '--force'],
  ['git', 'send-pack', 'origin', 'main'],
  ['git', 'remote', 'add', 'x', 'https://example.com/x.git'],
  ['git', 'reset', '--hard'],
  ['git', 'rebase', 'main'],
  ['git', 'clean', '-fd'],
  ['rm', '-rf', '/'],
  ['rm', '-rf', '.'],
  ['sudo', 'ls'],
  ['cat', '/etc/passwd'],
  ['cat', '../main/.env'],
  ['npm', 'install', 'left-pad'],
  ['curl', 'https://example.com'],
  ['node', '-e', '1'],
  ['codex', 'exec', '--dangerously-bypass-approvals-and-sandbox', 'x'],
];

/** Commands the default policy allows. */
const ALLOWED: readonly string[] = [
  'git status',
  'npm test',
  'ls -la src',
  'git log --oneline -5',
  'echo done',
  'git add -A',
  'codex exec --sandbox workspace-write "add tests"',
  'grep -rn TODO src',
];

/** One way to spell a word so that bash still reads the same value. */
const spelledWord = (word: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(word),
    fc.constant(`'${word}'`),
    fc.constant(`"${word}"`),
    fc.constant(word.replace(/./g, (char) => (/[A-Za-z0-9]/.test(char) ? `\\${char}` : char))),
    fc
      .integer({ min: 0, max: Math.max(0, word.length) })
      .map((at) => `${word.slice(0, at)}''${word.slice(at)}`),
    fc
      .integer({ min: 0, max: Math.max(0, word.length) })
      .map((at) => `${word.slice(0, at)}""${word.slice(at)}`),
    fc
      .integer({ min: 1, max: Math.max(1, word.length) })
      .map((at) => `"${word.slice(0, at)}"'${word.slice(at)}'`),
  );

const spaces = fc.constantFrom(' ', '  ', '\t', ' \t ', ' \\\n ');

/** A denied command with every word respelled and random whitespace between words. */
const disguised = fc
  .constantFrom(...DENIED)
  .chain((words) =>
    fc.tuple(
      ...words.map(spelledWord),
      fc.array(spaces, { minLength: words.length, maxLength: words.length }),
    ),
  )
  .map((parts) => {
    const spacing = parts.pop() as string[];
    return (parts as string[])
      .map((word, index) => (index === 0 ? word : `${spacing[index]}${word}`))
      .join('');
  });

const wrapper = fc.constantFrom(
  (command: string) => command,
  (command: string) => `env ${command}`,
  (command: string) => `env FOO=1 ${command}`,
  (command: string) => `command ${command}`,
  (command: string) => `timeout 5 ${command}`,
  (command: string) => `nice ${command}`,
  (command: string) => `nohup ${command}`,
  (command: string) => `time ${command}`,
  (command: string) => `exec ${command}`,
  (command: string) => `(${command})`,
  (command: string) => `{ ${command}; }`,
  (command: string) => `${command};`,
  (command: string) => `${command} &`,
  (command: string) => `; ${command}`,
  (command: string) => `\n\n${command}\n`,
  (command: string) => `true && ${command}`,
  (command: string) => `false || ${command}`,
  (command: string) => `if true; then ${command}; fi`,
  (command: string) => `echo "$(${command})"`,
  (command: string) => `ls \`${command}\``,
  (command: string) => `bash -c '${command.replace(/'/g, `'\\''`)}'`,
  (command: string) => `eval '${command.replace(/'/g, `'\\''`)}'`,
);

describe('policy properties', () => {
  it('never throws on arbitrary text and always returns a well-formed decision', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
        ),
        fc.string({ maxLength: 20 }),
        (command, worktree) => {
          const decision = policy.evaluate(command, { worktree });
          expect(['allow', 'deny']).toContain(decision.decision);
          expect(typeof decision.reason).toBe('string');
          expect(Array.isArray(decision.commands)).toBe(true);
          if (decision.decision === 'allow') {
            expect(decision.commands.length).toBeGreaterThan(0);
            expect(decision.commands.every((command) => command.decision === 'allow')).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws on shell-shaped noise (operators, quotes, substitutions)', () => {
    const token = fc.constantFrom(
      'git',
      'push',
      'ls',
      '$(',
      ')',
      '`',
      "'",
      '"',
      '\\',
      ';',
      '&&',
      '||',
      '|',
      '&',
      '\n',
      '{',
      '}',
      '(',
      '<(',
      '>',
      '<<EOF',
      'EOF',
      '$x',
      '${',
      '*',
      '?',
      '[',
      ']',
      ' ',
      '=',
      '~',
      '#',
      '!',
      'bash -c',
      'eval',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const decision = decide(tokens.join(''));
        expect(['allow', 'deny']).toContain(decision.decision);
      }),
      { numRuns: 400 },
    );
  });

  it('a denied command stays denied however it is quoted, escaped, spaced, wrapped or separated', () => {
    fc.assert(
      fc.property(disguised, wrapper, (command, wrap) => {
        const script = wrap(command);
        const decision = decide(script);
        expect(decision.decision, `${JSON.stringify(script)} was allowed: ${decision.reason}`).toBe('deny');
      }),
      { numRuns: 1500 },
    );
  });

  it('splicing a denied command into an allowed script never yields allow', () => {
    const separator = fc.constantFrom('; ', ' && ', ' || ', ' | ', ' & ', '\n', ';\n');
    fc.assert(
      fc.property(
        fc.constantFrom(...ALLOWED),
        disguised,
        fc.constantFrom(...ALLOWED),
        separator,
        separator,
        fc.boolean(),
        (before, denied, after, first, second, substitute) => {
          const script = substitute
            ? `${before} "$(${denied})"${second}${after}`
            : `${before}${first}${denied}${second}${after}`;
          const decision = decide(script);
          expect(decision.decision, `${JSON.stringify(script)} was allowed: ${decision.reason}`).toBe('deny');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('the allowed commands used above really are allowed on their own', () => {
    for (const command of ALLOWED) expect(decide(command).decision, command).toBe('allow');
  });

  it('decisions are deterministic', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALLOWED, ...DENIED.map((words) => words.join(' '))), (command) => {
        expect(decide(command)).toEqual(decide(command));
      }),
      { numRuns: 50 },
    );
  });
});
