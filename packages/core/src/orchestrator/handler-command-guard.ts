/**
 * Keeps commands that have an in-process handler (codex exec, git merge in main, git worktree
 * add/remove) from bypassing it. run_repo_command hands a command to a handler only when the
 * script is one simple command; inside `a && b` it would run through bash instead, skipping the
 * merge queue's checks or the codex concurrency cap and budget. This policy wrapper refuses such
 * scripts with a reason the model can act on.
 */
import { join } from 'node:path';
import type { Policy, PolicyDecision } from '@codex-orchestrator/policy';
import type { CommandHandler } from '../types.js';

/** Wraps `policy`: a script of several commands in which a handler would take one is denied. */
export function guardHandlerCommands(
  policy: Policy,
  handlers: readonly CommandHandler[],
  baseDir: string,
): Policy {
  return {
    evaluate(command, context): PolicyDecision {
      const decision = policy.evaluate(command, context);
      if (decision.decision !== 'allow' || decision.commands.length < 2) return decision;
      for (const found of decision.commands) {
        const handler = handlers.find((candidate) => {
          try {
            return candidate.matches({
              worktree: context.worktree,
              cwd: join(baseDir, context.worktree),
              argv: found.argv,
              command: found.text,
              context: { baseDir },
            });
          } catch {
            return false;
          }
        });
        if (handler) {
          return {
            ...decision,
            decision: 'deny',
            ruleId: 'orchestrator.handler-command-alone',
            reason:
              `\`${found.text}\` must be sent as a run_repo_command call of its own, not combined with other ` +
              `commands (&&, ;, |, $(...)), so that the ${handler.name} handler runs it. Send it alone.`,
          };
        }
      }
      return decision;
    },
  };
}
