/** One request to a model endpoint to learn whether anything answers there (no key sent). */
import { errorMessage } from '../shared/error-message.js';

/**
 * Sends `GET <baseURL>/models` without credentials and resolves `undefined` when any HTTP answer
 * (401 included) arrives within `timeoutMs`, else one line saying what happened. Never throws.
 *
 * @example
 * await probeModelEndpoint('http://127.0.0.1:9/v1', 5000); // 'connection refused (ECONNREFUSED)'
 */
export async function probeModelEndpoint(baseURL: string, timeoutMs: number): Promise<string | undefined> {
  const url = `${baseURL.replace(/\/+$/, '')}/models`;
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return `no answer within ${Math.round(timeoutMs / 1000)} s (the server accepts connections but sends nothing)`;
    }
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause?.code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
    const detail = typeof cause?.message === 'string' ? cause.message : errorMessage(error);
    return typeof cause?.code === 'string' ? `${detail} (${cause.code})` : detail;
  }
}
