/** The run-state reducer: the one fold of the event stream that every view of a run formats. */
export { reduceRunState } from './reduce-run-state.js';
export type {
  ApprovalRecord,
  BranchState,
  CommandRecord,
  ReviewRecord,
  RunActivity,
  RunMergeRecord,
  RunningCommand,
  RunState,
  RunStatus,
  RunUsage,
  SubtaskPhase,
  SubtaskState,
  TestRecord,
  WorkerRunState,
  WorktreeRecord,
} from './run-state.js';
export { createRunState, runStateTokens } from './run-state.js';
