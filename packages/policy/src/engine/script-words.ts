import type { Assignment, Command, Redirection, SyntaxNode, Word } from 'unbash';
import { forEachChild } from 'unbash';
import { protectedRedirectionDenial } from '../programs/protected-worktree.js';
import type { CommandVerdict } from '../types.js';
import { type ArgWord, possibleValues } from './arg-word.js';
import { arithmeticLeaves } from './arithmetic-names.js';
import { checkRedirections, type RedirectionSummary } from './check-redirections.js';
import { type Engine, LimitExceeded, type RuleOutcome } from './engine.js';
import { exportProblem } from './environment-allowlist.js';
import {
  checkParameterExpansion,
  evaluateWord,
  plainWord,
  type VariableRead,
  type WordEnvironment,
} from './evaluate-word.js';
import { makeVerdict } from './make-verdict.js';
import { findPathProblem, type RelativeDirectory } from './path-check.js';
import type { Denial, ProgramContext, StdinSource } from './program-context.js';
import { dangerousVariable, environmentRead, ShellVariables } from './shell-variables.js';
import { substitutionInArithmetic, VariableChecks } from './variable-checks.js';
import { isDangerousVariable } from './variables.js';
import { WrittenFiles } from './written-files.js';

/** A variable assignment as evaluated: its name and possible values (undefined when unknown). */
export interface AssignedVariable {
  name: string;
  values: string[] | undefined;
}
/** The shell starts in the worktree root. Never mutated: `cd` builds new lists. */
export const ROOT_ONLY: readonly RelativeDirectory[] = Object.freeze([
  Object.freeze([]) as RelativeDirectory,
]);

/**
 * The state of one script evaluation and everything about words: expanding them (nested commands
 * included), the shell's variables and assignments, the environment allowlist for exported
 * names, redirections, arithmetic, and the verdict list. ScriptRun adds the walk over commands.
 */
export abstract class ScriptWords implements WordEnvironment {
  /** Created with the first verdict: `[]` plus push would reserve 16 slots, most scripts need 1. */
  private verdictList: CommandVerdict[] | undefined;
  readonly braceLimit = 256;
  protected readonly variables = new ShellVariables();
  /** Arithmetic and variable-name checks over the same variables, made on first use. */
  private variableChecks: VariableChecks | undefined;
  protected directories: readonly RelativeDirectory[] = ROOT_ONLY;
  protected stdin: StdinSource = 'inherited';
  private depth = 0;
  /** What the script wrote so far (for write-then-execute). */
  protected readonly written = new WrittenFiles();
  /** Reused for every program check (checks never keep it). */
  protected readonly context: ProgramContext;
  /** The worktree is protected (`main`): the merge queue's, no edits. */
  protected readonly protectedWorktree: boolean;

  constructor(
    protected readonly engine: Engine,
    protected readonly worktree: string,
    protected source: string,
  ) {
    this.context = { worktree, settings: engine.settings, directories: this.directories, stdin: this.stdin };
    this.protectedWorktree = engine.settings.protectedWorktrees.includes(worktree);
  }

  /** Every verdict recorded so far, in order. */
  get verdicts(): CommandVerdict[] {
    this.verdictList ??= [];
    return this.verdictList;
  }

  protected get checks(): VariableChecks {
    this.variableChecks ??= new VariableChecks(this.variables);
    return this.variableChecks;
  }

  /** WordEnvironment: a nested node that may run commands (the walker visits it). */
  abstract visitNested(node: SyntaxNode): void;

  /** WordEnvironment: what a variable read gives. */
  readVariable(name: string): VariableRead {
    return this.variables.read(name);
  }

  /** WordEnvironment: an array index or slice bound, which bash evaluates as arithmetic. */
  checkArithmeticWord(word: Word, owner: SyntaxNode, array?: string): void {
    // An associative array's index is a plain string.
    if (array !== undefined && this.variables.isAssociative(array)) return;
    const denial = this.checks.arithmeticPartsDenial(word.parts, word.value, false);
    if (denial) this.deny(owner, [], denial);
  }

