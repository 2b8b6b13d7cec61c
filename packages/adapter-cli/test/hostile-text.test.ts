import {
  assistantMessage,
  createScriptedModelServer,
  functionCall,
  type ScriptedModelServer,
} from '@codex-orchestrator/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, createBaseDir, tempDir } from './cli-harness.js';

// Hostile text from the task and the model goes through a real run to the terminal: every control
// sequence must be gone from stdout (the report) and stderr (the progress lines), the words kept.
const ESC = '\u001b';
const hostile = [
  `${ESC}[2J${ESC}[H`, // clear screen, cursor home
  `${ESC}]0;pwned window title\u0007`, // window title
  `${ESC}]8;;https://evil.example/${ESC}\\LINK-TEXT${ESC}]8;;${ESC}\\`, // OSC 8 link
  'NUL\u0000BYTE',
  'overwritten\rCR-TEXT',
  '\u009b2J\u009d0;c1 title\u009c', // 8-bit CSI and OSC
  '\u202eBIDI\u202c',
].join(' ');

/** True when `text` holds nothing a terminal would act on (line feeds and tabs are fine). */
function inert(text: string): boolean {
  return !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/.test(text);
}

describe('hostile text on the terminal', () => {
  let root: { path: string; remove: () => Promise<void> };
  let server: ScriptedModelServer;

  beforeAll(async () => {
    root = await tempDir('cli-hostile-');
    await createBaseDir(root.path);
  });
  afterEach(async () => {
    await server?.close();
  });
  afterAll(() => root.remove());

  const runWith = async (marker: string, extraArgs: string[]) => {
    server = await createScriptedModelServer();
    server.addScript({
      match: marker,
      turns: [
        [
          functionCall('update_plan', {
            steps: [{ title: `STEP ${hostile}`, status: 'pending', worktree: `task-x${ESC}[31m` }],
            note: `NOTE ${hostile}`,
          }),
          functionCall('run_repo_command', {
            worktree: 'main',
            command: `echo "${hostile.replace(/"/g, '')}"`,
          }),
        ],
        [assistantMessage(`SUMMARY ${hostile} END`)],
      ],
    });
    const env = { ORCHESTRATOR_BASE_DIR: root.path, OPENAI_BASE_URL: server.baseURL };
    return cli([...extraArgs, '--review', 'off', `${marker}: TASK ${hostile}`], { env });
  };

  it('strips every control sequence from the report and the progress lines, keeping the words', async () => {
    const result = await runWith('HOSTILE-PLAIN', []);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^# Orchestrator report: completed/);
    expect(inert(result.stdout), JSON.stringify(result.stdout)).toBe(true);
    expect(inert(result.stderr), JSON.stringify(result.stderr)).toBe(true);
    for (const word of ['SUMMARY', 'LINK-TEXT', 'NULBYTE', 'overwrittenCR-TEXT', 'BIDI', 'END']) {
      expect(result.stdout).toContain(word);
    }
    expect(result.stdout).not.toContain('pwned window title');
    expect(result.stdout).not.toContain('evil.example');
  });

  it('keeps --json lines valid JSON with the same text, every control escaped', async () => {
    const result = await runWith('HOSTILE-JSON', ['--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(inert(result.stdout)).toBe(true);
    expect(inert(result.stderr)).toBe(true);
    const events = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; summary?: string });
    const end = events.find((event) => event.type === 'run-end');
    expect(end?.summary).toBe(`SUMMARY ${hostile} END`);
  });
});
