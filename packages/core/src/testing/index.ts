/**
 * @codex-orchestrator/core/testing: fakes for tests, ours and users'. They are real
 * implementations that run on loopback; none of them needs the internet or an API key.
 */

// --- scripted model server ---
export type { CodexHome, CodexHomeOptions } from './codex-home.js';
export { createCodexHome, scriptedCodexConfig } from './codex-home.js';
export type { ScriptedModelScript, ScriptedModelScriptHandle, ScriptMatcher } from './script-router.js';
export type { RecordedModelRequest, RecordedToolOutput } from './scripted-model-request.js';
export { defaultScriptedUsage } from './scripted-model-response.js';
export type {
  ScriptedModelServer,
  ScriptedModelServerOptions,
  ScriptedOpenAIClientOptions,
} from './scripted-model-server.js';
export { createScriptedModelServer, scriptedModelApiKey } from './scripted-model-server.js';
export type {
  ScriptedCustomToolCallItem,
  ScriptedFailure,
  ScriptedFunctionCallItem,
  ScriptedMessageItem,
  ScriptedOutputItem,
  ScriptedReply,
  ScriptedTurn,
  ScriptedTurnFunction,
  ScriptedUsage,
} from './scripted-model-turns.js';
export {
  addFilePatch,
  applyPatch,
  assistantMessage,
  dropMidStream,
  execCommand,
  failWithStatus,
  functionCall,
  hangWithoutHeaders,
  malformedEvent,
  reply,
  stallMidStream,
  truncateBody,
} from './scripted-model-turns.js';

// (end of scripted model server)

// --- orchestrator scenarios ---
export type { OrchestratorScenario, OrchestratorScenarioOptions } from './orchestrator-scenario.js';
export {
  codexExec,
  codexWrites,
  createOrchestratorScenario,
  finalSummary,
  isOrchestratorRequest,
  isReviewerRequest,
  orchestratorTurn,
  repoCommand,
  reviewVerdict,
  updatePlan,
  writeFilesCommand,
} from './orchestrator-scenario.js';

// --- store contract ---
export type { StoreContractCase, StoreContractFactory } from './store-contract.js';
export { storeContractCases } from './store-contract.js';
