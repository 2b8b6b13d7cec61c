import { describe, expect, it } from 'vitest';
import { ConfigurationError, OrchestratorError } from '../errors.js';
import { createServiceClient, ServiceApiError } from './create-service-client.js';

/** A client whose every call is answered with `status` and `body` (no network). */
function clientAnswering(status: number, body: unknown) {
  return createServiceClient({
    url: 'http://127.0.0.1:1',
    token: 't',
    fetch: async () => new Response(JSON.stringify(body), { status }),
  });
}

describe('ServiceApiError', () => {
  it("keeps a code the API defines, and is an OrchestratorError by core's isInstance", async () => {
    const error = await clientAnswering(404, { error: { code: 'not-found', message: 'no run "x"' } })
      .getRun('x')
      .catch((caught: unknown) => caught);
    expect(ServiceApiError.isInstance(error)).toBe(true);
    expect(OrchestratorError.isInstance(error)).toBe(true);
    expect(ConfigurationError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ code: 'not-found', status: 404, kind: 'user', message: 'no run "x"' });
  });

  it('turns a code the client does not know (a newer or hostile server) into http-error', async () => {
    const error = await clientAnswering(500, { error: { code: 'CLI_\u001b[31mWEIRD', message: 'boom' } })
      .getRun('x')
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'http-error', status: 500, kind: 'system' });
  });
});
