/**
 * @codex-orchestrator/adapter-cli: the `orchestrator` command line, also usable in-process.
 *
 * Commonly used: `runCli`, `ExitCode`, `CliError`, `CliIo`. The rest are building blocks for
 * other front ends: argument parsing, the config file schema, settings resolution, and the live
 * view / plain renderers of the event stream.
 */

export type { CliErrorCode } from './cli-error.js';
export { CliError } from './cli-error.js';
export type { CliInput, CliIo, CliOutput } from './cli-io.js';
export type { ConfigFile } from './config-file.js';
export { configFileSchema, loadConfigFile } from './config-file.js';
export type { ExitCodeValue } from './exit-codes.js';
export { ExitCode, exitCodeOfOutcome } from './exit-codes.js';
export type { EventRenderer } from './output/event-renderer.js';
export type { LiveViewOptions } from './output/live-view.js';
export { createLiveView } from './output/live-view.js';
export type { OutputMode, Style } from './output/output-mode.js';
export { createStyle, detectOutputMode } from './output/output-mode.js';
export { createPlainRenderer } from './output/plain-renderer.js';
export type { SubtaskBoard, SubtaskPhase, SubtaskRow } from './output/subtask-board.js';
export { createSubtaskBoard } from './output/subtask-board.js';
export type { CliCommand, CliFlags, ParsedArguments } from './parse-arguments.js';
export { parseArguments } from './parse-arguments.js';
export { runCli } from './run-cli.js';
export type { RunSettings } from './run-settings.js';
export { resolveRunSettings } from './run-settings.js';
