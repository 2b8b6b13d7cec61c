/**
 * Test setup shared by the worker tests (not exported): a scripted model server, a CODEX_HOME
 * pointing at it, and a process probe to prove no codex process outlives a run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { type CodexHome, createCodexHome } from '../testing/codex-home.js';
import { createScriptedModelServer, type ScriptedModelServer } from '../testing/scripted-model-server.js';

/**
 * `/tmp` and `$TMPDIR` are writable roots of codex's workspace-write sandbox by default; the test
 * repositories live there, so they are excluded to make the sandbox as strict as for a real
 * repository under a home directory.
 */
export const strictSandboxConfig =
  '[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n';

/** A scripted model server and a CODEX_HOME (strict sandbox) pointing at it. */
export interface CodexTestSetup {
  server: ScriptedModelServer;
  home: CodexHome;
  close(): Promise<void>;
}

/** Starts the server and writes the CODEX_HOME; `close()` undoes both. */
export async function createCodexTestSetup(): Promise<CodexTestSetup> {
  const server = await createScriptedModelServer();
  const home = await createCodexHome(server, { extraConfig: strictSandboxConfig });
  return {
    server,
    home,
    close: async () => {
      await server.close();
      await home.remove();
    },
  };
}

/** Pids of live processes whose command line contains `text` (Linux /proc). */
export function processesMatching(text: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const state = readFileSync(`/proc/${name}/stat`, 'utf8');
      const zombie = state.slice(state.lastIndexOf(')') + 2).startsWith('Z');
      if (!zombie && commandLine.includes(text)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
