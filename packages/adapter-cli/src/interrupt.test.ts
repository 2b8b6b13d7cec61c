import { describe, expect, it } from 'vitest';
import { createInterrupt } from './interrupt.js';

describe('createInterrupt', () => {
  it('first SIGINT cancels gracefully, the second exits with 130', () => {
    const listenersBefore = process.listenerCount('SIGINT');
    const exits: number[] = [];
    let notices = 0;
    const interrupt = createInterrupt({
      handleSignals: true,
      onFirstInterrupt: () => notices++,
      exit: (code) => exits.push(code),
    });
    try {
      process.emit('SIGINT');
      expect(interrupt.signal.aborted).toBe(true);
      expect(interrupt.interrupted).toBe(true);
      expect(notices).toBe(1);
      expect(exits).toEqual([]);
      process.emit('SIGINT');
      expect(exits).toEqual([130]);
      expect(notices).toBe(1);
    } finally {
      interrupt.dispose();
    }
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore);
  });

  it('names a SIGTERM as SIGTERM (not Ctrl-C), and a second one exits with 143', () => {
    const exits: number[] = [];
    const causes: string[] = [];
    const interrupt = createInterrupt({
      handleSignals: true,
      onFirstInterrupt: (cause) => causes.push(cause),
      exit: (code) => exits.push(code),
    });
    try {
      process.emit('SIGTERM');
      expect(causes).toEqual(['SIGTERM']);
      expect(interrupt.cause).toBe('SIGTERM');
      expect(String((interrupt.signal.reason as Error).message)).toBe('Terminated (SIGTERM)');
      process.emit('SIGTERM');
      expect(exits).toEqual([143]);
    } finally {
      interrupt.dispose();
    }
  });

  it('follows an embedder signal and leaves process signals alone without handleSignals', () => {
    const listenersBefore = process.listenerCount('SIGINT');
    const controller = new AbortController();
    const interrupt = createInterrupt({ signal: controller.signal });
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore);
    controller.abort();
    expect(interrupt.signal.aborted).toBe(true);
    interrupt.dispose();
  });
});
