import type {
  AndOr,
  Assignment,
  Command,
  Pipeline,
  Redirection,
  Script,
  SyntaxNode,
  TestExpression,
  Word,
  WordPart,
} from 'unbash';
import { forEachChild, parse } from 'unbash';
import { protectedEditDenial, protectedRedirectionDenial } from '../programs/protected-worktree.js';
import {
  dangerousName,
  variableArguments,
  variableName,
  variableTarget,
} from '../programs/shell-builtins.js';
import type { CommandVerdict } from '../types.js';
import { type ArgWord, possibleValues } from './arg-word.js';
import { arithmeticLeaves, arithmeticTextNames } from './arithmetic-names.js';
import { expansionDenial } from './check-arguments.js';
import { checkRedirections, type RedirectionSummary } from './check-redirections.js';
import { checkCommandName } from './command-name.js';
import { ecosystemHint } from './ecosystem-hints.js';
import { type Engine, LimitExceeded, type ProgramEntry, type RuleOutcome } from './engine.js';
import { exportProblem } from './environment-allowlist.js';
import {
  assignmentWord,
  checkParameterExpansion,
  evaluateWord,
  plainWord,
  type VariableRead,
  type WordEnvironment,
} from './evaluate-word.js';
import { makeVerdict } from './make-verdict.js';
import { findPathProblem, type RelativeDirectory, unionDirectories } from './path-check.js';
import { pipelineOutput } from './pipeline-output.js';
import type { Denial, ProgramContext, StdinSource } from './program-context.js';
import {
  arithmeticInjection,
  dangerousVariable,
  environmentRead,
  ShellVariables,
} from './shell-variables.js';
import { isDangerousVariable } from './variables.js';
import { worktreeProgramArgv } from './worktree-program.js';

const SHELL_EXPRESSION: RuleOutcome = {
  decision: 'allow',
  ruleId: 'builtin:shell-expression',
  reason: 'evaluates a test or arithmetic expression',
};
const MAX_DIRECTORIES = 16;
const NO_REDIRECTIONS: RedirectionSummary = Object.freeze({
  stdin: undefined,
  writesFile: false,
  inertWrites: undefined,
  inputFiles: undefined,
});
/**
 * Programs that only read the files they name and print: naming a log file the script wrote does
 * not make its content flow into anything that runs or changes the worktree.
 */
const READERS = new Set([
  'cat',
  'head',
  'tail',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'wc',
  'ls',
  'stat',
  'diff',
  'cmp',
  'sort',
  'uniq',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'sha512sum',
]);

/** A variable assignment as evaluated: its name and possible values (undefined when unknown). */
interface AssignedVariable {
  name: string;
  values: string[] | undefined;
}
/** The shell starts in the worktree root. Never mutated: `cd` builds new lists. */
const ROOT_ONLY: readonly RelativeDirectory[] = Object.freeze([Object.freeze([]) as RelativeDirectory]);

/**
 * One evaluation of one script: walks the AST the way bash would execute it and records a verdict
 * for every command (and every wrapper layer) it finds.
 */
export class ScriptRun implements WordEnvironment {
  /** Created with the first verdict: `[]` plus push would reserve 16 slots, most scripts need 1. */
  private verdictList: CommandVerdict[] | undefined;
  readonly braceLimit = 256;
  private readonly variables = new ShellVariables();
  private directories: readonly RelativeDirectory[] = ROOT_ONLY;
  private stdin: StdinSource = 'inherited';
  private depth = 0;
  private commandCount = 0;
  private contentWritten = false;
  /** Base names of inert output files the script wrote (`> build.log`, `tee test.log`). */
  private inertWritten: string[] | undefined;
  private lastDirectoryChange: RelativeDirectory[] | undefined;

  /** Reused for every program check (checks never keep it). */
  private readonly context: ProgramContext;
  /** The worktree is protected (`main`): the merge queue's, no edits. */
  private readonly protectedWorktree: boolean;

  constructor(
    private readonly engine: Engine,
    private readonly worktree: string,
    private source: string,
  ) {
    this.context = { worktree, settings: engine.settings, directories: this.directories, stdin: this.stdin };
    this.protectedWorktree = engine.settings.protectedWorktrees.includes(worktree);
  }

  /** Every verdict recorded so far, in order. */
  get verdicts(): CommandVerdict[] {
    this.verdictList ??= [];
    return this.verdictList;
  }

  /** Whether the policy has a check of its own for a program name (`git`, `npm`, ...). */
  private readonly knownProgram = (name: string): boolean => !this.engine.program(name).fallback;

  /** Walks a parsed script. */
  run(script: Script): void {
    this.visitScript(script);
  }

  // --- structure -------------------------------------------------------------------------------