  /** WordEnvironment: `${name:=value}` assigns name a value the policy does not track. */
  assignFromExpansion(name: string, owner: SyntaxNode): void {
    if (isDangerousVariable(name)) this.deny(owner, [], dangerousVariable(name));
    this.assign(name, undefined);
  }

  /** WordEnvironment: an expansion that cannot be allowed. */
  refuse(owner: SyntaxNode, denial: Denial): void {
    this.deny(owner, [], denial);
  }

  protected evaluate(word: Word, environmentReads: string[]): ArgWord[] {
    const words = evaluateWord(word, this);
    for (const item of words) if (item.environmentReads) environmentReads.push(...item.environmentReads);
    return words;
  }

  /**
   * Like evaluate, appending the words to `out`; plain words skip the general evaluator. Returns
   * `reads` with the word's environment reads added (created when the first one appears).
   */
  protected evaluateInto(word: Word, out: ArgWord[], reads: string[] | undefined): string[] | undefined {
    const plain = plainWord(word);
    if (plain) {
      out.push(plain);
      return reads;
    }
    const words = evaluateWord(word, this);
    for (let index = 0; index < words.length; index++) {
      const item = words[index]!;
      if (item.environmentReads) {
        reads ??= [];
        reads.push(...item.environmentReads);
      }
      out.push(item);
    }
    return reads;
  }

  /** A word outside a simple command (`for` lists, `case`, `[[ ]]`): nested commands and reads. */
  protected evaluateLooseWord(word: Word, owner: SyntaxNode): ArgWord[] {
    const reads: string[] = [];
    const words = this.evaluate(word, reads);
    if (reads.length > 0) this.deny(owner, [], environmentRead(reads));
    return words;
  }

  protected evaluateAssignment(
    assignment: Assignment,
    environmentReads: string[],
    associative = false,
  ): AssignedVariable {
    const index = assignment.index;
    const strings = associative || this.variables.isAssociative(assignment.name);
    if (index) {
      this.evaluate(index, environmentReads);
      if (!strings) this.checkArithmeticWord(index, assignment);
    }
    if (assignment.value.type === 'ArrayValue') {
      for (const element of assignment.value.elements) {
        this.evaluate(element, environmentReads);
        // `a=([i]=x)`: the index is arithmetic too.
        if (!strings && element.text.startsWith('[')) {
          const denial = this.checks.elementIndexDenial(element);
          if (denial) this.deny(assignment, [], denial);
        }
      }
      return { name: assignment.name, values: undefined };
    }
    const words = this.evaluate(assignment.value, environmentReads);
    const values: string[] = [];
    for (const word of words) {
      const possible = possibleValues(word);
      if (!possible || word.glob) return { name: assignment.name, values: undefined };
      values.push(...possible);
    }
    if (assignment.append || index) return { name: assignment.name, values: undefined };
    return { name: assignment.name, values: words.length > 1 ? [values.join(' ')] : values };
  }

  /** exportProblem for a prefix assignment of `node` (the command's literal name, if any). */
  protected exportProblem(name: string, values: string[] | undefined, node: Command): Denial | undefined {
    const command = node.name ? plainWord(node.name) : undefined;
    return exportProblem(
      '',
      name,
      values,
      command && !command.dynamic ? command.value : undefined,
      (path) => findPathProblem(path, this.directories) === undefined,
      this.engine.settings.environment,
    );
  }

  protected assign(name: string, values: string[] | undefined, glob = false): void {
    this.variables.assign(name, values, glob);
  }

  protected checkRedirects(redirects: readonly Redirection[], owner: SyntaxNode): StdinSource | undefined {
    const denials: Denial[] = [];
    const reads: string[] = [];
    const result = this.checkRedirectList(redirects, denials, reads);
    if (reads.length > 0) denials.push(environmentRead(reads));
    if (denials[0]) this.deny(owner, [], denials[0]);
    this.written.noteInputFiles(result.inputFiles, undefined);
    this.written.recordRedirections(result, false);
    return result.stdin;
  }

