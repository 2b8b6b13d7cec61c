#!/usr/bin/env node
// Prints the public export list of every workspace package and subpath, from the built dist:
// one line per export, `<entry> <value|type> <name>`, sorted. Values come from importing the
// entry's JavaScript; types from the entry's declaration file (TypeScript's own checker), so a
// refactor of the source layout (barrels, moved files) can be diffed against the previous list.
// Usage: node scripts/print-exports.mjs > exports.txt   (build the packages first)
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lines = [];

for (const workspace of rootManifest.workspaces.filter((entry) => entry.startsWith('packages/'))) {
  const folder = join(root, workspace);
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target !== 'object' || target === null || !target.default || !target.types) continue;
    const entry = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    const values = new Set(Object.keys(await import(pathToFileURL(join(folder, target.default)).href)));
    const declarationFile = join(folder, target.types);
    const program = ts.createProgram([declarationFile], { noEmit: true, skipLibCheck: true });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(declarationFile);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
      const name = symbol.getName();
      lines.push(`${entry} ${values.has(name) ? 'value' : 'type'} ${name}`);
      values.delete(name);
    }
    // A runtime export the declarations do not name is a packaging mistake: list it loudly.
    for (const name of values) lines.push(`${entry} value-without-type ${name}`);
  }
}

process.stdout.write(`${lines.sort().join('\n')}\n`);