  private visit(node: SyntaxNode): void {
    switch (node.type) {
      case 'Script':
        this.nested(() => this.visitScript(node));
        return;
      case 'AndOr':
        this.visitAndOr(node);
        return;
      case 'Pipeline':
        this.visitPipeline(node);
        return;
      case 'Command':
        this.visitCommand(node);
        return;
      case 'Function':
        this.deny(node, [node.name.value], {
          ruleId: 'builtin:function-definition',
          reason: `defining the function \`${node.name.value}\` is not allowed: a function can shadow an allowed command; run the commands directly`,
        });
        return;
      case 'Redirected': {
        const stdin = this.checkRedirects(node.redirects, node);
        const saved = this.stdin;
        if (stdin) this.stdin = stdin;
        this.visit(node.command);
        this.stdin = saved;
        return;
      }
      case 'For':
      case 'Select': {
        const wordlist = node.wordlist;
        const values: string[] = [];
        let known = wordlist !== undefined;
        let glob = false;
        // Every list word is evaluated (its nested commands checked) before the values are read.
        const words: ArgWord[] = [];
        if (wordlist) {
          for (let index = 0; index < wordlist.length; index++) {
            const evaluated = this.evaluateLooseWord(wordlist[index]!, node);
            for (let at = 0; at < evaluated.length; at++) words.push(evaluated[at]!);
          }
        }
        for (let index = 0; index < words.length; index++) {
          const word = words[index]!;
          const possible = possibleValues(word);
          if (!possible) known = false;
          else for (let at = 0; at < possible.length; at++) values.push(possible[at]!);
          if (word.glob) glob = true;
        }
        const name = node.name.value;
        // `for PATH in .; do git status; done` sets PATH for the body.
        if (isDangerousVariable(name)) this.deny(node.name, [], dangerousName(node.type.toLowerCase(), name));
        this.assign(name, known ? values : undefined, glob);
        this.visit(node.body);
        return;
      }
      case 'Coproc': {
        // `coproc NAME ...` sets the array NAME and NAME_PID.
        const name = node.name ? node.name.value : 'COPROC';
        for (const assigned of [name, `${name}_PID`]) {
          if (isDangerousVariable(assigned)) this.deny(node, [], dangerousName('coproc', assigned));
          this.assign(assigned, undefined);
        }
        if (node.name) this.evaluateLooseWord(node.name, node);
        this.visit(node.body);
        return;
      }
      case 'ArithmeticFor':
        // The three expressions only: the body is walked as commands.
        if (node.initialize) this.checkArithmetic(node.initialize, node, true);
        if (node.test) this.checkArithmetic(node.test, node, true);
        if (node.update) this.checkArithmetic(node.update, node, true);
        this.visit(node.body);
        return;
      case 'ArithmeticCommand':
        this.checkArithmetic(node, node, true);
        this.record(node, [], SHELL_EXPRESSION);
        return;
      case 'TestCommand':
        this.visitTest(node.expression, node);
        this.record(node, [], SHELL_EXPRESSION);
        return;
      case 'Case':
        this.evaluateLooseWord(node.word, node);
        for (const item of node.items) {
          for (const pattern of item.pattern) this.evaluateLooseWord(pattern, node);
          this.visit(item.body);
        }
        return;
      case 'Word':
        this.evaluateLooseWord(node, node);
        return;
      default:
        forEachChild(node, (child) => this.visit(child));
    }
  }

  private visitScript(script: Script): void {
    // unbash sets `errors` on every script (undefined when it parsed cleanly).
    const errors = (script as { errors?: readonly { message: string }[] }).errors;
    if (errors && errors.length > 0) {
      const first = errors[0]!;
      this.deny(script, [], {
        ruleId: 'builtin:parse-error',
        reason: `the command does not parse as bash (${first.message}); fix the quoting or syntax`,
      });
      return;
    }
    for (const statement of script.commands) this.visit(statement.command);
  }

  private visitAndOr(node: AndOr): void {
    const before = this.directories;
    // Created on the first `cd` in the chain: most chains have none.
    let seen: RelativeDirectory[] | undefined;
    const commands = node.commands;
    for (let index = 0; index < commands.length; index++) {
      const command = commands[index]!;
      this.lastDirectoryChange = undefined;
      this.visit(command);
      const change = this.lastDirectoryChange as RelativeDirectory[] | undefined;
      // A `cd` inside a subshell or pipeline does not move the shell running the chain.
      if (!change || command.type !== 'Command') continue;
      seen ??= [...before];
      seen.push(...change);
      // After `cd x && ...` the rest of the chain runs only if the cd succeeded.
      this.directories = node.operators[index] === '&&' ? change : union(this.directories, change);
    }
    // Without any `cd` in the chain the shell is where it started (the root list needs no merging).
    this.directories =
      before === ROOT_ONLY && (seen === undefined || seen.length === 1)
        ? ROOT_ONLY
        : union(before, seen ?? before);
    this.lastDirectoryChange = undefined;
  }

