import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** Where and how the API listens. */
export interface ServeServiceApiOptions {
  /** Default 127.0.0.1. Anything else exposes the API beyond this machine: put TLS in front of it. */
  host?: string;
  /** Default 0: a free port, read it from the returned `url`. */
  port?: number;
}

/** A listening API server. */
export interface ServiceApiServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Stops accepting connections and ends open ones (SSE streams included). */
  close(): Promise<void>;
}

/**
 * Serves a `createServiceApi` app over HTTP on loopback.
 *
 * @example
 * const server = await serveServiceApi(createServiceApi({ store, control, token }), { port: 8787 });
 * console.log(`API on ${server.url}`);
 */
export function serveServiceApi(app: Hono, options: ServeServiceApiOptions = {}): Promise<ServiceApiServer> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, hostname: host, port: options.port ?? 0 },
      (info: AddressInfo) => {
        const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${shownHost}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `cannot serve the API on ${host}:${options.port}: the port is in use; choose another port`
            : `cannot serve the API on ${host}:${options.port ?? 0}: ${error.message}`,
        ),
      ),
    );
  });
}
