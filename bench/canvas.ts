/**
 * canvas.open500 / canvas.pan500: a generated 500-card flow opened in the designer in Chromium.
 * open500: milliseconds from clicking the flow until its cards are drawn and a frame has passed.
 * pan500: milliseconds per frame while the canvas is dragged for about a second.
 * Baseline: the same 500 boxes as plain absolutely positioned divs panned by a CSS transform.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openEngine } from '../src/engine/app.js';
import { startApiServer } from '../src/runner/api-server.js';
import { FLOW_SCHEMA_VERSION, flowDocumentSchema } from '../src/shared/flow/schema.js';
import { launchChromium, rendererDir } from '../tests/e2e/browser.js';
import { peakRssMb, printLine, round } from './report.js';

const CARDS = 500;
const COLUMNS = 25;

function bigFlow() {
  const nodes = Array.from({ length: CARDS }, (_, i) => ({
    id: `compose${i + 1}`,
    type: 'text.compose',
    position: { x: (i % COLUMNS) * 260, y: Math.floor(i / COLUMNS) * 140 },
    inputs: { text: { kind: 'literal', value: `step ${i + 1}` } },
  }));
  const edges = nodes.map((n, i) => ({
    id: `e${i}`,
    source: i === 0 ? 'trigger' : nodes[i - 1]!.id,
    sourceHandle: 'next',
    target: n.id,
  }));
  return flowDocumentSchema.parse({
    schemaVersion: FLOW_SCHEMA_VERSION,
    id: 'big',
    name: 'Five hundred cards',
    trigger: { kind: 'manual', inputs: [] },
    nodes,
    edges,
  });
}

/** Drags across the given area for ~1 s and returns the mean frame time measured inside the page. */
async function panFrameTime(
  page: Page,
  area: { x: number; y: number; width: number; height: number },
): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { frames_: number[]; stop_: boolean };
    w.frames_ = [];
    w.stop_ = false;
    let last = performance.now();
    const tick = (now: number) => {
      w.frames_.push(now - last);
      last = now;
      if (!w.stop_) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const cx = area.x + area.width / 2;
  const cy = area.y + area.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) {
    const angle = (i / 60) * Math.PI * 2;
    await page.mouse.move(cx + Math.cos(angle) * 200, cy + Math.sin(angle) * 120);
  }
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { frames_: number[]; stop_: boolean };
    w.stop_ = true;
    return w.frames_.slice(1);
  });
  return frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstead-canvas-bench-'));
const engine = await openEngine({ dbPath: path.join(dir, 'bench.db') });
const server = await startApiServer({ engine, staticDir: rendererDir });
const browser = await launchChromium();
try {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('Build the renderer first: npm run build');
  await engine.handlers['flows.save']({ flow: bigFlow() });
  const viewport = { width: 1600, height: 1000 };

  // Baseline: 500 plain boxes.
  const plain = await browser.newPage({ viewport });
  // tsx names functions with a helper that does not exist inside the page.
  await plain.addInitScript('window.__name = (f) => f;');
  const t0 = Date.now();
  await plain.setContent(
    `<div id="world" style="position:absolute;inset:0;transform:translate(0,0)">${Array.from({ length: CARDS }, (_, i) => `<div style="position:absolute;left:${(i % COLUMNS) * 260}px;top:${Math.floor(i / COLUMNS) * 140}px;width:200px;height:80px;border:1px solid #999">step ${i + 1}</div>`).join('')}</div>
     <script>let x=0,y=0,down=false;addEventListener('mousedown',()=>down=true);addEventListener('mouseup',()=>down=false);addEventListener('mousemove',e=>{if(down){x+=e.movementX;y+=e.movementY;world.style.transform='translate('+x+'px,'+y+'px)'}})</script>`,
  );
  await plain.evaluate(
    'window.__name = (f) => f; new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))',
  );
  const plainOpen = Date.now() - t0;
  const plainPan = await panFrameTime(plain, { x: 0, y: 0, ...viewport });
  await plain.close();

  const page = await browser.newPage({ viewport });
  await page.addInitScript('window.__name = (f) => f;');
  await page.goto(`${server.url}/#token=${server.token}`);
  await page.getByText('Five hundred cards').waitFor();
  const start = Date.now();
  await page.getByText('Five hundred cards').click();
  await page.locator('.vue-flow__node-card').first().waitFor();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const open = Date.now() - start;
  const pane = (await page.locator('.vue-flow__pane').boundingBox())!;
  const pan = await panFrameTime(page, pane);

  printLine({
    name: 'canvas.open500',
    value: open,
    unit: 'ms',
    baseline: plainOpen,
    ratio: round(open / Math.max(1, plainOpen), 1),
    peakRssMb: peakRssMb(),
    goal: '< 1000 ms',
  });
  printLine({
    name: 'canvas.pan500',
    value: round(pan, 2),
    unit: 'ms/frame',
    baseline: round(plainPan, 2),
    ratio: round(pan / plainPan, 2),
    peakRssMb: peakRssMb(),
    goal: '<= 16.7 ms (60 fps)',
  });
} finally {
  await browser.close();
  await server.close();
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
