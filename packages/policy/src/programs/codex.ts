import type { ArgWord } from '../engine/arg-word.js';
import { checkScannedArguments, expansionDenial } from '../engine/check-arguments.js';
import {
  type ArgumentKind,
  compileDeniedOptions,
  compileOptionSpec,
  deniedLongOption,
  type ScannedArgument,
  scanArguments,
} from '../engine/option-scan.js';
import type { ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, ruleArgsResult } from '../engine/program-result.js';
import { subcommandFirst } from './package-managers.js';

/**
 * `codex`: the prompt is data (any words, quotes or `git push` inside it are fine); the options
 * are checked. Leaving the sandbox (`--dangerously-bypass-approvals-and-sandbox`, `-s
 * danger-full-access`) needs `allowCodexFullAccess`; `-c` may only set model and reasoning
 * options, because other keys can change the sandbox, approvals or the shell codex uses.
 */

const VALUES: Readonly<Record<string, ArgumentKind>> = {
  '-c': 'data',
  '--config': 'data',
  '-s': 'data',
  '--sandbox': 'data',
  '-m': 'data',
  '--model': 'data',
  '-i': 'path',
  '--image': 'path',
  '-C': 'path',
  '--cd': 'path',
  '--add-dir': 'write',
  '-o': 'write',
  '--output-last-message': 'write',
  '--output-schema': 'path',
  '--color': 'data',
  '--local-provider': 'data',
  '--thread-source': 'data',
  '--base': 'data',
  '--commit': 'data',
  '--title': 'data',
  '--enable': 'data',
  '--disable': 'data',
  '-p': 'data',
  '--profile': 'data',
  '--cyber-access-program': 'data',
  '--remote': 'data',
};

/** Refused options; long ones also in any abbreviation, in case a parser accepts those. */
const REFUSED = compileDeniedOptions({
  '--dangerously-bypass-hook-trust': 'runs hooks without trust checks',
  '--trust': 'saves trust for MCP commands that run outside the sandbox',
  '--ignore-rules': "skips the user's execpolicy rules",
  '--worktree': 'creates a worktree outside the orchestrator',
  '--approve-for-me': 'approves sandbox escalations automatically',
  '--cyber-access-program': 'requests a special access program',
  '--enable': 'turns on feature flags that can change the sandbox; use the config file',
  '--disable': 'turns off feature flags that can change the sandbox; use the config file',
  '-p': 'loads a profile that can change the sandbox; use the default profile',
  '--profile': 'loads a profile that can change the sandbox; use the default profile',
  '--remote': 'connects to a remote app server',
  '--yolo': 'disables the sandbox and approvals',
});

const FULL_ACCESS = '--dangerously-bypass-approvals-and-sandbox';
const FULL_ACCESS_OPTION = compileDeniedOptions({ [FULL_ACCESS]: 'runs commands without a sandbox' });
const CONFIG_KEYS = new Set([
  'model',
  'model_reasoning_effort',
  'model_reasoning_summary',
  'model_verbosity',
  'hide_agent_reasoning',
  'show_raw_agent_reasoning',
]);

/** Subcommands that run a non-interactive session or review inside the worktree. */
const SESSION_SUBCOMMANDS = new Set(['exec', 'e', 'review']);
const EXEC_ACTIONS = new Set(['resume', 'review', 'fork', 'help']);
const LONGEST_EXEC_ACTION = Math.max(...[...EXEC_ACTIONS].map((action) => action.length));

const SPEC = compileOptionSpec({
  values: VALUES,
  // Abbreviations (`--sand danger-full-access`) resolve, so their values are checked like the full name's.
  longPrefixes: true,
  flags: [
    FULL_ACCESS,
    ...REFUSED.longs,
    '--full-auto',
    '--oss',
    '--json',
    '--skip-git-repo-check',
    '--last',
    '--all',
    '--uncommitted',
    '--search',
    '--ephemeral',
    '--help',
    '--version',
  ],
});

