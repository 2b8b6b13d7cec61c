// Usage: OPENAI_API_KEY=... ORCHESTRATOR_BASE_DIR=/path/holding/main npx tsx src/main.ts "<task>"
import { runTask } from './run-task.js';

const task = process.argv.slice(2).join(' ');
if (task.trim() === '') {
  console.error('usage: npx tsx src/main.ts "<task>" (with ORCHESTRATOR_BASE_DIR and OPENAI_API_KEY set)');
  process.exit(2);
}
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const result = await runTask(task, { signal: controller.signal, smokeTest: 'npm test' });
console.log(result.markdown);
process.exitCode = result.report.status === 'completed' ? 0 : 1;
