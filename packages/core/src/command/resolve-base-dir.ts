import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ConfigurationError } from '../errors.js';

/**
 * The base dir from the option or `ORCHESTRATOR_BASE_DIR`; throws `ConfigurationError` when it is
 * missing, relative, or not an existing directory.
 */
export function resolveBaseDir(baseDir: string | undefined): string {
  const value = baseDir ?? process.env.ORCHESTRATOR_BASE_DIR;
  if (!value) {
    throw new ConfigurationError(
      'No baseDir: pass { baseDir } or set ORCHESTRATOR_BASE_DIR to the folder that holds the worktrees',
      {
        code: 'base-dir-missing',
      },
    );
  }
  if (!isAbsolute(value)) {
    throw new ConfigurationError(
      `baseDir ${JSON.stringify(value)} is not an absolute path: give the full path of the folder that holds the worktrees`,
      {
        code: 'base-dir-invalid',
      },
    );
  }
  if (!statSync(value, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigurationError(`baseDir ${JSON.stringify(value)} does not exist or is not a directory`, {
      code: 'base-dir-missing',
    });
  }
  return value;
}
