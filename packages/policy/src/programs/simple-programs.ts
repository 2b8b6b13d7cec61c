import { expansionDenial } from '../engine/check-arguments.js';
import { compileOptionSpec, scanArguments } from '../engine/option-scan.js';
import type { ProgramCheck } from '../engine/program-context.js';
import { denyResult } from '../engine/program-result.js';
import { pythonModule } from './interpreters.js';
import { type ProgramSpec, specCheck } from './spec-check.js';
import { buildToolSpecs } from './specs/build-tool-specs.js';
import { fileEditSpecs } from './specs/file-edit-specs.js';
import { jsToolSpecs } from './specs/js-tool-specs.js';
import { pythonToolSpecs } from './specs/python-tool-specs.js';
import { textToolSpecs } from './specs/text-tool-specs.js';

/**
 * Descriptions of everyday programs, one module per kind (specs/): which options take values and
 * what their arguments are, so that paths are checked and patterns, messages and numbers are not
 * mistaken for paths.
 */
const SPECS: Readonly<Record<string, ProgramSpec>> = {
  ...textToolSpecs,
  ...fileEditSpecs,
  ...jsToolSpecs,
  ...pythonToolSpecs,
  ...buildToolSpecs,
};

const coverageSpec = specCheck(SPECS.coverage!);
const COVERAGE_OPTIONS = compileOptionSpec(SPECS.coverage!);

/** `coverage run -m module args` runs the module like `python -m module args`, with its checks. */
const coverage: ProgramCheck = (argv, context) => {
  const result = coverageSpec(argv, context);
  if (result.deny) return result;
  const scanned = scanArguments(argv, COVERAGE_OPTIONS, 1);
  const positionals = scanned.filter((item) => item.role === 'positional');
  if (positionals[0]?.word.value !== 'run') return result;
  const moduleFlag = scanned.some(
    (item) => item.role === 'option' && (item.option === '-m' || item.option === '--module'),
  );
  const module = positionals[1]?.word;
  if (!moduleFlag || !module) return result;
  if (module.dynamic) return denyResult(expansionDenial(argv[0]!.value, module.text, 'a module name'));
  const at = argv.indexOf(module);
  return pythonModule(`${argv[0]!.value} run`, module, argv.slice(at + 1), context);
};

/** Checks built from the descriptions above, by program name. */
export const simpleProgramChecks: ReadonlyMap<string, ProgramCheck> = new Map([
  ...Object.entries(SPECS).map(([name, spec]): [string, ProgramCheck] => [name, specCheck(spec)]),
  ['coverage', coverage],
  ['pip3', specCheck(SPECS.pip!)],
  // pytest's older entry point: the same program, so the same table and narrowing.
  ['py.test', specCheck(SPECS.pytest!)],
]);
