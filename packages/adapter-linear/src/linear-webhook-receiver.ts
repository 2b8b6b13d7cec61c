import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@codex-orchestrator/core';
import { LinearWebhookClient } from '@linear/sdk/webhooks';

const maxBodyBytes = 1024 * 1024;

/** Settings of `startLinearWebhookReceiver`. */
export interface LinearWebhookReceiverOptions {
  /** The webhook's signing secret (Linear: Settings > API > Webhooks). */
  secret: string;
  /** Called for each verified Issue or Comment delivery: poll now. */
  onNudge: () => void;
  /** Default 127.0.0.1: put a reverse proxy with TLS in front to receive from Linear. */
  host?: string;
  /** Default 8789 (the GitHub receiver takes 8788); 0 picks a free port. */
  port?: number;
  /** Default `/linear/webhook`. */
  path?: string;
  logger?: Logger;
}

/** A running receiver. */
export interface LinearWebhookReceiver {
  /** The address deliveries go to, e.g. `http://127.0.0.1:8789/linear/webhook`. */
  readonly url: string;
  /** Deliveries accepted and refused so far. */
  readonly counts: { accepted: number; refused: number };
  close(): Promise<void>;
}

/**
 * Receives Linear webhooks as a faster path than polling. Each delivery is verified with the
 * SDK's `LinearWebhookClient` (HMAC-SHA256 of the raw body in `Linear-Signature`, compared in
 * constant time, and the signed `webhookTimestamp` within a minute, against replays); a verified
 * Issue or Comment delivery only nudges the tracker state machine to poll now. Nothing in a
 * delivery is trusted beyond "something changed": the poll reads the issue from the API.
 */
export async function startLinearWebhookReceiver(
  options: LinearWebhookReceiverOptions,
): Promise<LinearWebhookReceiver> {
  const verifier = new LinearWebhookClient(options.secret);
  const path = options.path ?? '/linear/webhook';
  const counts = { accepted: 0, refused: 0 };

  const reply = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(text);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST' || request.url?.split('?')[0] !== path) {
      reply(response, 404, 'not found');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) {
        counts.refused += 1;
        reply(response, 413, 'too large');
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const signature = request.headers['linear-signature'];
    let payload: { type?: unknown };
    try {
      if (typeof signature !== 'string') throw new Error('no Linear-Signature header');
      payload = verifier.parseData(Buffer.concat(chunks), signature) as { type?: unknown };
    } catch (error) {
      counts.refused += 1;
      options.logger?.warn('linear: webhook delivery refused', {
        reason: error instanceof Error ? error.message.slice(0, 200) : 'invalid',
      });
      reply(response, 401, 'invalid signature');
      return;
    }
    counts.accepted += 1;
    reply(response, 200, 'ok');
    if (payload.type === 'Issue' || payload.type === 'Comment' || payload.type === 'IssueLabel') {
      options.onNudge();
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) reply(response, 500, 'error');
    });
  });
  server.listen(options.port ?? 8789, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${path}`,
    counts,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
