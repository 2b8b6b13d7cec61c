import { describe, expect, it } from 'vitest';
import { createRedactor, redactedMarker } from './redact-secrets.js';

const fakeKey = 'sk-test-0123456789abcdefghijABCDEFGHIJ';

describe('createRedactor', () => {
  it('redacts values of default and configured secret env vars, and literal values', () => {
    const redactor = createRedactor({
      env: { OPENAI_API_KEY: 'plain-value-without-shape', MY_TOKEN: 'hunter2-hunter2', SHORT: 'ab' },
      envNames: ['MY_TOKEN', 'SHORT'],
      values: ['literal-secret-value'],
    });
    const text = 'a plain-value-without-shape b hunter2-hunter2 c literal-secret-value d ab';
    expect(redactor.redact(text)).toBe(`a ${redactedMarker} b ${redactedMarker} c ${redactedMarker} d ab`);
    expect(redactor.envNames).toContain('TELEGRAM_BOT_TOKEN');
  });

  it.each([
    ['OpenAI key', fakeKey],
    ['OpenAI project key', 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx_yz-0123'],
    ['GitHub token', 'ghp_0123456789abcdefghijABCDEFGHIJ012345'],
    ['GitHub OAuth token', 'gho_0123456789abcdefghijABCDEFGHIJ012345'],
    ['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop'],
    ['Slack bot token', 'xoxb-1234567890-abcdefghijkl'],
    ['Telegram bot token', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1'],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
  ])('redacts a %s by shape', (_name, secret) => {
    const redacted = createRedactor({ env: {} }).redact(`before ${secret} after`);
    expect(redacted).toBe(`before ${redactedMarker} after`);
  });

  it('keeps the Bearer keyword and redacts private key blocks, even when cut before their end', () => {
    const redactor = createRedactor({ env: {} });
    expect(redactor.redact('Authorization: Bearer abc.def-ghi_jkl')).toBe(
      `Authorization: Bearer ${redactedMarker}`,
    );
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----';
    expect(redactor.redact(`x\n${key}\ny`)).toBe(`x\n${redactedMarker}\ny`);
    expect(redactor.redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEow')).toBe(redactedMarker);
  });

  it('leaves ordinary output alone', () => {
    const text = 'On branch main\nnothing to commit, working tree clean\n12:34:56 sk-short';
    expect(createRedactor({ env: {} }).redact(text)).toBe(text);
  });

  it('redacts every string of plain data without touching the original', () => {
    const redactor = createRedactor({ env: { OPENAI_API_KEY: fakeKey } });
    const original = { command: `echo ${fakeKey}`, nested: [{ text: fakeKey }], exitCode: 0 };
    expect(redactor.redactValue(original)).toEqual({
      command: `echo ${redactedMarker}`,
      nested: [{ text: redactedMarker }],
      exitCode: 0,
    });
    expect(original.command).toContain(fakeKey);
  });
});
