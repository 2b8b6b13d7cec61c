/**
 * Context economy: bytes sent to the orchestrator model per turn and in total for scenario 1,
 * with a quiet test command and with a noisy one printing 10 MB (run by codex and by the
 * orchestrator itself). Tool results are compact, so the two should be close.
 */
import { runSubtasks } from './orchestrator-bench-scenarios.js';

const noisyScript = (bytes: number) =>
  `head -c ${bytes} /dev/zero | tr "\\0" "x" | fold -w 100\necho "all tests passed"\n`;
const noisy = (bytes: number) =>
  runSubtasks({
    subtasks: 2,
    maxParallel: 2,
    review: true,
    smokeTest: 'sh test.sh',
    testCommand: 'sh noisy-test.sh',
    files: { 'noisy-test.sh': noisyScript(bytes) },
  });
const variants = {
  quiet: await runSubtasks({ subtasks: 2, maxParallel: 2, review: true, smokeTest: 'sh test.sh' }),
  'noisy 1 MB': await noisy(1024 * 1024),
  'noisy 10 MB': await noisy(10 * 1024 * 1024),
};
console.log('bytes sent to the orchestrator model (request bodies), scenario 1:');
for (const [name, result] of Object.entries(variants)) {
  const sizes = result.orchestratorRequests.map((request) => request.byteSize);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  console.log(
    `  ${name.padEnd(11)} per turn: ${sizes.map((size) => `${(size / 1024).toFixed(1)} KiB`).join(', ')}; total ${(total / 1024).toFixed(1)} KiB`,
  );
}
const total = (name: keyof typeof variants) =>
  variants[name].orchestratorRequests.reduce((sum, request) => sum + request.byteSize, 0);
const ratio = (over: keyof typeof variants, under: keyof typeof variants) =>
  (total(over) / total(under)).toFixed(2);
console.log(
  `  total: noisy 10 MB / quiet x${ratio('noisy 10 MB', 'quiet')}; noisy 10 MB / noisy 1 MB x${ratio('noisy 10 MB', 'noisy 1 MB')} ` +
    '(command results are capped at 8 KiB per stream, head and tail; codex runs are summarised)',
);
