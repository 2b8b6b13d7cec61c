/**
 * Orchestration overhead for scenario 1 (two parallel subtasks, agent review, smoke test): total
 * wall time minus time in model calls (orchestrator and reviewer) and in codex runs (overlapping
 * runs counted once). The rest is the orchestrator's own work: git, the merge queue, tests, I/O.
 */
import { median } from './measure.js';
import { runSubtasks, unionMs, workerIntervals } from './orchestrator-bench-scenarios.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const rows: Array<{
  wall: number;
  model: number;
  codex: number;
  commands: number;
  setup: number;
  guard: number;
  overhead: number;
}> = [];
const timeOf = (events: { type: string; time: string }[], type: string, last = false) => {
  const found = last
    ? events.findLast((event) => event.type === type)
    : events.find((event) => event.type === type);
  return found ? Date.parse(found.time) : Number.NaN;
};
for (let round = 0; round < rounds; round++) {
  const { wallMs, events } = await runSubtasks({
    subtasks: 2,
    maxParallel: 2,
    review: true,
    smokeTest: 'sh test.sh',
  });
  const model = events.reduce(
    (total, event) => total + (event.type === 'model-call-end' ? event.durationMs : 0),
    0,
  );
  const codex = unionMs(workerIntervals(events));
  const commands = events.reduce(
    (total, event) =>
      total + (event.type === 'command-end' && !event.command.startsWith('codex ') ? event.durationMs : 0),
    0,
  );
  const setup = timeOf(events, 'model-call-start') - timeOf(events, 'run-start');
  const guard = timeOf(events, 'run-end') - timeOf(events, 'model-call-end', true);
  rows.push({ wall: wallMs, model, codex, commands, setup, guard, overhead: wallMs - model - codex });
}
const pick = (key: keyof (typeof rows)[number]) => median(rows.map((row) => row[key]));
console.log('orchestration overhead, scenario 1 (2 subtasks, review agent, smoke test), medians:');
console.log(`  total wall          ${pick('wall').toFixed(0).padStart(6)} ms`);
console.log(
  `  model calls         ${pick('model').toFixed(0).padStart(6)} ms (scripted server, answers at once)`,
);
console.log(`  codex runs (union)  ${pick('codex').toFixed(0).padStart(6)} ms`);
console.log(
  `  overhead            ${pick('overhead').toFixed(0).padStart(6)} ms (${((100 * pick('overhead')) / pick('wall')).toFixed(0)}% of wall)`,
);
console.log(
  `    start-up before the first model call: ${pick('setup').toFixed(0)} ms; end-of-run check of main: ${pick('guard').toFixed(0)} ms`,
);
console.log(
  `    non-codex commands (git, tests, merges incl. review and smoke test): ${pick('commands').toFixed(0)} ms`,
);