  protected checkRedirectList(
    redirects: readonly Redirection[],
    denials: Denial[],
    environmentReads: string[],
  ): RedirectionSummary {
    const summary = checkRedirections(redirects, {
      directories: this.directories,
      denials,
      evaluate: (word) => this.evaluate(word, environmentReads),
      scan: (part) => this.scanPart(part, environmentReads),
    });
    if (this.protectedWorktree && (summary.writesFile || summary.inertWrites !== undefined)) {
      const denial = protectedRedirectionDenial(this.context);
      if (denial) denials.push(denial);
    }
    return summary;
  }

  protected scanPart(node: SyntaxNode, environmentReads: string[]): void {
    switch (node.type) {
      case 'CommandExpansion':
      case 'ProcessSubstitution':
      case 'ArithmeticExpansion':
      case 'ArithmeticCommandExpansion':
        this.visitNested(node);
        return;
      case 'SimpleExpansion':
      case 'ParameterExpansion': {
        const name = node.type === 'SimpleExpansion' ? node.text.slice(1) : node.parameter;
        if (this.readVariable(name).kind === 'environment') environmentReads.push(name);
        if (node.type === 'ParameterExpansion' && (node.operation || node.index || node.prefix)) {
          checkParameterExpansion(node, this);
        }
        forEachChild(node, (child) => this.scanPart(child, environmentReads));
        return;
      }
      default:
        forEachChild(node, (child) => this.scanPart(child, environmentReads));
    }
  }

  // --- arithmetic --------------------------------------------------------------------------------

  /** Checks `$((..))`, `((..))` or one expression of `for ((..;..;..))`. */
  protected checkArithmetic(node: SyntaxNode, owner: SyntaxNode, assigns: boolean): void {
    const reads: string[] = [];
    // Nested commands and expansions; scanPart on the `$((..))` itself would come back here.
    if (node.type === 'ArithmeticExpansion' || node.type === 'ArithmeticCommand') {
      forEachChild(node, (child) => this.scanPart(child, reads));
    } else this.scanPart(node, reads);
    for (const leaf of arithmeticLeaves(node)) {
      const denial =
        leaf.type === 'ArithmeticWord'
          ? this.checks.arithmeticPartsDenial(leaf.parts, leaf.value, assigns, true)
          : substitutionInArithmetic(leaf.text);
      if (denial) this.deny(owner, [], denial);
    }
  }

  // --- builtins that name variables --------------------------------------------------------------

  // --- bookkeeping -------------------------------------------------------------------------------

  protected nested(action: () => void): void {
    this.depth++;
    if (this.depth > this.engine.limits.maxDepth) {
      throw new LimitExceeded(
        `the command nests substitutions or shells more than ${this.engine.limits.maxDepth} deep`,
      );
    }
    try {
      action();
    } finally {
      this.depth--;
    }
  }

  protected record(node: { pos: number; end: number }, argv: string[], outcome: RuleOutcome | Denial): void {
    this.addVerdict(makeVerdict(argv, this.source.slice(node.pos, node.end), outcome));
  }

  protected addVerdict(verdict: CommandVerdict): void {
    const list = this.verdictList;
    if (list === undefined) this.verdictList = [verdict];
    else list.push(verdict);
  }

  protected deny(node: { pos: number; end: number }, argv: string[], denial: Denial): void {
    this.record(node, argv, denial);
  }
}

/** True when a declaration builtin declares associative arrays (`declare -A m=([k]=v)`). */
export function declaresAssociative(node: Command): boolean {
  const name = node.name ? plainWord(node.name) : undefined;
  if (!name || name.dynamic || !/^(declare|typeset|local|readonly|export)$/.test(name.value)) return false;
  for (const item of node.suffix) {
    if (item.type === 'Word' && /^-[A-Za-z]*A/.test(item.value)) return true;
  }
  return false;
}
