/** Finds the Codex CLI: an explicit path, the `@openai/codex` package, or PATH. */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { findExecutable } from '../shared/find-executable.js';
import { CodexNotFoundError } from './codex-errors.js';

/** How to start codex: `command` with `args` before codex's own arguments. */
export interface CodexBinary {
  command: string;
  args: string[];
  /** Where it was found. */
  source: 'option' | 'package' | 'path';
  /** The file that was found (the JS launcher for `package`, the executable otherwise). */
  path: string;
}

/** Options of `resolveCodexBinary`. */
export interface ResolveCodexBinaryOptions {
  /** Explicit path of the `codex` executable or of `@openai/codex/bin/codex.js`. */
  codexPath?: string;
  /** Where to resolve `@openai/codex` from (a file path or URL). Default: this package. */
  resolveFrom?: string | URL;
  /** PATH to search last. Default: `process.env.PATH`. */
  pathEnv?: string;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs `.js` launchers with the current Node, so no `node` on PATH is needed. */
function binaryFor(file: string, source: CodexBinary['source']): CodexBinary {
  return /\.[cm]?js$/.test(file)
    ? { command: process.execPath, args: [file], source, path: file }
    : { command: file, args: [], source, path: file };
}

function fromPackage(resolveFrom: string | URL): string | undefined {
  try {
    const require = createRequire(resolveFrom);
    const manifestPath = require.resolve('@openai/codex/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      bin?: string | Record<string, string>;
    };
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.codex;
    if (bin === undefined) return undefined;
    const launcher = join(dirname(manifestPath), bin);
    statSync(launcher);
    return launcher;
  } catch {
    return undefined;
  }
}

/**
 * Finds the Codex CLI. Order: `codexPath`, then `@openai/codex` resolved from this package and
 * from the current directory (or from `resolveFrom` only), then `codex` on PATH.
 *
 * @throws {CodexNotFoundError} naming `npm install -D @openai/codex` when none is found.
 */
export function resolveCodexBinary(options: ResolveCodexBinaryOptions = {}): CodexBinary {
  if (options.codexPath !== undefined) {
    const file = isAbsolute(options.codexPath) ? options.codexPath : resolve(options.codexPath);
    if (isExecutableFile(file) || (/\.[cm]?js$/.test(file) && statSafe(file)))
      return binaryFor(file, 'option');
    throw new CodexNotFoundError([`codexPath option "${options.codexPath}" (not an executable file)`]);
  }
  const launcher =
    options.resolveFrom === undefined
      ? (fromPackage(import.meta.url) ?? fromPackage(join(process.cwd(), 'package.json')))
      : fromPackage(options.resolveFrom);
  if (launcher !== undefined) return binaryFor(launcher, 'package');
  const pathEnv = options.pathEnv ?? process.env.PATH ?? '';
  const found = findExecutable('codex', { path: pathEnv });
  if (found !== undefined) return binaryFor(found, 'path');
  const shownPath = pathEnv.length > 300 ? `${pathEnv.slice(0, 300)}...` : pathEnv;
  throw new CodexNotFoundError(['package @openai/codex', `PATH (${shownPath === '' ? 'empty' : shownPath})`]);
}

function statSafe(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
