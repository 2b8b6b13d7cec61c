/** The text after the generated options of `orchestrator --help`. Kept free of imports. */
export const helpFooter = `
Environment:
  OPENAI_API_KEY           API key for the orchestrator model and codex (not needed with --base-url)
  OPENAI_BASE_URL          OpenAI-compatible endpoint (the orchestrator and, unless configured apart, codex)
  ORCHESTRATOR_BASE_DIR    default --base-dir
  ORCHESTRATOR_TRACE=1     as --trace
  ORCHESTRATOR_DRY_RUN=1   as --dry-run
  DISPATCH_TASKS           tasks for \`orchestrator dispatch\`: one per line, or blocks separated by lines of ---
  NO_COLOR, CI             no colors / plain lines instead of the live view

Exit codes:
  0 completed: every task branch merged into main
  3 partly merged: some task branches are not in main    4 nothing merged: no task branch reached main
  1 failed, cancelled or stopped on its budget (dispatch: any task that did not complete)
  2 usage, config or environment error (the message says how to fix it)
  130 interrupted (Ctrl-C)    143 terminated (SIGTERM)

The report's first line names the outcome. Before the first model call the run checks main (clean, on its branch), the git identity, codex and
both model endpoints; each failure is one line with the fix. Every command the agent runs is checked
by the policy and logged to BASE_DIR/run_repo_command.log.

Examples:
  orchestrator demo
  ORCHESTRATOR_BASE_DIR=~/work/shop orchestrator "add a users search endpoint with tests"
  orchestrator run --task-file task.md --policy policy.json --setup "npm run build"
  orchestrator worktrees list
`;
