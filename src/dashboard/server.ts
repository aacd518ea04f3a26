/**
 * `pipetune dashboard`: a read-only HTTP view of one study. It polls the trial store's size and
 * modification time; when they change it re-reads and re-analyses the study (reads only, nothing is
 * written) and tells every open page over server-sent events, so new trials appear without a reload.
 */
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { analyzeStudyResults, renderCharts } from '../results/refresh.js';
import { readStudyManifest } from '../results/store.js';
import { studyLayout } from '../study/layout.js';
import { dashboardContent, dashboardPage, type TemporalLink } from './page.js';

export interface DashboardOptions {
  outputDir: string;
  host: string;
  port: number;
  temporal: Omit<TemporalLink, 'workflowId'>;
  /** How often the trial store is looked at. */
  pollMs?: number;
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

/** Size and mtime of the store: changes when a trial is appended (or the store is replaced). */
async function storeVersion(outputDir: string): Promise<string> {
  const s = await stat(studyLayout(outputDir).trials).catch(() => undefined);
  return s ? `${s.size}:${s.mtimeMs}` : 'none';
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { outputDir } = options;
  const clients = new Set<ServerResponse>();
  let version = await storeVersion(outputDir);
  let cached: { version: string; html: Promise<string> } | undefined;

  /** The content for the store's current version, rendered once per version. */
  const content = (): Promise<string> => {
    if (cached?.version !== version) {
      const html = analyzeStudyResults(outputDir, { warn: () => {} }).then(({ input, analysis }) =>
        dashboardContent(analysis, renderCharts(analysis), {
          ...options.temporal,
          workflowId: `pipetune-${input.manifest.name}`,
        }),
      );
      cached = { version, html };
    }
    return cached.html;
  };

  const timer = setInterval(async () => {
    const now = await storeVersion(outputDir);
    if (now === version) return;
    version = now;
    for (const client of clients) client.write(`event: update\ndata: ${JSON.stringify(version)}\n\n`);
  }, options.pollMs ?? 1000);

  const send = (res: ServerResponse, code: number, type: string, body: string) => {
    res.writeHead(code, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'read-only: GET only');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (path === '/' || path === '/content') {
      try {
        const html = await content();
        if (path === '/content') return send(res, 200, 'text/html', html);
        const { name } = await readStudyManifest(outputDir);
        return send(res, 200, 'text/html', dashboardPage(name, html));
      } catch (err) {
        return send(res, 503, 'text/plain', (err as Error).message);
      }
    }
    if (path === '/favicon.ico') return send(res, 204, 'text/plain', '');
    return send(res, 404, 'text/plain', 'not found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, 'text/plain', (err as Error).message));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shown}:${port}/`,
    close: async () => {
      clearInterval(timer);
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
