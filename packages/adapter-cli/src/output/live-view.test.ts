import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLiveView } from './live-view.js';
import { createStyle } from './output-mode.js';
import { columnsOf } from './terminal-text.js';
import { createCollector, testEvents } from './test-events.js';
import { createVirtualTerminal } from './virtual-terminal.fixture.js';

describe('createLiveView', () => {
  it('redraws the board in place, batching bursts of events', async () => {
    const stream = createCollector({ isTTY: true, columns: 90 });
    const view = createLiveView({ stream, style: createStyle(false), title: 'add utils', throttleMs: 60 });
    view.event(testEvents.worktreeCreate('task-slugify'));
    for (let index = 0; index < 50; index++)
      view.event(testEvents.workerCommandStart('task-slugify', `step ${index}`));
    await sleep(150);
    const headers = stream.text.split('orchestrator add utils').length - 1;
    expect(headers).toBeGreaterThanOrEqual(1);
    expect(headers).toBeLessThanOrEqual(3);
    view.event(testEvents.workerUsage('task-slugify', 1500));
    view.close();
    // The board moved the cursor up over itself before each redraw, and ends on the last state.
    expect(stream.text).toContain('\u001b[2A\r\u001b[J');
    const lastBoard = stream.text.slice(stream.text.lastIndexOf('orchestrator add utils'));
    expect(lastBoard).toContain('task-slugify');
    expect(lastBoard).toContain('1.5k');
    expect(lastBoard).toContain('codex $ step 49');
  });

  it('prints notable events above the board and never wider than the terminal', () => {
    const stream = createCollector({ isTTY: true, columns: 60 });
    const view = createLiveView({ stream, style: createStyle(false), title: 'x'.repeat(200) });
    view.event(testEvents.commandDenied('main', 'git push origin main', 'pushing is forbidden'));
    view.event(testEvents.workerStart('task-a', 'y'.repeat(500)));
    view.close();
    expect(stream.text).toContain('denied: git push origin main (pushing is forbidden)');
    const lastBoard = stream.text.slice(stream.text.lastIndexOf('orchestrator'));
    for (const line of lastBoard.split('\n')) expect(line.length).toBeLessThanOrEqual(59);
  });
});

describe('createLiveView with hostile text', () => {
  it('lets no control sequence from a task, codex, a plan or a note through: only its own redraws', () => {
    const ESC = '\u001b';
    const hostile = `${ESC}[2J${ESC}]0;title\u0007${ESC}]8;;https://evil.example/${ESC}\\link${ESC}]8;;${ESC}\\ nul\u0000 cr\rX \u009b2J \u202eBIDI`;
    const stream = createCollector({ isTTY: true, columns: 200 });
    const view = createLiveView({
      stream,
      style: createStyle(false),
      title: `task ${hostile}`,
      throttleMs: 0,
    });
    view.event(testEvents.worktreeCreate(`task-a${ESC}[31m`));
    view.event(testEvents.workerStart('task-a', `prompt ${hostile}`));
    view.event(testEvents.workerCommandStart('task-a', `echo ${hostile}`));
    view.event(testEvents.commandDenied('main', `git push ${hostile}`, `reason ${hostile}`));
    view.note(`note ${hostile}\nsecond line`);
    view.close();
    // The view's own sequences (no colours here): cursor up, carriage return, erase down.
    const own = stream.text.replace(/\u001b\[\d+A\r\u001b\[J/g, '');
    expect(own).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(own).toContain('note');
    expect(own).toContain('link');
    expect(own).not.toContain('evil.example');
  });
});

describe('createLiveView on a real terminal width', () => {
  const at = (iso: string) => () => Date.parse(iso);

  it('keeps a Chinese task within 80 columns and leaves no stale lines after redraws', () => {
    const terminal = createVirtualTerminal(80);
    const title =
      '给项目添加一个命令行界面，支持中文输出和多种配置文件格式，并且编写完整的测试用例以及文档说明';
    const view = createLiveView({
      stream: terminal,
      style: createStyle(false),
      title,
      throttleMs: 0,
      now: at('2026-01-01T10:00:10.000Z'),
    });
    view.event(testEvents.worktreeCreate('task-中文-界面'));
    view.note('a note above the board');
    view.event(testEvents.workerStart('task-中文-界面', '实现命令行界面'.repeat(20)));
    view.event(testEvents.commandDenied('task-中文-界面', 'git push', '禁止推送'.repeat(30)));
    view.event(testEvents.workerCommandStart('task-中文-界面', `echo ${'很长的命令'.repeat(40)}`));
    view.close();
    const lines = terminal.lines();
    // One board on screen: every earlier one was erased (a wrapped line would have stayed).
    expect(lines.filter((line) => line.startsWith('orchestrator ')).length).toBe(1);
    const header = lines.find((line) => line.startsWith('orchestrator ')) as string;
    const board = lines.slice(lines.indexOf(header));
    expect(board).toHaveLength(2);
    for (const line of board) expect(columnsOf(line)).toBeLessThanOrEqual(79);
    expect(header).toContain('给项目');
    expect(lines.at(-1)).toContain('codex $ echo 很长的命令');
    expect(lines.at(-2)).toBe(header);
  });

  it('shows a codex run waiting for a slot as queued and a cancelled one as cancelled', () => {
    const terminal = createVirtualTerminal(100);
    const view = createLiveView({ stream: terminal, style: createStyle(false), title: 't', throttleMs: 0 });
    view.event(testEvents.worktreeCreate('task-a'));
    view.event(testEvents.commandStart('task-a', 'codex exec -C task-a "Add a"'));
    view.close();
    expect(terminal.lines().find((line) => line.includes('task-a'))).toMatch(/○ task-a\s+queued /);

    const second = createVirtualTerminal(100);
    const cancelled = createLiveView({
      stream: second,
      style: createStyle(false),
      title: 't',
      throttleMs: 0,
    });
    cancelled.event(testEvents.workerStart('task-a', 'Add a'));
    cancelled.event(testEvents.workerEnd('task-a', 'cancelled'));
    cancelled.close();
    const row = second.lines().find((line) => line.startsWith('  ■ task-a '));
    expect(row).toMatch(/task-a\s+cancelled /);
    expect(row).not.toContain('failed');
  });

  it('says for how long a command has been running', () => {
    const terminal = createVirtualTerminal(100);
    const view = createLiveView({
      stream: terminal,
      style: createStyle(false),
      title: 't',
      throttleMs: 0,
      // The command started at 10:00:02 (see testEvents); the clock reads 65 s later.
      now: at('2026-01-01T10:01:07.000Z'),
    });
    view.event(testEvents.workerCommandStart('task-a', 'npm ci'));
    view.close();
    expect(terminal.lines().find((line) => line.includes('task-a'))).toContain('codex $ npm ci · 1m05s');
  });
});
