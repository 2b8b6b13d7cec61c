import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLiveView } from './live-view.js';
import { createStyle } from './output-mode.js';
import { createCollector, testEvents } from './test-events.js';

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
