import type { ServerResponse } from 'node:http';
import type { Update } from 'grammy/types';
import { BotApiFailure } from './fake-bot-api-methods.js';

const conflictDescription =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

/** How the queue answers HTTP requests (shared with the server, which records every answer). */
export interface UpdateQueueIo {
  send(response: ServerResponse, status: number, body: unknown): void;
  fail(
    response: ServerResponse,
    method: string,
    payload: Record<string, unknown>,
    error: BotApiFailure,
  ): void;
  record(method: string, payload: Record<string, unknown>, status: number): void;
}

/** The updates of a fake Bot API server and its `getUpdates` long polling. */
export interface FakeUpdateQueue {
  enqueue(update: Omit<Update, 'update_id'>): Update;
  getUpdates(payload: Record<string, unknown>, response: ServerResponse): void;
  pendingCount(): number;
  /** Answers the held poll (with whatever is queued) and refuses new updates. */
  close(): void;
}

interface HeldPoll {
  response: ServerResponse;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout;
}

/**
 * Creates the update queue with the real semantics: `offset` confirms (and forgets) every older
 * update, `timeout` holds the request open until an update arrives, a newer poll terminates the
 * held one with 409, and a poll the client aborted is forgotten.
 */
export function createFakeUpdateQueue(io: UpdateQueueIo, maxLongPollMs: number): FakeUpdateQueue {
  const queue: Update[] = [];
  let nextUpdateId = 1;
  let held: HeldPoll | undefined;
  let closed = false;

  const available = (offset: number, limit: number) =>
    queue.filter((update) => update.update_id >= offset).slice(0, limit);

  const release = (): HeldPoll | undefined => {
    const poll = held;
    held = undefined;
    if (poll !== undefined) clearTimeout(poll.timer);
    return poll;
  };

  const answerHeld = () => {
    if (held === undefined) return;
    const updates = available(held.offset, held.limit);
    if (updates.length === 0 && !closed) return;
    io.send(release()!.response, 200, { ok: true, result: updates });
  };

  return {
    enqueue(update) {
      if (closed) throw new Error('createFakeBotApi: the server is closed');
      const full = { ...update, update_id: nextUpdateId++ } as Update;
      queue.push(full);
      answerHeld();
      return full;
    },
    getUpdates(payload, response) {
      const offset = Number(payload['offset'] ?? 0);
      const limit = Math.min(Math.max(Number(payload['limit'] ?? 100), 1), 100);
      const timeoutMs = Math.min(Math.max(Number(payload['timeout'] ?? 0), 0) * 1000, maxLongPollMs);
      if (offset > 0) {
        while (queue.length > 0 && queue[0]!.update_id < offset) queue.shift();
      }
      const older = release();
      if (older !== undefined) {
        io.fail(
          older.response,
          'getUpdates',
          { terminated: true },
          new BotApiFailure(409, conflictDescription),
        );
      }
      io.record('getUpdates', payload, 200);
      const updates = available(offset, limit);
      if (updates.length > 0 || timeoutMs === 0 || closed) {
        io.send(response, 200, { ok: true, result: updates });
        return;
      }
      const poll: HeldPoll = {
        response,
        offset,
        limit,
        timer: setTimeout(() => {
          if (held === poll) held = undefined;
          io.send(response, 200, { ok: true, result: [] });
        }, timeoutMs),
      };
      held = poll;
      // The client gave up (bot.stop() aborts its poll): forget the held request.
      response.on('close', () => {
        if (held === poll) release();
      });
    },
    pendingCount: () => queue.length,
    close() {
      closed = true;
      answerHeld();
    },
  };
}
