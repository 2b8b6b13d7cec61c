// Run by run-owners.test.ts in a child process (node --import tsx) as a stand-in orchestrator
// with the sandbox off: it records itself as a run owner of the repository, then starts, the way
// core starts every process, a command that leaves a setsid daemon, and waits to be killed.
import { startProcess } from '../process/start-process.js';
import { recordRunOwner } from './run-owners.js';

const [stateDir, marker] = process.argv.slice(2) as [string, string];
await recordRunOwner(stateDir);
startProcess({
  file: 'bash',
  args: ['-c', `setsid sleep ${marker} & sleep ${marker}`],
  cwd: '/',
  env: process.env,
});
setInterval(() => undefined, 1000);
