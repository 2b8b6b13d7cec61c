import type { AndOr, Command, Pipeline, Script, SyntaxNode, TestExpression } from 'unbash';
import { forEachChild, parse } from 'unbash';
import { protectedEditDenial } from '../programs/protected-worktree.js';
import { dangerousName } from '../programs/shell-builtins.js';
import { type ArgWord, possibleValues } from './arg-word.js';
import type { RedirectionSummary } from './check-redirections.js';
import { checkCommandName } from './command-name.js';
import { ecosystemHint } from './ecosystem-hints.js';
import { LimitExceeded, type ProgramEntry, type RuleOutcome } from './engine.js';
import { assignmentWord } from './evaluate-word.js';
import { makeVerdict } from './make-verdict.js';
import { type RelativeDirectory, unionDirectories } from './path-check.js';
import { pipelineOutput } from './pipeline-output.js';
import type { Denial } from './program-context.js';
import { type AssignedVariable, declaresAssociative, ROOT_ONLY, ScriptWords } from './script-words.js';
import { dangerousVariable, environmentRead } from './shell-variables.js';
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
 * One evaluation of one script: walks the AST the way bash would execute it and records a verdict
 * for every command (and every wrapper layer) it finds.
 */
export class ScriptRun extends ScriptWords {
  private commandCount = 0;
  private lastDirectoryChange: RelativeDirectory[] | undefined;

  /** Whether the policy has a check of its own for a program name (`git`, `npm`, ...). */
  private knownProgram(name: string): boolean {
    return !this.engine.program(name).fallback;
  }

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
            const denial = this.checks.nameDenial(
              '[[',
              word.glob ? { ...word, glob: false } : word,
              false,
              false,
            );
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
      const rewritten = worktreeProgramArgv(argv, this.directories, (name) => this.knownProgram(name));
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
      this.written.recordRedirections(redirectResult, false);
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
    if (redirectResult !== NO_REDIRECTIONS)
      this.written.noteInputFiles(redirectResult.inputFiles, first?.value);
    const executes = this.evaluateLayer(argv, node.end, 0, true, entry);
    this.stdin = saved;
    this.written.recordRedirections(redirectResult, executes);
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
    this.written.noteArguments(argv);
    const nameDenial = nameChecked ? undefined : checkCommandName(program);
    if (nameDenial?.ruleId === 'builtin:command-path') {
      const rewritten = worktreeProgramArgv(argv, this.directories, (name) => this.knownProgram(name));
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
    if (deny === undefined && entry.namesVariables) deny = this.checks.checkVariableArguments(argv);
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
    if (!deny && outcome.decision === 'allow' && executesFile && this.written.content) {
      decided = {
        ruleId: 'builtin:write-then-execute',
        reason: `\`${program.value}\` runs code from the worktree after this script wrote a file; write and run in separate, reviewed steps`,
      };
    }
    this.addVerdict(makeVerdict(values, text, decided));
    if (result.writesContent) this.written.content = true;
    const inertWrites = result.inertWrites;
    if (inertWrites) for (const path of inertWrites) this.written.addInert(path);
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
