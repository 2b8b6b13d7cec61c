import { join, resolve } from 'node:path';
import { prepareDemoDirectory } from '../demo/demo-directory.js';
import { demoTask } from '../demo/demo-files.js';
import { addDemoScripts } from '../demo/demo-scripts.js';
import { createSampleProject } from '../demo/sample-project.js';
import { ExitCode } from '../exit-codes.js';
import { createStyle, detectOutputMode } from '../output/output-mode.js';
import type { CommandContext } from '../run-cli.js';
import { resolveRunSettings } from '../run-settings.js';
import { runOneTask } from './run-one-task.js';

/** Name the orchestrator model has in the demo: it is not a real model, and has no price. */
const demoModel = 'scripted-demo-model';

/**
 * `orchestrator demo`: the whole product, offline. Creates a sample Node project in
 * `<dir>/main`, starts a scripted model server on 127.0.0.1, writes a CODEX_HOME that points the
 * real codex binary at it, and runs a real `runOrchestrator` (real git, codex, Agents SDK over
 * HTTP) of a two-subtask task, with review and a smoke test, to a merged result.
 */
export async function demoCommand(context: CommandContext): Promise<number> {
  const { parsed, io } = context;
  const dir = resolve(io.cwd, parsed.flags.dir ?? '.orchestrator-demo');
  const style = createStyle(detectOutputMode(io.stderr, io.env).color);
  const say = (text: string) => io.stderr.write(`${text}\n`);

  await prepareDemoDirectory(dir);
  const main = await createSampleProject(dir);
  const { createCodexHome, createScriptedModelServer, scriptedModelApiKey } = await import(
    '@codex-orchestrator/core/testing'
  );
  const server = await createScriptedModelServer();
  try {
    addDemoScripts(server);
    const codexHome = await createCodexHome(server, { directory: join(dir, '.codex-home') });
    say(style.bold('orchestrator demo: offline, with a SCRIPTED model.'));
    say(
      `The model answers come from a local fake OpenAI server (${server.baseURL}) playing pre-written turns: nothing is sent to any API and no key is needed. Everything else is real: git worktrees and merges, the codex binary (writing files with apply_patch and committing), the Agents SDK, the policy, review and smoke tests.`,
    );
    say(`Sample project: ${main} (a tiny Node package; npm test runs node --test)`);
    say(`Task: ${demoTask}\n`);

    const settings = {
      ...resolveRunSettings({ flags: parsed.flags, config: {}, env: {}, cwd: io.cwd }),
      baseDir: dir,
      model: demoModel,
      apiKey: scriptedModelApiKey,
      baseURL: server.baseURL,
      review: 'agent' as const,
      smokeTest: 'npm test',
      maxParallel: parsed.flags.maxParallel ?? 2,
      // The demo's CODEX_HOME already points codex at the scripted model.
      codex: { ownConfig: true },
    };
    const { outcome, sandboxFailure } = await runOneTask(context, {
      task: demoTask,
      settings,
      baseDir: dir,
      title: 'demo: add slugify and capitalize',
      extras: {
        codex: { codexHome: codexHome.path, env: codexHome.env, model: codexHome.model },
        auditLogPath: join(dir, 'run_repo_command.log'),
      },
    });

    if (sandboxFailure) {
      say(
        style.yellow(
          "codex's workspace-write sandbox does not work on this machine (common in containers without user namespaces); see the codex sandbox notes in the README.",
        ),
      );
    }
    say('');
    say(
      `${outcome === 'completed' ? style.green('Demo completed.') : style.red(`Demo ended: ${outcome}.`)} The model was scripted; the repository is real:`,
    );
    say(`  git -C ${main} log --graph --oneline --all`);
    say(`  ls ${dir}            (main/ and one worktree per subtask)`);
    say(`  cat ${join(dir, 'run_repo_command.log')}   (every command, with the policy's decision)`);
    return outcome === 'completed' ? ExitCode.success : ExitCode.taskFailed;
  } finally {
    await server.close();
  }
}
