import { CliError } from '../cli-error.js';
import { type ModelPlan, planModels } from '../model-plan.js';
import { checkGitIdentity, checkMainReady, probeEndpoint } from '../preflight-checks.js';
import { probeCodex } from '../probe-codex.js';
import type { CommandContext } from '../run-cli.js';
import type { RunSettings } from '../run-settings.js';

type Core = typeof import('@codex-orchestrator/core');

/**
 * Everything checked before the first model call of `orchestrator run` and `dispatch`: main clean
 * and on its default branch, a git identity, codex found and runnable, and both model endpoints
 * answering (a direct probe of the endpoint codex shares with the orchestrator, or one tiny real
 * codex request when codex keeps its own provider). Probes run in parallel; `--skip-preflight`
 * skips the network ones. Returns the model plan, whose lines the run prints first.
 */
export async function runPreflight(input: {
  context: CommandContext;
  core: Core;
  settings: RunSettings;
  main: string;
}): Promise<ModelPlan> {
  const { context, core, settings, main } = input;
  const env = context.io.env;
  await checkMainReady(main, env);
  await checkGitIdentity(main, env);
  const plan = planModels(settings);
  let binary: ReturnType<Core['resolveCodexBinary']>;
  try {
    binary = core.resolveCodexBinary(
      settings.codexPath === undefined ? {} : { codexPath: settings.codexPath },
    );
  } catch (error) {
    throw new CliError(
      `The Codex CLI was not found${settings.codexPath === undefined ? '' : ` at ${settings.codexPath}`}: install it with \`npm install -g @openai/codex\` (then check \`codex --version\`), or set "codexPath" in the config file.`,
      { code: 'codex-missing', cause: error },
    );
  }
  if (settings.skipPreflight || settings.dryRun) return plan;
  const orchestratorURL = settings.baseURL ?? 'https://api.openai.com/v1';
  const probes: Promise<void>[] = [
    probeEndpoint({
      who: 'orchestrator',
      baseURL: orchestratorURL,
      ...(settings.apiKey === undefined ? {} : { apiKey: settings.apiKey }),
    }),
    probeCodex({
      binary,
      env,
      codex: plan.codex,
      // A shared endpoint is probed directly; codex's own provider only answers through codex.
      realRequest: plan.codexBaseURL === undefined,
    }),
  ];
  if (plan.codexBaseURL !== undefined && plan.codexBaseURL !== orchestratorURL) {
    probes.push(
      probeEndpoint({
        who: 'codex',
        baseURL: plan.codexBaseURL,
        ...(settings.apiKey === undefined ? {} : { apiKey: settings.apiKey }),
      }),
    );
  }
  const results = await Promise.allSettled(probes);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return plan;
}
