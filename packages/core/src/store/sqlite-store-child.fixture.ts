/** Test fixture: opens a store, writes, leaves a SQLite lock folder behind, and waits to be killed. */
import { mkdirSync } from 'node:fs';
import { createSqliteStore } from './create-sqlite-store.js';

const path = process.argv[2];
if (!path) throw new Error('usage: sqlite-store-child.fixture.ts <store path>');
const store = await createSqliteStore({ path });
await store.createTask({
  id: 'written-before-kill',
  source: 'api',
  text: 'x',
  state: 'queued',
  metadata: {},
});
await store.updateTask('written-before-kill', 1, { state: 'running' });
await store.markOnce('claimed');
// As if killed inside a transaction: node-sqlite3-wasm's own lock folder stays behind.
mkdirSync(`${path}.lock`, { recursive: true });
process.stdout.write('ready\n');
setInterval(() => undefined, 1_000);
