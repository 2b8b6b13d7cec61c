/**
 * Routing: which project a task runs in. An explicit choice wins (`shop: add search`, a source's
 * metadata); one project needs no choice; otherwise a classifier (the model, once) proposes one
 * with a confidence, and anything short of a confident match asks back instead of guessing.
 */
import { errorMessage } from '../shared/error-message.js';

/** A project as the router sees it. */
export interface RoutableProject {
  name: string;
  description: string;
}

/** A classifier's proposal: a project name from the list (or null), how sure, and why. */
export interface ProjectProposal {
  project: string | null;
  confidence: number;
  reason: string;
}

/** Proposes a project for a task (`createModelProjectClassifier` asks the model). */
export type ProjectClassifier = (input: {
  text: string;
  projects: readonly RoutableProject[];
  signal?: AbortSignal;
}) => Promise<ProjectProposal>;

/** Where a task goes, or the question to ask its sender. */
export type RouteDecision =
  | {
      kind: 'routed';
      project: string;
      how: 'explicit' | 'only-project' | 'model';
      /** The task text, without an explicit `project:` prefix. */
      text: string;
      confidence?: number;
      reason?: string;
    }
  | {
      kind: 'ask';
      /** A question for the sender, e.g. "Which project: shop or billing?" */
      question: string;
      /** The likely projects first. */
      candidates: string[];
      text: string;
      reason: string;
    };

/**
 * Splits an explicit project prefix off a task text: `shop: add search` (or `shop — add search`)
 * names `shop` when `shop` is a project. Case-insensitive; anything else is plain task text.
 */
export function parseExplicitProject(
  text: string,
  projectNames: readonly string[],
): { project?: string; text: string } {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9-]{0,39})\s*(?::|—|–)\s*([\s\S]+)$/.exec(text);
  if (!match?.[1] || !match[2]) return { text: text.trim() };
  const named = match[1].toLowerCase();
  const project = projectNames.find((name) => name.toLowerCase() === named);
  return project ? { project, text: match[2].trim() } : { text: text.trim() };
}

/** The question asked when the router cannot choose. */
export function whichProjectQuestion(candidates: readonly string[]): string {
  const names = candidates.slice(0, 5);
  const list = names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return `Which project: ${list}? Answer with the project name, or send the task again as "<project>: <task>".`;
}

/**
 * Decides the project of a task.
 *
 * @example
 * const decision = await routeTask({ text: 'shop: add search', projects, classifier });
 * // { kind: 'routed', project: 'shop', how: 'explicit', text: 'add search' }
 */
export async function routeTask(input: {
  text: string;
  projects: readonly RoutableProject[];
  /** A project named by the source itself (tracker mapping, inbox field, Telegram reply). */
  project?: string;
  classifier?: ProjectClassifier;
  /** Below this the router asks back (default 0.6). */
  minConfidence?: number;
  signal?: AbortSignal;
}): Promise<RouteDecision> {
  const names = input.projects.map((project) => project.name);
  if (names.length === 0) throw new TypeError('routeTask needs at least one project');
  const explicit = parseExplicitProject(input.text, names);
  const named = input.project ?? explicit.project;
  if (named !== undefined) {
    if (names.includes(named))
      return { kind: 'routed', project: named, how: 'explicit', text: explicit.text };
    return {
      kind: 'ask',
      question: `There is no project "${named}". ${whichProjectQuestion(names)}`,
      candidates: names,
      text: explicit.text,
      reason: `the task named an unknown project "${named}"`,
    };
  }
  if (names.length === 1)
    return { kind: 'routed', project: names[0] as string, how: 'only-project', text: explicit.text };
  if (!input.classifier)
    return {
      kind: 'ask',
      question: whichProjectQuestion(names),
      candidates: names,
      text: explicit.text,
      reason: 'no project was named and no classifier is configured',
    };
  let proposal: ProjectProposal;
  try {
    proposal = await input.classifier({
      text: explicit.text,
      projects: input.projects,
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } catch (error) {
    if (input.signal?.aborted) throw error;
    return {
      kind: 'ask',
      question: whichProjectQuestion(names),
      candidates: names,
      text: explicit.text,
      reason: `the routing model failed (${errorMessage(error)})`,
    };
  }
  const minConfidence = input.minConfidence ?? 0.6;
  const known = proposal.project !== null && names.includes(proposal.project);
  const confidence = Number.isFinite(proposal.confidence) ? Math.min(1, Math.max(0, proposal.confidence)) : 0;
  if (known && confidence >= minConfidence)
    return {
      kind: 'routed',
      project: proposal.project as string,
      how: 'model',
      text: explicit.text,
      confidence,
      reason: proposal.reason,
    };
  const candidates = known
    ? [proposal.project as string, ...names.filter((name) => name !== proposal.project)]
    : names;
  return {
    kind: 'ask',
    question: whichProjectQuestion(candidates),
    candidates,
    text: explicit.text,
    reason: known
      ? `the model proposed "${proposal.project}" with confidence ${confidence.toFixed(2)} (below ${minConfidence})`
      : proposal.project === null
        ? 'the model found no matching project'
        : `the model proposed a project that does not exist ("${String(proposal.project).slice(0, 40)}")`,
  };
}
