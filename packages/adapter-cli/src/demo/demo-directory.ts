import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';

const markerFile = '.orchestrator-demo';

/**
 * Prepares the demo folder: creates it, or empties one an earlier demo made (recognised by its
 * marker file). A folder with other contents is never touched: the user is asked for `--dir`.
 */
export async function prepareDemoDirectory(path: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined) {
    if (!existing.isDirectory()) {
      throw new CliError(`Demo folder ${path} is a file: pass --dir with a new folder.`, {
        code: 'demo-dir-invalid',
      });
    }
    const entries = await readdir(path);
    if (entries.length > 0 && !entries.includes(markerFile)) {
      throw new CliError(
        `Demo folder ${path} is not empty and was not made by \`orchestrator demo\`: pass --dir with a new or empty folder.`,
        { code: 'demo-dir-invalid' },
      );
    }
    for (const entry of entries) await rm(join(path, entry), { recursive: true, force: true });
  }
  await mkdir(path, { recursive: true });
  await writeFile(
    join(path, markerFile),
    'Made by `orchestrator demo`; the next demo run empties this folder.\n',
  );
}
