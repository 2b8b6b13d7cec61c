import type { OrchestratorEvent } from '@codex-orchestrator/core';

/** Draws a run's events for a person: the live view or plain lines. */
export interface EventRenderer {
  /** Feeds one event of the run. */
  event(event: OrchestratorEvent): void;
  /** Prints a message of the CLI itself (a notice, a hint). */
  note(text: string, level?: 'info' | 'success' | 'warning' | 'error'): void;
  /** Stops redrawing and erases the live board while someone types (a merge approval prompt). */
  pause(): void;
  /** Redraws after `pause`. */
  resume(): void;
  /** Draws the last state and stops; the final report is printed after this. */
  close(): void;
}
