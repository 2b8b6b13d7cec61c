import type { CommandVerdict } from '../types.js';
import type { RuleOutcome } from './engine.js';
import type { Denial } from './program-context.js';

/** A verdict from a rule outcome (allow or deny) or a built-in denial (always deny). */
export function makeVerdict(argv: string[], text: string, outcome: RuleOutcome | Denial): CommandVerdict {
  const decision = 'decision' in outcome ? outcome.decision : 'deny';
  if (outcome.ruleId === undefined) return { argv, text, decision, reason: outcome.reason };
  return { argv, text, decision, ruleId: outcome.ruleId, reason: outcome.reason };
}
