import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '@codex-orchestrator/core/building-blocks';
import { CliError } from './cli-error.js';

/**
 * Checks that `baseDir` is the folder holding the worktrees, with the project checked out in
 * `baseDir/main`. Each failure is one line naming the path and the fix.
 * Returns the absolute path of the main worktree.
 */
export async function checkBaseDir(baseDir: string | undefined): Promise<string> {
  if (baseDir === undefined) {
    throw new CliError(
      'No base dir: pass --base-dir DIR or set ORCHESTRATOR_BASE_DIR to the folder that holds your project checked out as DIR/main (run `orchestrator demo` to see the layout).',
      { code: 'base-dir-missing' },
    );
  }
  const baseStat = await stat(baseDir).catch(() => undefined);
  if (baseStat === undefined) {
    throw new CliError(
      `Base dir ${baseDir} does not exist: create it and clone your project into it (git clone <url> ${join(baseDir, 'main')}), or fix --base-dir / ORCHESTRATOR_BASE_DIR.`,
      { code: 'base-dir-missing' },
    );
  }
  if (!baseStat.isDirectory()) {
    throw new CliError(
      `Base dir ${baseDir} is a file, not a folder: point --base-dir at the folder that holds main/.`,
      {
        code: 'base-dir-invalid',
      },
    );
  }
  const main = join(baseDir, 'main');
  const mainStat = await stat(main).catch(() => undefined);
  if (mainStat === undefined || !mainStat.isDirectory()) {
    const baseIsRepository = (await gitTopLevel(baseDir)) === (await realpath(baseDir));
    throw new CliError(
      baseIsRepository
        ? `Base dir ${baseDir} is itself a git repository with no main/ folder: the base dir is the folder that holds the worktrees; move the project to ${main} or point --base-dir at its parent folder with the checkout in main/.`
        : `Base dir ${baseDir} has no main/ worktree: clone your project there (git clone <url> ${main}).`,
      { code: 'base-dir-invalid' },
    );
  }
  const topLevel = await gitTopLevel(main);
  if (topLevel === undefined) {
    throw new CliError(
      `${main} is not a git repository: the main worktree must be a checkout of your project (git clone <url> ${main}).`,
      { code: 'base-dir-invalid' },
    );
  }
  if (topLevel !== (await realpath(main))) {
    throw new CliError(
      `${main} is not the top of a git repository (its repository is ${topLevel}): clone your project into ${main}.`,
      { code: 'base-dir-invalid' },
    );
  }
  return main;
}

/** Fails when neither an API key nor a custom endpoint is configured. */
export function checkModelAccess(settings: { apiKey?: string; baseURL?: string }): void {
  if (settings.apiKey === undefined && settings.baseURL === undefined) {
    throw new CliError(
      'OPENAI_API_KEY is not set: export OPENAI_API_KEY=sk-... (or pass --base-url URL for an OpenAI-compatible endpoint); `orchestrator demo` runs offline without one.',
      { code: 'api-key-missing' },
    );
  }
}

/** The real path of the top of the git work tree containing `directory`, or undefined. */
async function gitTopLevel(directory: string): Promise<string | undefined> {
  let result: Awaited<ReturnType<typeof runGit>>;
  try {
    result = await runGit(['rev-parse', '--show-toplevel'], { cwd: directory });
  } catch {
    throw new CliError(
      'git is not installed or not on PATH: install git (e.g. apt-get install git) and retry.',
      {
        code: 'git-missing',
      },
    );
  }
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
