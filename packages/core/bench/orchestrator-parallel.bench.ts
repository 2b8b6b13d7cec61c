/**
 * Parallel speed-up: 4 independent subtasks whose codex turn takes a fixed 3 s (scripted model
 * delay) against one such subtask, maxParallel 4. Target: wall(4) <= 1.3 x wall(1).
 */
import { median } from './measure.js';
import { runSubtasks } from './orchestrator-bench-scenarios.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const single: number[] = [];
const four: number[] = [];
for (let round = 0; round < rounds; round++) {
  single.push((await runSubtasks({ subtasks: 1, codexDelayMs: 3000, maxParallel: 4 })).wallMs);
  four.push((await runSubtasks({ subtasks: 4, codexDelayMs: 3000, maxParallel: 4 })).wallMs);
}
const ratio = median(four) / median(single);
console.log('parallel speed-up: codex turn fixed at 3 s, maxParallel 4');
console.log(
  `  1 subtask   median ${median(single).toFixed(0).padStart(6)} ms  (${single.map((value) => value.toFixed(0)).join(', ')})`,
);
console.log(
  `  4 subtasks  median ${median(four).toFixed(0).padStart(6)} ms  (${four.map((value) => value.toFixed(0)).join(', ')})`,
);
console.log(
  `  ratio x${ratio.toFixed(2)} (target <= 1.30: ${ratio <= 1.3 ? 'met' : 'NOT met'}); serial would be about x${(4 * 3 + 1.5) / (3 + 1.5)}`,
);
