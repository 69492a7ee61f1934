import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, type EngineApp } from '../../src/engine/app.js';
import { startApiServer, type ApiServer } from '../../src/runner/api-server.js';
import { card, flow, lit, tempDir } from '../support/test-engine.js';

let engine: EngineApp | undefined;
let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  await engine?.close();
  server = engine = undefined;
});

async function start(staticDir?: string) {
  const dir = tempDir();
  engine = await openEngine({ dbPath: path.join(dir, 'api.db') });
  server = await startApiServer({ engine, ...(staticDir ? { staticDir } : {}) });
  return server;
}

function call(s: ApiServer, method: string, body: unknown, token = s.token) {
  return fetch(`${s.url}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('API over HTTP', () => {
  it('listens on loopback and refuses calls without the right token', async () => {
    const s = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const wrong = await call(s, 'flows.list', {}, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const none = await fetch(`${s.url}/api/flows.list`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
  });

  it('saves and lists flows, and names the bad field of an invalid payload', async () => {
    const s = await start();
    const saved = await call(s, 'flows.save', {
      flow: flow({ id: 'f1', name: 'Leaver', nodes: [card('ret', 'control.return', { done: lit(true) })] }),
    });
    expect(saved.status).toBe(200);
    const list = (await (await call(s, 'flows.list', {})).json()) as { ok: true; value: { name: string }[] };
    expect(list.value.map((f) => f.name)).toEqual(['Leaver']);
    const bad = await call(s, 'flows.get', { id: '' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INVALID_PAYLOAD');
    expect(body.error.message).toContain('id');
    const notJson = await call(s, 'flows.list', '{oops');
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON');
    const unknown = await call(s, 'flows.explode', {});
    expect(unknown.status).toBe(404);
  });

  it('streams run progress as server-sent events', async () => {
    const s = await start();
    await call(s, 'flows.save', {
      flow: flow({ id: 'f1', nodes: [card('ret', 'control.return', { done: lit(true) })] }),
    });
    const received: string[] = [];
    const stream = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${s.url}/api/events?token=${s.token}`, resolve),
    );
    stream.setEncoding('utf8');
    const finished = new Promise<void>((resolve) =>
      stream.on('data', (chunk: string) => {
        received.push(chunk);
        if (chunk.includes('run.finished')) resolve();
      }),
    );
    await call(s, 'runs.start', { flowId: 'f1', input: {} });
    await finished;
    stream.destroy();
    const text = received.join('');
    expect(text).toContain('event: run.progress');
    expect(text).toContain('"kind":"run.finished","runId"');
  });

  it('serves the designer files with a content security policy and nothing outside its folder', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Flowstead</title>');
    const s = await start(dir);
    const page = await fetch(`${s.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('Flowstead');
    const escape = await fetch(`${s.url}/..%2f..%2fetc%2fpasswd`);
    expect(escape.status).toBe(404);
  });
});
