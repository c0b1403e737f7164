import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { errorFields, log } from '../core/log.js';
import type { Metrics } from './metrics.js';

/** A route a channel adds (Telegram webhook, Teams endpoint). It gets the raw request; the body is not read yet. */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpDeps {
  redis: Redis;
  metrics: Metrics;
  routes?: Record<string, Route>;
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** The service's HTTP face: health, readiness, metrics, and the channel endpoints registered by `POST <path>`. */
export function createHttpServer(deps: HttpDeps): Server {
  return createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method === 'GET' && path === '/healthz') return send(res, 200, '{"status":"ok"}');
      if (req.method === 'GET' && path === '/readyz') {
        const ready = await Promise.race([deps.redis.ping().then((r) => r === 'PONG'), new Promise<boolean>((r) => setTimeout(() => r(false), 1000))]).catch(() => false);
        return send(res, ready ? 200 : 503, JSON.stringify({ status: ready ? 'ready' : 'redis unreachable' }));
      }
      if (req.method === 'GET' && path === '/metrics') return send(res, 200, deps.metrics.render(), 'text/plain; version=0.0.4');
      const route = req.method === 'POST' ? deps.routes?.[path] : undefined;
      if (route) return await route(req, res);
      send(res, 404, '{"error":"not found"}');
    } catch (error) {
      log.error('http.failed', { path, ...errorFields(error) });
      if (!res.headersSent) send(res, 500, '{"error":"internal"}');
    }
  });
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