  private visitPipeline(node: Pipeline): void {
    const saved = this.stdin;
    let input = saved;
    const commands = node.commands;
    const last = commands.length - 1;
    for (let index = 0; index <= last; index++) {
      const command = commands[index]!;
      this.stdin = input;
      this.visit(command);
      // The last stage's output leaves the pipeline: nothing reads it here.
      if (index < last) input = pipelineOutput(command, input);
    }
    this.stdin = saved;
  }

  private visitTest(expression: TestExpression, owner: SyntaxNode): void {
    switch (expression.type) {
      case 'TestUnary': {
        const words = this.evaluateLooseWord(expression.operand, owner);
        // `[[ -v a[i] ]]` evaluates the index `i` as arithmetic.
        if (expression.operator === '-v' || expression.operator === '-R') {
          for (const word of words) {
            // `[[ ]]` does not glob its operands: `a[1]` stays a name.
            const denial = this.nameDenial('[[', word.glob ? { ...word, glob: false } : word, false, false);
            if (denial) this.deny(owner, [], denial);
          }
        }
        return;
      }
      case 'TestBinary': {
        this.evaluateLooseWord(expression.left, owner);
        this.evaluateLooseWord(expression.right, owner);
        if (/^-(eq|ne|lt|le|gt|ge)$/.test(expression.operator)) {
          this.checkArithmeticWord(expression.left, owner);
          this.checkArithmeticWord(expression.right, owner);
        }
        return;
      }
      case 'TestLogical':
        for (const operand of expression.operands) this.visitTest(operand, owner);
        return;
      case 'TestNot':
        this.visitTest(expression.operand, owner);
        return;
      case 'TestGroup':
        this.visitTest(expression.expression, owner);
    }
  }

  // --- simple commands -------------------------------------------------------------------------

