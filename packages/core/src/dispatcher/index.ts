/** The public part of `dispatcher/` (the task dispatcher, its built-in sources, sinks and stores, and their errors), re-exported by the package root. */
export type { ConsoleTaskSinkOptions } from './console-task-sink.js';
export { createConsoleTaskSink } from './console-task-sink.js';
export type {
  DispatcherConfigurationErrorCode,
  DispatcherStateErrorCode,
  TaskJournalErrorCode,
} from './dispatcher-errors.js';
export {
  DispatcherConfigurationError,
  DispatcherStateError,
  TaskJournalError,
  TaskSourceError,
} from './dispatcher-errors.js';
export type { DispatcherLogger } from './dispatcher-logger.js';
export { silentDispatcherLogger } from './dispatcher-logger.js';
export type {
  InterruptedTaskPolicy,
  SourceRetryOptions,
  TaskDispatcherOptions,
} from './dispatcher-options.js';
export type { EnvTaskSourceOptions } from './env-task-source.js';
export { createEnvTaskSource } from './env-task-source.js';
export type { FileTaskStoreOptions } from './file-task-store.js';
export { createFileTaskStore } from './file-task-store.js';
export type { InboxTaskSourceOptions } from './inbox-task-source.js';
export { createInboxTaskSource } from './inbox-task-source.js';
export { createJsonlTaskSink } from './jsonl-task-sink.js';
export type { MemoryTaskInput, MemoryTaskSource } from './memory-task-source.js';
export { createIterableTaskSource, createMemoryTaskSource } from './memory-task-source.js';
export type { TaskEndResult } from './sink-fanout.js';
export { createTaskDispatcher, TaskDispatcher } from './task-dispatcher.js';
export type { TaskInterruptAction, TaskJournalEntry, TaskJournalRecord } from './task-journal.js';
export type { TaskRunner, TaskRunnerOptions, TaskRunResult } from './task-runner.js';
export type { TaskStore } from './task-store.js';
export { createMemoryTaskStore } from './task-store.js';
