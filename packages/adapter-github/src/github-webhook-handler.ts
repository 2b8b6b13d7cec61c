import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@codex-orchestrator/core';
import type { TrackerNudge } from '@codex-orchestrator/core/service';
import { verify } from '@octokit/webhooks-methods';

/** Settings of `createGitHubWebhookHandler`. */
export interface GitHubWebhookHandlerOptions {
  /** The webhook's secret, as set on GitHub. */
  secret: string;
  /** Told about each verified issue or comment delivery (the tracker sync's `nudge`). */
  onNudge(nudge: TrackerNudge): void;
  /** Largest body accepted (default 1 MiB; GitHub caps payloads at 25 MB, issue events are small). */
  maxBodyBytes?: number;
  logger?: Logger;
}

const relevant = new Set(['issues', 'issue_comment', 'label', 'ping']);

/**
 * A node `http` request handler for GitHub webhooks: checks `X-Hub-Signature-256` (HMAC-SHA256 of
 * the raw body with the secret, compared in constant time by `@octokit/webhooks-methods`) before
 * reading anything, then nudges the tracker sync to poll now. The payload is never trusted for
 * content: the poll reads the issue from the API, with the same eligibility checks, so a forged or
 * replayed delivery can at most cause an early poll.
 */
export function createGitHubWebhookHandler(options: GitHubWebhookHandlerOptions) {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const answer = (status: number, text: string) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(text);
    };
    if (request.method !== 'POST') return answer(405, 'POST only');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) return answer(413, 'payload too large');
      chunks.push(chunk as Buffer);
    }
    const payload = Buffer.concat(chunks).toString('utf8');
    const signature = request.headers['x-hub-signature-256'];
    if (
      typeof signature !== 'string' ||
      !(await verify(options.secret, payload, signature).catch(() => false))
    ) {
      options.logger?.warn('github webhook: a delivery with a missing or wrong signature was refused');
      return answer(401, 'bad signature');
    }
    const event = String(request.headers['x-github-event'] ?? '');
    if (!relevant.has(event)) return answer(202, 'ignored');
    let ref: TrackerNudge['ref'];
    try {
      const body = JSON.parse(payload) as {
        issue?: { number?: number };
        repository?: { full_name?: string };
      };
      const container = body.repository?.full_name;
      const number = body.issue?.number;
      if (typeof container === 'string' && typeof number === 'number')
        ref = { key: `${container}#${number}`, container, id: String(number) };
    } catch {
      return answer(400, 'not JSON');
    }
    options.onNudge(ref === undefined ? {} : { ref });
    answer(202, 'accepted');
  };
}