  private visitCommand(node: Command): void {
    this.commandCount++;
    if (this.commandCount > this.engine.limits.maxCommands) {
      throw new LimitExceeded(`the script has more than ${this.engine.limits.maxCommands} commands`);
    }
    // Most commands have no denial and read no variable: both lists are created on first use.
    // `denials` holds prefix and redirection denials in order; only the first is reported.
    let denials: Denial[] | undefined;
    let reads: string[] | undefined;
    let prefixAssignments: AssignedVariable[] | undefined;
    let associative: boolean | undefined;
    const prefix = node.prefix;
    for (let index = 0; index < prefix.length; index++) {
      const item = prefix[index]!;
      if (item.type !== 'Assignment') continue;
      reads ??= [];
      const assigned = this.evaluateAssignment(item, reads);
      prefixAssignments ??= [];
      prefixAssignments.push(assigned);
      // Before a command the variable is exported to it: the environment allowlist decides.
      const problem = node.name
        ? this.exportProblem(item.name, assigned.values, node)
        : isDangerousVariable(item.name)
          ? dangerousVariable(item.name)
          : undefined;
      if (problem) {
        denials ??= [];
        denials.push(problem);
      }
    }
    // unbash's `redirects` getter builds a fresh array; most commands have none.
    let redirectResult = NO_REDIRECTIONS;
    if (hasRedirects(node)) {
      denials ??= [];
      reads ??= [];
      redirectResult = this.checkRedirectList(node.redirects, denials, reads);
    }
    const argv: ArgWord[] = [];
    let suffixAssignments: AssignedVariable[] | undefined;
    if (node.name) reads = this.evaluateInto(node.name, argv, reads);
    const suffix = node.suffix;
    for (let index = 0; index < suffix.length; index++) {
      const item = suffix[index]!;
      if (item.type === 'Word') reads = this.evaluateInto(item, argv, reads);
      else if (item.type === 'Assignment') {
        reads ??= [];
        associative ??= declaresAssociative(node);
        const assigned = this.evaluateAssignment(item, reads, associative);
        suffixAssignments ??= [];
        suffixAssignments.push(assigned);
        argv.push(assignmentWord(item, assigned.values));
      }
    }
    // A disguised command name is the more useful reason, so it goes first; reading the
    // environment is reported last.
    let nameDenial = argv[0] && node.name ? checkCommandName(argv[0]) : undefined;
    if (nameDenial?.ruleId === 'builtin:command-path') {
      // `./scripts/test.sh`, `.venv/bin/pytest`: checked as the allowed way to run the same file.
      const rewritten = worktreeProgramArgv(argv, this.directories, this.knownProgram);
      if (rewritten) {
        argv.splice(0, argv.length, ...rewritten);
        nameDenial = undefined;
      }
    }
    const denial =
      nameDenial ??
      (denials !== undefined && denials.length > 0 ? denials[0] : undefined) ??
      (reads !== undefined && reads.length > 0 ? environmentRead(reads) : undefined);
    if (!node.name) {
      if (prefixAssignments)
        for (const assigned of prefixAssignments) this.assign(assigned.name, assigned.values);
      this.record(
        node,
        [],
        denial ?? {
          decision: 'allow',
          ruleId: 'builtin:assignment',
          reason: prefixAssignments ? 'sets shell variables' : 'only redirections inside the worktree',
        },
      );
      this.recordWrites(redirectResult, false, undefined);
      return;
    }
    if (denial) {
      this.record(
        node,
        argv.map((word) => word.value),
        denial,
      );
      return;
    }
    const saved = this.stdin;
    if (redirectResult.stdin) this.stdin = redirectResult.stdin;
    const first = argv[0];
    const entry = first ? this.engine.program(first.value) : undefined;
    if (redirectResult !== NO_REDIRECTIONS) this.noteInputFiles(redirectResult.inputFiles, first?.value);
    const executes = this.evaluateLayer(argv, node.end, 0, true, entry);
    this.stdin = saved;
    this.recordWrites(redirectResult, executes, first?.value);
    const builtin = entry ? entry.builtin : 0;
    if (builtin === 0) return;
    if (builtin === 1) {
      if (suffixAssignments)
        for (const assigned of suffixAssignments) this.assign(assigned.name, assigned.values);
      for (const word of argv.slice(1))
        if (!word.value.startsWith('-') && !word.value.includes('=')) {
          if (!this.variables.has(word.value)) this.assign(word.value, undefined);
        }
    } else if (builtin === 2) {
      for (const word of argv.slice(1))
        if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word.value)) this.assign(word.value, undefined);
    }
    // `let` (kind 3) is checked, and its assignments recorded, by checkVariableArguments.
  }

  /** Checks one layer (a program and its arguments); returns true when it runs worktree code. */
  private evaluateLayer(
    argv: ArgWord[],
    end: number,
    layer: number,
    nameChecked = false,
    resolved?: ProgramEntry,
  ): boolean {
    const program = argv[0];
    if (!program) return false;
    const text = this.source.slice(program.pos, end);
    const values: string[] = new Array(argv.length);
    for (let index = 0; index < argv.length; index++) values[index] = argv[index]!.value;
    if (layer > this.engine.limits.maxDepth) throw new LimitExceeded('wrappers are nested too deeply');
    if (this.inertWritten !== undefined && !READERS.has(program.value) && this.namesInertWrite(argv)) {
      this.contentWritten = true;
    }
    const nameDenial = nameChecked ? undefined : checkCommandName(program);
    if (nameDenial?.ruleId === 'builtin:command-path') {
      const rewritten = worktreeProgramArgv(argv, this.directories, this.knownProgram);
      if (rewritten) return this.evaluateLayer(rewritten, end, layer + 1, true);
    }
    if (nameDenial) {
      this.addVerdict({ argv: values, text, decision: 'deny', ...nameDenial });
      return false;
    }
    const context = this.context;
    context.directories = this.directories;
    context.stdin = this.stdin;
    const entry = resolved ?? this.engine.program(program.value);
    const result = entry.check(argv, context);
    // Checks return objects of many shapes: read each field once.
    let deny = result.deny;
    if (deny === undefined && entry.namesVariables) deny = this.checkVariableArguments(argv);
    if (deny === undefined && this.protectedWorktree) {
      deny = protectedEditDenial(
        argv,
        result.writesContent === true || result.inertWrites !== undefined,
        context,
      );
    }
    const ruleArgs = result.ruleArgs;
    const executesFile = result.executesFile;
    const changesDirectory = result.changesDirectory;
    // Rules see every layer, even one a built-in check refused (rule examples rely on that).
    // A built-in denial wins over a deny no rule matched, so that reason is not needed then.
    // Without arguments of its own from the check, the rules see argv after the program name.
    const outcome = this.engine.rules.decideWith(
      entry.rules,
      program.value,
      ruleArgs ?? argv,
      this.worktree,
      deny === undefined,
      ruleArgs ? 0 : 1,
    );
    // For programs without a built-in check, an explicit deny rule explains more than a path.
    const ruleFirst = entry.fallback && outcome.decision === 'deny' && outcome.ruleId !== undefined;
    let decided: RuleOutcome | Denial = ruleFirst ? outcome : (deny ?? outcome);
    if (decided === outcome && outcome.ruleId === 'dependency-changes') {
      const hint = ecosystemHint(program.value);
      if (hint) decided = { ...outcome, reason: `${outcome.reason}; ${hint}` };
    }
    if (!deny && outcome.decision === 'allow' && executesFile && this.contentWritten) {
      decided = {
        ruleId: 'builtin:write-then-execute',
        reason: `\`${program.value}\` runs code from the worktree after this script wrote a file; write and run in separate, reviewed steps`,
      };
    }
    this.addVerdict(makeVerdict(values, text, decided));
    if (result.writesContent) this.contentWritten = true;
    const inertWrites = result.inertWrites;
    if (inertWrites) for (const path of inertWrites) this.addInertWrite(path);
    if (changesDirectory) {
      this.lastDirectoryChange = changesDirectory;
      this.directories = union(this.directories, changesDirectory);
    }
    let executes = Boolean(executesFile);
    const innerCommands = result.inner;
    if (innerCommands) {
      for (const inner of innerCommands) {
        const saved = this.stdin;
        this.stdin = inner.stdin;
        executes = this.evaluateLayer(inner.argv, end, layer + 1) || executes;
        this.stdin = saved;
      }
    }
    if (result.script !== undefined) this.visitSource(result.script);
    return executes;
  }

  private visitSource(source: string): void {
    const savedSource = this.source;
    this.nested(() => {
      this.source = source;
      try {
        this.visitScript(parse(source));
      } finally {
        this.source = savedSource;
      }
    });
  }

  // --- words, variables, redirections ------------------------------------------------------------

  /** WordEnvironment: a nested node that may run commands. */
  visitNested(node: SyntaxNode): void {
    if (node.type === 'ArithmeticExpansion') {
      this.checkArithmetic(node, node, false);
      return;
    }
    if (node.type !== 'CommandExpansion' && node.type !== 'ProcessSubstitution') {
      if (node.type === 'ArithmeticCommandExpansion' && node.script) this.visitNestedScript(node.script);
      return;
    }
    const script = node.script;
    if (!script) {
      this.deny(node, [], {
        ruleId: 'builtin:parse-error',
        reason: `\`${node.text}\` does not parse as bash`,
      });
      return;
    }
    this.visitNestedScript(script);
  }

  private visitNestedScript(script: Script): void {
    const savedStdin = this.stdin;
    const savedSource = this.source;
    this.stdin = 'inherited';
    if (script.source !== undefined) this.source = script.source;
    try {
      this.visit(script);
    } finally {
      this.stdin = savedStdin;
      this.source = savedSource;
    }
  }

  /** WordEnvironment: what a variable read gives. */
  readVariable(name: string): VariableRead {
    return this.variables.read(name);
  }

  /** WordEnvironment: an array index or slice bound, which bash evaluates as arithmetic. */
  checkArithmeticWord(word: Word, owner: SyntaxNode, array?: string): void {
    // An associative array's index is a plain string.
    if (array !== undefined && this.variables.isAssociative(array)) return;
    const denial = this.arithmeticPartsDenial(word.parts, word.value, false);
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

  private evaluate(word: Word, environmentReads: string[]): ArgWord[] {
    const words = evaluateWord(word, this);
    for (const item of words) if (item.environmentReads) environmentReads.push(...item.environmentReads);
    return words;
  }

  /**
   * Like evaluate, appending the words to `out`; plain words skip the general evaluator. Returns
   * `reads` with the word's environment reads added (created when the first one appears).
   */
  private evaluateInto(word: Word, out: ArgWord[], reads: string[] | undefined): string[] | undefined {
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
  private evaluateLooseWord(word: Word, owner: SyntaxNode): ArgWord[] {
    const reads: string[] = [];
    const words = this.evaluate(word, reads);
    if (reads.length > 0) this.deny(owner, [], environmentRead(reads));
    return words;
  }

  private evaluateAssignment(
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
          const denial = this.elementIndexDenial(element);
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
  private exportProblem(name: string, values: string[] | undefined, node: Command): Denial | undefined {
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

  // --- what the script wrote ----------------------------------------------------------------------

  /**
   * Records a command's redirection writes. Content written to a file counts unless the command
   * itself runs worktree code (its output is not content the script chose); inert log files are
   * remembered by name.
   */
  private recordWrites(summary: RedirectionSummary, executes: boolean, program: string | undefined): void {
    if (summary.writesFile && !executes) this.contentWritten = true;
    const inert = summary.inertWrites;
    if (inert) for (const path of inert) this.addInertWrite(path);
    void program;
  }

  private addInertWrite(path: string): void {
    this.inertWritten ??= [];
    this.inertWritten.push(baseName(path));
  }

  /** A command other than a plain reader that takes a written log file on stdin consumes it. */
  private noteInputFiles(inputs: readonly string[] | undefined, program: string | undefined): void {
    const written = this.inertWritten;
    if (!inputs || !written || (program !== undefined && READERS.has(program))) return;
    if (inputs.some((path) => written.includes(baseName(path)))) this.contentWritten = true;
  }

  /** Whether an argument may name an inert file the script wrote (unknown words may). */
  private namesInertWrite(argv: readonly ArgWord[]): boolean {
    const written = this.inertWritten!;
    for (let index = 1; index < argv.length; index++) {
      const word = argv[index]!;
      if (word.glob || word.fromInput) return true;
      const values = possibleValues(word);
      if (!values) return true;
      for (const value of values) {
        // `--file=test.log` names it too.
        const equals = value.indexOf('=');
        if (
          written.includes(baseName(value)) ||
          (equals !== -1 && written.includes(baseName(value.slice(equals + 1))))
        ) {
          return true;
        }
      }
    }
    return false;
  }

  private assign(name: string, values: string[] | undefined, glob = false): void {
    this.variables.assign(name, values, glob);
  }

  private checkRedirects(redirects: readonly Redirection[], owner: SyntaxNode): StdinSource | undefined {
    const denials: Denial[] = [];
    const reads: string[] = [];
    const result = this.checkRedirectList(redirects, denials, reads);
    if (reads.length > 0) denials.push(environmentRead(reads));
    if (denials[0]) this.deny(owner, [], denials[0]);
    this.noteInputFiles(result.inputFiles, undefined);
    this.recordWrites(result, false, undefined);
    return result.stdin;
  }

  private checkRedirectList(
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

  private scanPart(node: SyntaxNode, environmentReads: string[]): void {
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
  private checkArithmetic(node: SyntaxNode, owner: SyntaxNode, assigns: boolean): void {
    const reads: string[] = [];
    // Nested commands and expansions; scanPart on the `$((..))` itself would come back here.
    if (node.type === 'ArithmeticExpansion' || node.type === 'ArithmeticCommand') {
      forEachChild(node, (child) => this.scanPart(child, reads));
    } else this.scanPart(node, reads);
    for (const leaf of arithmeticLeaves(node)) {
      const denial =
        leaf.type === 'ArithmeticWord'
          ? this.arithmeticPartsDenial(leaf.parts, leaf.value, assigns, true)
          : substitutionInArithmetic(leaf.text);
      if (denial) this.deny(owner, [], denial);
    }
  }

  /**
   * Why text bash evaluates as arithmetic after expanding `parts` (or the plain `value` when there
   * are none) is unsafe: a variable whose value is not a number (it is evaluated again), a literal
   * `$` or backquote (expanded again), a command's output. `raw`: `value` is unquoted source text.
   */
  private arithmeticPartsDenial(
    parts: readonly WordPart[] | undefined,
    value: string,
    assigns: boolean,
    raw = false,
  ): Denial | undefined {
    if (!parts) return this.arithmeticTextDenial(value, raw, assigns);
    for (let index = 0; index < parts.length; index++) {
      const denial = this.arithmeticPartDenial(parts[index]!, assigns);
      if (denial) return denial;
    }
    return undefined;
  }

  private arithmeticPartDenial(part: WordPart, assigns: boolean): Denial | undefined {
    switch (part.type) {
      case 'Literal':
      case 'SingleQuoted':
      case 'AnsiCQuoted':
        return this.arithmeticTextDenial(part.value, false, assigns);
      case 'DoubleQuoted':
      case 'LocaleString':
        return this.arithmeticPartsDenial(part.parts, '', assigns);
      case 'Glob':
      case 'BraceExpansion':
      case 'ExtendedGlob':
        return part.parts
          ? this.arithmeticPartsDenial(part.parts, '', assigns)
          : this.arithmeticTextDenial(part.text, false, assigns);
      case 'SimpleExpansion':
        return this.variables.arithmeticDenial(part.text.slice(1), false);
      case 'ParameterExpansion': {
        // `${#x}` is a length.
        if (part.prefix === '#' && !part.operation) return undefined;
        const denial = this.variables.arithmeticDenial(part.parameter, false);
        if (denial) return denial;
        // Text of the operation that can end up in the value (`${x:-text}`, `${x/a/text}`).
        const operation = part.operation;
        if (operation?.type === 'Default') {
          return this.arithmeticPartsDenial(operation.operand.parts, operation.operand.value, false);
        }
        if (operation?.type === 'Replace') {
          const replacement = operation.replacement;
          return this.arithmeticPartsDenial(replacement.parts, replacement.value, false);
        }
        return undefined;
      }
      case 'CommandExpansion':
        return substitutionInArithmetic(part.text);
      default:
        // `$((..))` gives a number; `<(..)` a file name.
        return undefined;
    }
  }

  private arithmeticTextDenial(text: string, raw: boolean, assigns: boolean): Denial | undefined {
    const names = arithmeticTextNames(text, raw);
    if (!names) {
      return arithmeticInjection(
        `the arithmetic text \`${abbreviate(text)}\` holds \`$\` or a backquote, which bash expands again inside the expression (\`'a[$(cmd)]'\` runs cmd); use plain names and numbers`,
      );
    }
    for (const name of names) {
      if (name.charCodeAt(0) === 36) {
        const denial = this.variables.arithmeticDenial(name.slice(1), false);
        if (denial) return denial;
        continue;
      }
      const denial = this.variables.arithmeticDenial(name, assigns);
      if (denial) return denial;
      // Any arithmetic can assign a bare name: `${x:(HOME=1)}`, `let PATH=0`.
      if (isDangerousVariable(name)) return dangerousVariable(name);
    }
    return undefined;
  }

  /** The index of an array literal element (`[i]=x` of `a=([i]=x)`). */
  private elementIndexDenial(element: Word): Denial | undefined {
    const parts = element.parts;
    if (!parts) {
      const close = element.value.indexOf(']=');
      return this.arithmeticTextDenial(
        element.value.slice(1, close === -1 ? undefined : close),
        false,
        false,
      );
    }
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index]!;
      if (part.type !== 'Literal') {
        const denial = this.arithmeticPartDenial(part, false);
        if (denial) return denial;
        continue;
      }
      let text = index === 0 ? part.value.slice(1) : part.value;
      const close = text.indexOf(']=');
      if (close !== -1) text = text.slice(0, close);
      const denial = this.arithmeticTextDenial(text, false, false);
      if (denial || close !== -1) return denial;
    }
    return undefined;
  }

  // --- builtins that name variables --------------------------------------------------------------

  /**
   * Checks the variable names a builtin's arguments hold (`read x`, `printf -v x`, `unset x`,
   * `declare x=1`, `test -v x`, `let x=1`): no dangerous names, no index bash would evaluate as
   * code (`read 'a[$(cmd)]'`), no names the policy cannot see. Records what they assign.
   */
  private checkVariableArguments(argv: readonly ArgWord[]): Denial | undefined {
    const parsed = variableArguments(argv);
    if (!parsed) return undefined;
    if (parsed.denial) return parsed.denial;
    const program = argv[0]!.value;
    const declares = parsed.declares;
    const unsets = program === 'unset';
    for (const word of parsed.assigned) {
      const denial =
        this.nameDenial(program, word, true, declares) ??
        (declares ? this.arrayLiteralDenial(program, word, parsed.attributes) : undefined);
      if (denial) return denial;
    }
    for (const word of parsed.inspected) {
      const denial = this.nameDenial(program, word, false, false);
      if (denial) return denial;
    }
    for (const word of parsed.arithmetic) {
      const values = possibleValues(word);
      if (!values) {
        return arithmeticInjection(
          `${program} \`${word.text}\`: the expression depends on expansion, and bash would evaluate whatever it expands to (it can run commands); write the expression literally`,
        );
      }
      for (const value of values) {
        const denial = this.arithmeticTextDenial(value, false, true);
        if (denial) return denial;
      }
    }
    // Bookkeeping: the names now hold values the policy does not know.
    for (const word of parsed.assigned) {
      const values = possibleValues(word) ?? [word.text];
      for (const value of values) {
        const name = variableName(value, declares);
        if (declares) {
          if (parsed.attributes.includes('A')) this.variables.markAssociative(name);
        } else if (!unsets) this.assign(name, undefined);
      }
    }
    return undefined;
  }

  /**
   * Why a word naming a variable is refused: unknown, a dangerous name (when `assigned`), or an
   * index bash would evaluate as arithmetic that is neither a number nor a plain numeric variable.
   */
  private nameDenial(
    program: string,
    word: ArgWord,
    assigned: boolean,
    declares: boolean,
  ): Denial | undefined {
    const values = possibleValues(word);
    if (!values || word.glob) {
      // `declare x=$y`: only the value is unknown.
      if (!(declares && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(word.text))) {
        return expansionDenial(program, word.text, 'a variable name');
      }
      return assigned && isDangerousVariable(variableName(word.text, true))
        ? dangerousName(program, variableName(word.text, true))
        : undefined;
    }
    for (const value of values) {
      const target = variableTarget(value, declares);
      const bracket = target.indexOf('[');
      const name = bracket === -1 ? target : target.slice(0, bracket);
      if (assigned && isDangerousVariable(name)) return dangerousName(program, name);
      if (bracket === -1) continue;
      const close = target.lastIndexOf(']');
      const index = target.slice(bracket + 1, close > bracket ? close : undefined).trim();
      if (/^(-?[0-9]+|@|\*)$/.test(index)) continue;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(index)) {
        const denial = this.variables.arithmeticDenial(index, false);
        if (denial) return denial;
        continue;
      }
      if (this.variables.isAssociative(name) && /^[A-Za-z0-9_.-]+$/.test(index)) continue;
      return arithmeticInjection(
        `${program} \`${abbreviate(value)}\`: bash evaluates the index \`[${abbreviate(index)}]\` as arithmetic, which runs any \`$(...)\` it holds; use a literal number or a plain variable holding one`,
      );
    }
    return undefined;
  }

  /**
   * `declare -a x='(..)'` (or any declaration of an existing array) parses a quoted value as an
   * array literal again, running the `$(...)` and arithmetic it holds. Unquoted `x=(..)` is fine:
   * its elements were checked as words.
   */
  private arrayLiteralDenial(program: string, word: ArgWord, attributes: string): Denial | undefined {
    if (ARRAY_LITERAL.test(word.text)) return undefined;
    const values = possibleValues(word);
    let literal = false;
    if (!values) literal = true;
    else {
      for (const value of values) {
        const equals = value.indexOf('=');
        if (equals !== -1 && value.charCodeAt(equals + 1) === 40) literal = true;
      }
    }
    if (!literal) return undefined;
    const name = variableName(values ? values[0]! : word.text, true);
    // `export` and `readonly` keep an existing array's value as a string unless told `-a`.
    const existing =
      program !== 'export' && program !== 'readonly' && (this.variables.has(name) || BASH_ARRAYS.has(name));
    if (!/[aA]/.test(attributes) && !existing) return undefined;
    return arithmeticInjection(
      `${program} \`${abbreviate(word.text)}\`: a value that may start with \`(\` is parsed again as an array literal, which runs the \`$(...)\` and index arithmetic it holds; write the array unquoted, like \`${name}=(a b)\``,
    );
  }

  // --- bookkeeping -------------------------------------------------------------------------------

  private nested(action: () => void): void {
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

  private record(node: { pos: number; end: number }, argv: string[], outcome: RuleOutcome | Denial): void {
    this.addVerdict(makeVerdict(argv, this.source.slice(node.pos, node.end), outcome));
  }

  private addVerdict(verdict: CommandVerdict): void {
    const list = this.verdictList;
    if (list === undefined) this.verdictList = [verdict];
    else list.push(verdict);
  }

  private deny(node: { pos: number; end: number }, argv: string[], denial: Denial): void {
    this.record(node, argv, denial);
  }
}

/** Builtins whose arguments name variables (see checkVariableArguments). */
export const NAMES_VARIABLES: ReadonlySet<string> = new Set([
  'read',
  'mapfile',
  'readarray',
  'printf',
  'unset',
  'getopts',
  'wait',
  'test',
  '[',
  'let',
  'declare',
  'typeset',
  'local',
  'export',
  'readonly',
]);
/** The source of an unquoted array assignment (`x=(a b)`, `x+=(c)`). */
const ARRAY_LITERAL = /^[A-Za-z_][A-Za-z0-9_]*\+?=\(/;
/** Arrays bash itself may have created, which a declaration re-parses like `declare -a`. */
const BASH_ARRAYS = new Set([
  'DIRSTACK',
  'PIPESTATUS',
  'FUNCNAME',
  'GROUPS',
  'COPROC',
  'BASH_REMATCH',
  'BASH_ARGV',
  'BASH_ARGC',
  'BASH_LINENO',
  'BASH_SOURCE',
  'BASH_ALIASES',
  'BASH_CMDS',
  'BASH_VERSINFO',
  'COMP_WORDS',
]);

/** Denial for a command's output used in arithmetic: bash evaluates it as an expression. */
function substitutionInArithmetic(text: string): Denial {
  return arithmeticInjection(
    `arithmetic uses the output of \`${abbreviate(text)}\`, which bash evaluates as an expression (output like \`a[$(cmd)]\` runs cmd); print the number first and use it as a literal in a later command`,
  );
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** True when a declaration builtin declares associative arrays (`declare -A m=([k]=v)`). */
function declaresAssociative(node: Command): boolean {
  const name = node.name ? plainWord(node.name) : undefined;
  if (!name || name.dynamic || !/^(declare|typeset|local|readonly|export)$/.test(name.value)) return false;
  for (const item of node.suffix) {
    if (item.type === 'Word' && /^-[A-Za-z]*A/.test(item.value)) return true;
  }
  return false;
}

function union(left: readonly RelativeDirectory[], right: readonly RelativeDirectory[]): RelativeDirectory[] {
  const merged = unionDirectories(left, right, MAX_DIRECTORIES);
  if (!merged) throw new LimitExceeded('the script changes directory too many ways');
  return merged;
}

/** True when the command has a redirection (what unbash's `redirects` getter would collect). */
function hasRedirects(node: Command): boolean {
  const prefix = node.prefix;
  for (let index = 0; index < prefix.length; index++) if (prefix[index]!.type !== 'Assignment') return true;
  const suffix = node.suffix;
  for (let index = 0; index < suffix.length; index++) {
    const type = suffix[index]!.type;
    if (type !== 'Word' && type !== 'Assignment') return true;
  }
  return false;
}

/** The last segment of a path (`src/x.log` gives `x.log`). */
function baseName(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  return path.slice(path.lastIndexOf('/', end - 1) + 1, end);
}
