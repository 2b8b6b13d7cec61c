import type { CodexOptions } from '@codex-orchestrator/core';
import type { RunSettings } from './run-settings.js';

/** The orchestrator's default model (core's default). */
export const defaultOrchestratorModel = 'gpt-5';

/** Name of the variable that carries the API key to codex for the shared provider. */
export const codexApiKeyVariable = 'ORCHESTRATOR_CODEX_API_KEY';

/** How the orchestrator and codex reach their models, and the words the run prints about it. */
export interface ModelPlan {
  /** Options for codex (`configOverrides`, `model`, `env`); empty when codex keeps its own config. */
  codex: Pick<CodexOptions, 'configOverrides' | 'model' | 'env'>;
  /** `orchestrator: gpt-5 at https://...` */
  orchestratorLine: string;
  /** `codex: gpt-5 at https://... (same endpoint as the orchestrator)` */
  codexLine: string;
  /** The endpoint codex uses, when it is one we configured (for the preflight probe). */
  codexBaseURL?: string;
  codexModel?: string;
}

/**
 * ONE model configuration for both: when the user sets a base URL or a model for the
 * orchestrator, codex gets the same provider (a custom `model_providers.orchestrator` entry) and
 * model, unless codex is configured apart (`codex.baseURL`/`codex.model` in the config file,
 * `--codex-model`) or told to keep its own config (`codex.ownConfig`). Codex's retries are
 * bounded (no endless "Reconnecting..."), so an unreachable model fails the run in seconds.
 */
export function planModels(settings: RunSettings): ModelPlan {
  const orchestratorURL = settings.baseURL ?? 'https://api.openai.com/v1';
  const orchestratorModel = settings.model ?? defaultOrchestratorModel;
  const orchestratorLine = `orchestrator: model ${orchestratorModel} at ${orchestratorURL}${settings.baseURL === undefined ? ' (OpenAI)' : ''}`;
  const bounded = {
    'features.unbounded_connection_retries': false,
  };
  if (settings.codex.ownConfig) {
    return {
      // Its own provider and model; only the endless connection retries are turned off.
      codex: { configOverrides: bounded },
      orchestratorLine,
      codexLine:
        'codex: its own configuration (CODEX_HOME, else ~/.codex/config.toml), as set in the config file',
    };
  }
  const baseURL = settings.codex.baseURL ?? settings.baseURL;
  const model = settings.codex.model ?? settings.model;
  if (baseURL === undefined) {
    return {
      codex: { configOverrides: bounded, ...(model === undefined ? {} : { model }) },
      orchestratorLine,
      codexLine: `codex: ${model === undefined ? 'the model of its own config' : `model ${model}`} through its own login or OPENAI_API_KEY (codex's default provider)`,
      ...(model === undefined ? {} : { codexModel: model }),
    };
  }
  const provider: Record<string, string | number> = {
    name: 'orchestrator',
    base_url: baseURL,
    wire_api: 'responses',
    request_max_retries: 2,
    stream_max_retries: 2,
    stream_idle_timeout_ms: 60_000,
  };
  if (settings.apiKey !== undefined) provider.env_key = codexApiKeyVariable;
  const same =
    settings.codex.baseURL === undefined
      ? " (the orchestrator's endpoint)"
      : ' (set apart in the config file)';
  return {
    codex: {
      configOverrides: {
        ...bounded,
        model_provider: 'orchestrator',
        'model_providers.orchestrator': provider,
      },
      ...(model === undefined ? {} : { model }),
      ...(settings.apiKey === undefined ? {} : { env: { [codexApiKeyVariable]: settings.apiKey } }),
    },
    orchestratorLine,
    codexLine: `codex: ${model === undefined ? 'the model of its own config' : `model ${model}`} at ${baseURL}${same}`,
    codexBaseURL: baseURL,
    ...(model === undefined ? {} : { codexModel: model }),
  };
}
