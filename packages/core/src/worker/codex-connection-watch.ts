/**
 * Notices early that a codex run cannot reach its model, so the run fails within a minute with
 * that reason instead of at its timeout (30 minutes by default). Two signs, each with evidence:
 * - codex's own connection notices ("Reconnecting... waiting for network (Connection failed: error
 *   sending request)", on stdout as `error` events or on stderr) several times in a row with no
 *   progress between them: with its default `unbounded_connection_retries` codex retries forever;
 * - silence (no event while no command runs) and then a probe of the endpoint that gets no HTTP
 *   answer: codex waits forever for the response headers of a server that accepts and never
 *   answers, printing nothing. Silence alone is no reason (a model may think for minutes), so
 *   the endpoint is asked; any HTTP answer, even 401, counts as alive.
 */
import type { CodexModelEndpoint } from './codex-model-endpoint.js';
import { cutText } from './cut-text.js';
import { probeModelEndpoint } from './probe-model-endpoint.js';

/** Tuning of the early failure (`CodexWorkerOptions.connectionWatch`). */
export interface CodexConnectionWatchSettings {
  /** Connection notices in a row, with no progress between them, that stop the run (default 3). */
  reconnects?: number;
  /** Silence after which the endpoint is probed (default 20 000 ms). */
  silenceMs?: number;
  /** Time the probe waits for response headers (default 10 000 ms). */
  probeTimeoutMs?: number;
}

/** A codex notice or stderr line that says the connection itself failed (not an HTTP error). */
const connectionFailure =
  /waiting for network|error sending request|connection (?:failed|refused|reset)|failed to connect|dns error|failed to lookup address|could not resolve host|tcp connect error/i;

/** Watches one codex run; feed it stdout lines and stderr text, then `stop()` it. */
export interface CodexConnectionWatch {
  line(line: string): void;
  stderr(text: string): void;
  stop(): void;
}

/**
 * Creates the watch. `onUnreachable` is called at most once with a one-line reason that names
 * the endpoint; the caller stops codex. `probe: false` turns the silence probe off (a proxy in
 * the environment, which Node's fetch would not use: its probe would not see what codex sees).
 */
export function createCodexConnectionWatch(
  options: CodexConnectionWatchSettings & {
    endpoint: CodexModelEndpoint;
    probe: boolean;
    timeoutMs: number;
    onUnreachable: (reason: string) => void;
  },
): CodexConnectionWatch {
  const reconnects = options.reconnects ?? 3;
  const silenceMs = options.silenceMs ?? 20_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 10_000;
  const running = new Set<string>();
  let failures = 0;
  let lastFailure = '';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pendingStderr = '';

  const fail = (detail: string) => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    options.onUnreachable(
      `codex cannot reach its model at ${options.endpoint.label}: ${cutText(detail, 300)}; stopped early ` +
        `instead of waiting for the ${Math.round(options.timeoutMs / 1000)} s timeout. Check that the ` +
        "server runs and the provider's base_url (codex's config or the orchestrator's --base-url).",
    );
  };

  const armSilence = () => {
    clearTimeout(timer);
    const baseURL = options.endpoint.baseURL;
    if (stopped || !options.probe || baseURL === undefined || running.size > 0) return;
    timer = setTimeout(async () => {
      const problem = await probeModelEndpoint(baseURL, probeTimeoutMs);
      if (stopped) return;
      if (problem === undefined) armSilence();
      else
        fail(
          `codex was silent for ${Math.round(silenceMs / 1000)} s and a probe of ${baseURL} got ${problem}`,
        );
    }, silenceMs);
    timer.unref();
  };

  const connectionNotice = (message: string) => {
    if (!connectionFailure.test(message)) return false;
    failures++;
    lastFailure = message.trim();
    if (failures >= reconnects) fail(`${failures} connection attempts failed in a row (${lastFailure})`);
    return true;
  };

  armSilence();
  return {
    line(line) {
      if (stopped) return;
      let event: { type?: unknown; message?: unknown; item?: { id?: unknown; type?: unknown } };
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (event === null || typeof event !== 'object') return;
      const item = event.item;
      if (item !== null && typeof item === 'object' && item.type === 'command_execution') {
        const id = String(item.id);
        if (event.type === 'item.completed') running.delete(id);
        else running.add(id);
      }
      if (event.type === 'error' && typeof event.message === 'string' && connectionNotice(event.message)) {
        armSilence();
        return;
      }
      // Anything else codex reports is progress: the model answered (or a command ran).
      if (event.type !== 'turn.started' && event.type !== 'error') failures = 0;
      armSilence();
    },
    stderr(text) {
      const lines = (pendingStderr + text).split('\n');
      pendingStderr = (lines.pop() ?? '').slice(-4000);
      for (const line of lines) if (!stopped && line.trim() !== '') connectionNotice(line);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
