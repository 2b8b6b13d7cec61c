// Run by exclusive-lock.test.ts in child processes (node --import tsx): on `go <round>` it tries
// the lock once and answers whether it got it; on `release <round>` it releases and says so.
import { createInterface } from 'node:readline';
import { type ReleaseLock, tryAcquireLock } from './exclusive-lock.js';

const path = process.argv[2] ?? '';
let release: ReleaseLock | undefined;
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
lines.on('line', (line) => {
  const [verb, round] = line.split(' ');
  void (async () => {
    if (verb === 'go') {
      const attempt = await tryAcquireLock(path, `contender ${process.pid}`);
      release = attempt.acquired ? attempt.release : undefined;
      process.stdout.write(`${round} ${attempt.acquired ? 'acquired' : 'busy'}\n`);
    } else if (verb === 'release') {
      await release?.();
      release = undefined;
      process.stdout.write(`${round} released\n`);
    }
  })();
});
