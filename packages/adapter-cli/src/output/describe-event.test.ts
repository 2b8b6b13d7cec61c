import { describe, expect, it } from 'vitest';
import { describeEvent } from './describe-event.js';

describe('describeEvent', () => {
  it('says that a model request is retried, naming the endpoint and the pause', () => {
    const line = describeEvent({
      type: 'model-call-retry',
      time: '2026-01-01T10:00:00.000Z',
      agent: 'orchestrator',
      model: 'gpt-5',
      attempt: 1,
      delayMs: 2500,
      reason:
        'The model endpoint http://127.0.0.1:9/v1 failed (attempt 1 of 5): connection failed (terminated)',
    });
    expect(line).toEqual({
      where: 'orchestrator',
      text: 'The model endpoint http://127.0.0.1:9/v1 failed (attempt 1 of 5): connection failed (terminated); retrying in 2.5s',
      level: 'warning',
      notable: true,
    });
  });
});
