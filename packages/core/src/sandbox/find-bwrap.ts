import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

const vendorTriples: Record<string, { pkg: string; triple: string }> = {
  x64: { pkg: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' },
  arm64: { pkg: '@openai/codex-linux-arm64', triple: 'aarch64-unknown-linux-musl' },
};

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The bubblewrap the `@openai/codex` package ships for this platform, if installed. */
function vendoredBwrap(): string | undefined {
  const vendor = vendorTriples[process.arch];
  if (vendor === undefined) return undefined;
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      const require = createRequire(from);
      // The platform package is a dependency of @openai/codex: resolve it from there.
      const codex = require.resolve('@openai/codex/package.json');
      const manifest = createRequire(codex).resolve(`${vendor.pkg}/package.json`);
      const candidate = join(dirname(manifest), 'vendor', vendor.triple, 'codex-resources', 'bwrap');
      if (isExecutable(candidate)) return candidate;
    } catch {
      // not installed from here
    }
  }
  return undefined;
}

/**
 * Finds bubblewrap: `explicit` when given, else `bwrap` on PATH (a distribution's package,
 * kept up to date by the system), else the binary the `@openai/codex` npm package ships.
 * Returns undefined when none is there.
 */
export function findBwrap(explicit?: string, path = process.env.PATH ?? ''): string | undefined {
  if (explicit !== undefined) return isExecutable(explicit) ? explicit : undefined;
  for (const directory of path.split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, 'bwrap');
    if (isExecutable(candidate)) return candidate;
  }
  return vendoredBwrap();
}
