/**
 * The policy package as of a git revision, for comparing builds (verdict-diff.mjs,
 * policy-ab.mjs): its source taken with `git archive` into a scratch directory (no git worktree
 * is created) and bundled with esbuild, unbash and zod included. `WORKTREE` means the files on disk.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const repositoryRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], {
  cwd: packageRoot,
  encoding: 'utf8',
}).trim();
const packagePath = relative(repositoryRoot, packageRoot);

/** The package's source directory at `revision`, extracted under `scratch/label`. */
export function sourceOf(revision, label, scratch) {
  if (revision === 'WORKTREE') return packageRoot;
  const target = join(scratch, label);
  mkdirSync(target);
  const archive = execFileSync('git', ['archive', '--format=tar', revision, packagePath], {
    cwd: repositoryRoot,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', target], { input: archive });
  return join(target, packagePath);
}

/** The built policy module (`createPolicy`, ...) of one revision. */
export async function loadRevision(revision, label, scratch) {
  const source = sourceOf(revision, label, scratch);
  const outfile = join(scratch, `${label}-policy.mjs`);
  await bundle([join(source, 'src/index.ts')], outfile);
  return import(pathToFileURL(outfile).href);
}

/** Bundles TypeScript entry points into one ES module. */
export async function bundle(entryPoints, outfile) {
  await build({
    entryPoints,
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // unbash and zod come from the repository's node_modules (bundled in).
    nodePaths: [join(repositoryRoot, 'node_modules')],
  });
}
