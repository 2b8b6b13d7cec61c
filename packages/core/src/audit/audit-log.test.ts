import { createHash } from 'node:crypto';
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
    // Commands stored whole here, so each line is large.
    const first = createAuditLog(path, { maxCommandLength: 1_000_000 });
    const second = createAuditLog(path, { maxCommandLength: 1_000_000 });
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

  it('keeps the head, the tail, the length and the hash of an oversized command, not the whole', async () => {
    const path = join(dir, 'audit.log');
    const audit = createAuditLog(path);
    const command = `cat > payload.txt <<'EOF'\n${'A'.repeat(1024 * 1024)}\nEOF\necho tail-marker`;
    await audit.append({ ...entry(command), decision: 'deny', status: 'denied', reason: 'too long' });
    const text = await readFile(path, 'utf8');
    expect(text.length).toBeLessThan(8 * 1024);
    const logged = JSON.parse(text) as AuditEntry;
    expect(logged.command.startsWith("cat > payload.txt <<'EOF'\nAAAA")).toBe(true);
    expect(logged.command.endsWith('\nEOF\necho tail-marker')).toBe(true);
    expect(logged.command).toMatch(new RegExp(`…\\[${command.length - 2048 - 1024} characters cut\\]…`));
    expect(logged.commandLength).toBe(command.length);
    expect(logged.commandSha256).toBe(createHash('sha256').update(command).digest('hex'));
    expect(logged).toMatchObject({ decision: 'deny', reason: 'too long' });
  });

  it('stores a command up to maxCommandLength whole, without length or hash', async () => {
    const path = join(dir, 'audit.log');
    const audit = createAuditLog(path, { maxCommandLength: 100 });
    await audit.append(entry('y'.repeat(100)));
    await audit.append(entry('z'.repeat(101)));
    const [whole, cut] = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    expect(whole?.command).toBe('y'.repeat(100));
    expect(whole?.commandLength).toBeUndefined();
    expect(cut?.command).toBe(`${'z'.repeat(50)}…[26 characters cut]…${'z'.repeat(25)}`);
    expect(cut?.commandLength).toBe(101);
  });

  it('hashes and cuts the redacted command, so no secret survives in head, tail or hash input', async () => {
    const secret = 'sk-proj-FAKEFAKEFAKEFAKEFAKE1234';
    const path = join(dir, 'audit.log');
    const audit = createAuditLog(path, {
      redactor: createRedactor({ env: { OPENAI_API_KEY: secret } }),
      maxCommandLength: 200,
    });
    const command = `echo ${secret} ${'x'.repeat(5000)} ${secret}`;
    await audit.append(entry(command));
    const logged = JSON.parse(await readFile(path, 'utf8')) as AuditEntry;
    expect(JSON.stringify(logged)).not.toContain(secret);
    const redacted = command.replaceAll(secret, '[REDACTED]');
    expect(logged.commandSha256).toBe(createHash('sha256').update(redacted).digest('hex'));
    expect(logged.commandLength).toBe(redacted.length);
  });
});
