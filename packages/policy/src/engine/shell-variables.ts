import type { VariableRead } from './evaluate-word.js';
import type { Denial } from './program-context.js';
import { isHarmlessRead } from './variables.js';

interface LocalVariable {
  /** Every value the variable can hold, or undefined when unknown. */
  values: string[] | undefined;
  /** The values are glob patterns (`for f in src/*.ts`): the variable holds matching file names. */
  glob: boolean;
}

/**
 * The variables one script assigns, with every value each may hold. Assignments may sit in branches
 * that do not run, so values accumulate and never get replaced.
 */
export class ShellVariables {
  /** Created on the first assignment: most scripts assign nothing. */
  private locals: Map<string, LocalVariable> | undefined;
  /** Names declared associative (`declare -A m`): their subscripts are strings, not arithmetic. */
  private associative: Set<string> | undefined;

  /** What reading `name` gives at this point of the script. */
  read(name: string): VariableRead {
    const local = this.locals?.get(name);
    if (local) return { kind: 'local', values: local.values, glob: local.glob };
    if (isHarmlessRead(name)) return { kind: 'harmless' };
    return { kind: 'environment' };
  }

  /** Records an assignment; `values` undefined means the value cannot be known. */
  assign(name: string, values: string[] | undefined, glob = false): void {
    this.locals ??= new Map();
    const existing = this.locals.get(name);
    if (!existing) {
      this.locals.set(name, { values, glob });
      return;
    }
    existing.values = existing.values && values ? [...new Set([...existing.values, ...values])] : undefined;
    existing.glob = existing.glob || glob;
  }

  /** True when `name` was assigned in this script. */
  has(name: string): boolean {
    return this.locals?.has(name) ?? false;
  }

  /** Records `declare -A name`. */
  markAssociative(name: string): void {
    this.associative ??= new Set();
    this.associative.add(name);
  }

  /** True when `name` was declared associative in this script (`${m[key]}` is not arithmetic). */
  isAssociative(name: string): boolean {
    return this.associative?.has(name) ?? false;
  }

  /**
   * Why an arithmetic context reading `name` is unsafe, or undefined. Bash evaluates a variable's
   * value as an expression again, so `x='a[$(cmd)]'; echo $((x))` runs `cmd`. `assigns`: the
   * context may assign the name (`(( i++ ))`), which makes an unknown name a number.
   */
  arithmeticDenial(name: string, assigns: boolean): Denial | undefined {
    const local = this.locals?.get(name);
    if (local) {
      if (local.values?.every((value) => /^\s*-?\d+\s*$/.test(value))) return undefined;
      return arithmeticInjection(
        `arithmetic reads \`${name}\`, whose value bash would evaluate as an expression (it can run commands); use a literal number`,
      );
    }
    const number = /^[0-9]+$/.test(name);
    if (assigns && !number && !UNSAFE_ARITHMETIC_SPECIALS.has(name)) {
      this.locals ??= new Map();
      this.locals.set(name, { values: ['0'], glob: false });
      return undefined;
    }
    if (number || UNSAFE_ARITHMETIC_SPECIALS.has(name)) {
      return arithmeticInjection(
        `arithmetic reads \`${name}\`, which holds text the script passed in (an argument, the last word of a command) that bash would evaluate as an expression (it can run commands); use a literal number or a variable the script set to one`,
      );
    }
    return isHarmlessRead(name) ? undefined : environmentRead([name]);
  }
}

/**
 * Harmless to print, but not numbers: positional parameters (`set -- 'a[$(cmd)]'`, the arguments
 * of `bash -c`), `$_` (the last argument of the previous command), `$-`, `$@`, `$*`.
 */
const UNSAFE_ARITHMETIC_SPECIALS = new Set(['@', '*', '_', '-', '0']);

/** Denial for text bash would evaluate as an arithmetic expression (it can run commands). */
export function arithmeticInjection(reason: string): Denial {
  return { ruleId: 'builtin:arithmetic-injection', reason };
}

/** Denial for expanding variables from the orchestrator's environment. */
export function environmentRead(names: readonly string[]): Denial {
  const unique = [...new Set(names)];
  return {
    ruleId: 'builtin:environment-read',
    reason: `reads ${unique.map((name) => `$${name}`).join(', ')} from the environment, which may hold secrets; only script-local variables and harmless ones ($?, $PWD, $HOME, ...) may be expanded`,
  };
}

/** Denial for assigning a variable that changes what programs load or run. */
export function dangerousVariable(name: string): Denial {
  return {
    ruleId: 'builtin:dangerous-variable',
    reason: `setting ${name} can change which programs run or what they load; it is not allowed (use a variable of your own for your values)`,
  };
}
