/** The text of `orchestrator --help`. Kept free of imports so `--help` starts fast. */
export const helpText = `orchestrator: hand a big coding task to an orchestrator agent that plans it, runs the
Codex CLI in one git worktree per subtask, tests, reviews and merges locally. It never pushes.

Usage
  orchestrator "<task>" [options]         run one task in the project under --base-dir
  orchestrator --task-file FILE           ... with the task read from a file
  echo "<task>" | orchestrator -          ... or from stdin
  orchestrator dispatch [options]         run every task of DISPATCH_TASKS (or --inbox DIR), then exit
  orchestrator demo [--dir DIR]           offline demo: sample project, scripted model, real git and codex
                                          (in DIR, default ./.orchestrator-demo)
  orchestrator worktrees list|prune       show the worktrees under the base dir / prune stale ones
  orchestrator policy check -- <command>  check a command against the policy: exit 0 allowed, 1 denied
                                          (orchestrator policy --help for its options)

Options
  -C, --base-dir DIR       folder holding the worktrees; DIR/main is your project on main
                           (default: ORCHESTRATOR_BASE_DIR)
  -f, --task-file FILE     read the task from FILE
  -m, --model NAME         model of the orchestrator agent
      --base-url URL       OpenAI-compatible Responses endpoint (default: OPENAI_BASE_URL)
  -p, --max-parallel N     at most N codex runs at a time
      --review MODE        off | agent | codex: who reviews a branch before it merges
      --budget-tokens N    stop starting codex runs after N tokens
      --budget-usd X       stop starting codex runs after an estimated X US dollars
      --smoke-test CMD     command run in main after each merge (e.g. "npm test")
      --approve            ask on the terminal before each merge (y/n)
      --dry-run            check and log commands without running them (ORCHESTRATOR_DRY_RUN=1)
      --trace              one line per command on stderr (ORCHESTRATOR_TRACE=1)
      --json               JSON Lines events on stdout, nothing else there; messages go to stderr
  -c, --config FILE        JSON config file; flags override it, it overrides env vars
  -h, --help               this help
  -v, --version            the version

Dispatch options
      --inbox DIR          take tasks from DIR, one .md or .txt file each; runs until Ctrl-C
      --store FILE         journal of task states (default: BASE_DIR/.orchestrator/dispatch-journal.jsonl)
      --concurrency N      tasks run at the same time (default 1)

Environment
  OPENAI_API_KEY           API key for the orchestrator model (not needed with --base-url)
  OPENAI_BASE_URL          OpenAI-compatible endpoint
  ORCHESTRATOR_BASE_DIR    default --base-dir
  ORCHESTRATOR_TRACE=1     as --trace
  ORCHESTRATOR_DRY_RUN=1   as --dry-run
  DISPATCH_TASKS           tasks for \`orchestrator dispatch\`: one per line, or blocks separated by lines of ---
  NO_COLOR, CI             no colors / plain lines instead of the live view

Exit codes
  0 task completed    1 task failed, was cancelled or stopped on its budget (dispatch: any task)
  2 usage, config or environment error (the message says how to fix it)   130 interrupted (Ctrl-C)

Every command the agent runs is checked by the policy and logged to BASE_DIR/run_repo_command.log.

Example
  orchestrator demo
  ORCHESTRATOR_BASE_DIR=~/work/shop orchestrator "add a users search endpoint with tests"
`;
