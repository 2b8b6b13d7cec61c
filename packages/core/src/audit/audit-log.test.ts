import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditEntry, createAuditLog } from './audit-log.js';
import { createRedactor } from './redact-secrets.js';

const entry = (command: string): AuditEntry => ({
  time: new Date().toISOString(),
  taskId: 't1',
  worktree: 'main',
  command,
  decision: 'allow',
  status: 'ok',
  exitCode: 0,
  durationMs: 1,
  truncated: false,
  dryRun: false,
});

describe('createAuditLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one JSON line per entry without interleaving, even from two loggers of one file', async () => {
    const path = join(dir, 'nested', 'run_repo_command.log');
    const first = createAuditLog(path);
    const second = createAuditLog(path);
    const big = 'x'.repeat(200_000);
    await Promise.all(
      Array.from({ length: 40 }, (_, index) => (index % 2 ? first : second).append(entry(`${index} ${big}`))),
    );
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(40);
    const indexes = lines.map((line) => Number((JSON.parse(line) as AuditEntry).command.split(' ')[0]));
    // Serialised in call order: the file holds the entries exactly as they were appended.
    expect(indexes).toEqual(Array.from({ length: 40 }, (_, index) => index));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('redacts secrets from every field', async () => {
    const secret = 'sk-proj-FAKEFAKEFAKEFAKEFAKE1234';
    const path = join(dir, 'audit.log');
    const audit = createAuditLog(path, { redactor: createRedactor({ env: { OPENAI_API_KEY: secret } }) });
    await audit.append({ ...entry(`echo ${secret}`), reason: `saw ${secret}` });
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ command: 'echo [REDACTED]', reason: 'saw [REDACTED]' });
  });
});