/** The check for `codex`. */
export const codex: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  const scanned = scanArguments(args, SPEC);
  for (const item of scanned) {
    const word = item.word;
    if (item.role === 'positional') {
      // The prompt may be anything, but an unknown word could also be read as a flag.
      // (A static word always has its own value: only a dynamic one can lack candidates.)
      if (item.optionCapable && word.dynamic && !promptValues(word)) {
        return denyResult(
          expansionDenial(
            'codex',
            word.text,
            'an argument codex may read as an option; put the prompt in single quotes so nothing in it expands (a `$(...)` or backquotes in double quotes would run), or `--` before it',
          ),
        );
      }
      continue;
    }
    if (item.role === 'value') {
      if (item.option === '-c' || item.option === '--config') {
        const problem = configProblem(word);
        if (problem) return problem;
      }
      if (item.option === '-s' || item.option === '--sandbox') {
        const problem = sandboxProblem(word, context.settings.allowCodexFullAccess);
        if (problem) return problem;
      }
      continue;
    }
    const option = item.option ?? '';
    const text = word.value;
    const refused = text.startsWith('--')
      ? deniedLongOption(text, REFUSED)
      : REFUSED.reasons.has(option)
        ? option
        : undefined;
    if (refused) return deny('builtin:codex-option', `codex ${refused}: ${REFUSED.reasons.get(refused)}`);
    if (
      !context.settings.allowCodexFullAccess &&
      (option === FULL_ACCESS || deniedLongOption(text, FULL_ACCESS_OPTION) !== undefined)
    ) {
      return deny(
        'builtin:codex-sandbox',
        `codex ${FULL_ACCESS} runs commands without a sandbox; use --sandbox workspace-write`,
      );
    }
    if (item.inlineValue !== undefined) {
      const inline: ArgWord = { ...word, value: item.inlineValue };
      if (option === '--config' || option === '-c') {
        const problem = configProblem(inline);
        if (problem) return problem;
      }
      if (option === '--sandbox' || option === '-s') {
        const problem = sandboxProblem(inline, context.settings.allowCodexFullAccess);
        if (problem) return problem;
      }
    }
  }
  const options: ScannedArgument[] = [];
  const operands: ArgWord[] = [];
  for (const item of scanned) {
    if (item.role === 'positional') operands.push(item.word);
    else options.push(item);
  }
  const denial = checkScannedArguments('codex', options, context);
  if (denial) return denyResult(denial);
  const subcommand = operands[0];
  const result = ruleArgsResult(subcommandFirst(args, subcommand));
  if (subcommand && SESSION_SUBCOMMANDS.has(subcommand.value)) {
    const action = operands[1];
    // The length test keeps a long prompt from being hashed for a lookup that cannot succeed.
    if (action && action.value.length <= LONGEST_EXEC_ACTION && EXEC_ACTIONS.has(action.value)) {
      result.ruleArgs = [
        subcommand,
        action,
        ...args.filter((word) => word !== subcommand && word !== action),
      ];
    }
  }
  return result;
};

function promptValues(word: ArgWord): readonly string[] | undefined {
  if (!word.dynamic) return [word.value];
  return word.candidates?.every((value) => !value.startsWith('-')) ? word.candidates : undefined;
}

function configProblem(word: ArgWord): ProgramResult | undefined {
  if (word.dynamic) return denyResult(expansionDenial('codex', word.text, 'a -c setting'));
  const key = (word.value.split('=')[0] ?? '').trim();
  if (CONFIG_KEYS.has(key)) return undefined;
  return deny(
    'builtin:codex-config',
    `codex -c ${key}: only ${[...CONFIG_KEYS].join(', ')} may be set on the command line (other settings can change the sandbox, approvals or shell)`,
  );
}

function sandboxProblem(word: ArgWord, allowFullAccess: boolean): ProgramResult | undefined {
  if (word.dynamic) return denyResult(expansionDenial('codex', word.text, 'the sandbox mode'));
  if (word.value === 'read-only' || word.value === 'workspace-write') return undefined;
  if (word.value === 'danger-full-access' && allowFullAccess) return undefined;
  return deny(
    'builtin:codex-sandbox',
    `codex --sandbox ${word.value}: only read-only and workspace-write are allowed${allowFullAccess ? '' : ' (danger-full-access needs allowCodexFullAccess in the policy config)'}`,
  );
}

function deny(ruleId: string, reason: string): ProgramResult {
  return denyResult({ ruleId, reason });
}
