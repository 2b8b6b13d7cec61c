// Run by git-metadata-guard.test.ts in a child process (node --import tsx): snapshots the git
// metadata of a repository the way a codex run does, then plants what codex could plant (an
// fsmonitor command, a hook) and waits to be killed with SIGKILL, so no restore() ever runs.
import { chmodSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { guardGitMetadata } from './git-metadata-guard.js';

const [commonDir, marker] = process.argv.slice(2) as [string, string];
await guardGitMetadata({ commonDir, gitDir: commonDir });
await appendFile(join(commonDir, 'config'), `[core]\n\tfsmonitor = "touch ${marker}; false"\n`);
writeFileSync(join(commonDir, 'hooks', 'post-checkout'), `#!/bin/sh\ntouch ${marker}\n`);
chmodSync(join(commonDir, 'hooks', 'post-checkout'), 0o755);
process.stdout.write('planted\n');
setInterval(() => {}, 1000);
