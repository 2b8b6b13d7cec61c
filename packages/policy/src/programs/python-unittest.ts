import type { ArgWord } from '../engine/arg-word.js';
import { expansionDenial, pathDenial } from '../engine/check-arguments.js';
import { findPathProblem } from '../engine/path-check.js';
import type { Denial, ProgramContext } from '../engine/program-context.js';
import { deviceDenial, isDevicePath, stdinScriptDenial } from './spec-check.js';

/** unittest's options that take a value: `-k`, and discover's `-s`, `-p`, `-t`. */
const UNITTEST_VALUE_OPTIONS = 'kspt';
const UNITTEST_LONG_PATHS = ['--start-directory', '--top-level-directory'];
const UNITTEST_LONG_DATA = ['--pattern', '--durations'];

/**
 * `python -m unittest NAME` imports any dotted name and calls what it finds (`code.interact`), so
 * only test files (`tests/test_x.py`), bare `unittest` and `unittest discover` are accepted.
 */
export function unittestDenial(
  program: string,
  args: readonly ArgWord[],
  context: ProgramContext,
): Denial | undefined {
  let discover = false;
  let positional = 0;
  let optionsDone = false;
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    if (word.dynamic) return expansionDenial(program, word.text, 'a unittest argument');
    const text = word.value;
    if (!optionsDone && text === '--') {
      optionsDone = true;
      continue;
    }
    if (!optionsDone && text.startsWith('--')) {
      const equals = text.indexOf('=');
      const name = equals === -1 ? text : text.slice(0, equals);
      const isPath = name.length > 2 && UNITTEST_LONG_PATHS.some((full) => full.startsWith(name));
      const isData = name.length > 2 && UNITTEST_LONG_DATA.some((full) => full.startsWith(name));
      if (!isPath && !isData) continue;
      const value = equals === -1 ? args[++index] : undefined;
      if (value?.dynamic) return expansionDenial(program, value.text, `the value of ${name}`);
      if (isPath) {
        const denial = startDenial(program, equals === -1 ? value?.value : text.slice(equals + 1), context);
        if (denial) return denial;
      }
      continue;
    }
    if (!optionsDone && text.startsWith('-') && text !== '-') {
      for (let at = 1; at < text.length; at++) {
        const flag = text[at]!;
        if (!UNITTEST_VALUE_OPTIONS.includes(flag)) continue;
        const attached = at + 1 < text.length;
        const valueWord = attached ? word : args[++index];
        if (valueWord?.dynamic) return expansionDenial(program, valueWord.text, `the value of -${flag}`);
        if (flag === 's' || flag === 't') {
          const denial = startDenial(program, attached ? text.slice(at + 1) : valueWord?.value, context);
          if (denial) return denial;
        }
        break;
      }
      continue;
    }
    if (positional === 0 && text === 'discover') {
      discover = true;
      positional++;
      continue;
    }
    if (discover) {
      // discover [start [pattern [top]]]
      if (positional !== 2) {
        const denial = startDenial(program, text, context);
        if (denial) return denial;
      }
      positional++;
      continue;
    }
    positional++;
    const device = deviceDenial(program, word, 'test file');
    if (device) return device;
    // A dotted name of the project's tests (`tests.test_users.TestX`) is what unittest is for; the
    // standard library has no importable test package but `test`, whose tests are harmless.
    if (!text.endsWith('.py') && !text.includes('/') && !isTestModuleName(text)) {
      return {
        ruleId: 'builtin:inline-code',
        reason: `${program} -m unittest ${text}: unittest imports any module by dotted name and calls what it finds; name the test file (tests/test_x.py) or use \`unittest discover\``,
      };
    }
    const problem = findPathProblem(text, context.directories);
    if (problem) return pathDenial(program, problem, false);
  }
  return undefined;
}

/**
 * A dotted name whose first part names a test package or module (`tests.test_users`,
 * `test_api.TestX.test_get`, `app_tests.unit`), so it cannot reach `code.interact` and the like.
 */
function isTestModuleName(text: string): boolean {
  const first = text.split('.')[0]!;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(first) && /^tests?(_|$)|_tests?$/.test(first);
}

/** A discover start or top directory: a path in the worktree, not a dotted module name. */
function startDenial(
  program: string,
  value: string | undefined,
  context: ProgramContext,
): Denial | undefined {
  if (value === undefined) return undefined;
  if (isDevicePath(value)) return stdinScriptDenial(program, 'directory', value);
  if (value.includes('.') && !value.includes('/') && value !== '.' && value !== '..') {
    return {
      ruleId: 'builtin:inline-code',
      reason: `${program} -m unittest: \`${value}\` is read as a dotted module name, which imports any module; pass a directory path`,
    };
  }
  const problem = findPathProblem(value, context.directories);
  return problem ? pathDenial(program, problem, false) : undefined;
}
