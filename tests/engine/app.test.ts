import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, type EngineApp } from '../../src/engine/app.js';
import type { ProgressEvent } from '../../src/shared/api/contract.js';
import { card, expr, flow, lit, ref, tempDir, tpl } from '../support/test-engine.js';

let engine: EngineApp | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function open(dbPath = path.join(tempDir(), 'app.db')) {
  engine = await openEngine({ dbPath });
  return engine.handlers;
}

async function finished(api: EngineApp['handlers'], runId: string) {
  for (let i = 0; i < 200; i++) {
    const run = await api['runs.get']({ runId });
    if (!['running', 'queued', 'waiting'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('run did not finish');
}

const joiner = flow({
  id: 'joiner',
  name: 'Joiner: build account',
  trigger: {
    kind: 'manual',
    inputs: [
      { name: 'first', type: 'text', required: true },
      { name: 'last', type: 'text', required: true },
    ],
  },
  nodes: [
    card('username', 'text.lower', { text: expr('substring(trigger.first, 0, 1) + trigger.last') }),
    card('email', 'text.compose', { text: tpl('{{username.text}}@example.com') }),
    card('done', 'control.return', { email: ref('email', 'text') }),
  ],
});

describe('engine API', () => {
  it('saves a flow, runs it from the trigger input and shows the run and its steps in history', async () => {
    const api = await open();
    const saved = await api['flows.save']({ flow: joiner });
    expect(saved).toMatchObject({ version: 1, problems: [] });
    const events: ProgressEvent[] = [];
    engine!.onProgress((e) => events.push(e));
    const { runId } = await api['runs.start']({ flowId: 'joiner', input: { first: 'José', last: 'Müller' } });
    const run = await finished(api, runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      flowName: 'Joiner: build account',
      output: { email: 'jmüller@example.com' },
    });
    const steps = await api['runs.steps']({ runId, offset: 0, limit: 10 });
    expect(steps.map((s) => s.nodeId)).toEqual(['username', 'email', 'done']);
    expect(steps[1]).toMatchObject({
      inputs: { text: 'jmüller@example.com' },
      outputs: { text: 'jmüller@example.com' },
    });
    expect(await api['runs.list']({ flowId: 'joiner', limit: 10, offset: 0 })).toHaveLength(1);
    expect(events.map((e) => e.kind)).toContain('card.finished');
  });

  it('refuses to run with a missing required input, naming the field', async () => {
    const api = await open();
    await api['flows.save']({ flow: joiner });
    expect(() => api['runs.start']({ flowId: 'joiner', input: { first: 'Ana' } })).toThrow(/`last` is required/);
  });

  it('keeps a flow with problems but refuses to run it, listing every problem', async () => {
    const api = await open();
    const broken = flow({ id: 'broken', nodes: [card('a', 'text.lower', {}), card('b', 'no.such.card', {})] });
    const saved = await api['flows.save']({ flow: broken });
    expect(saved.problems.map((p) => p.code).sort()).toEqual(['MISSING_INPUT', 'UNKNOWN_CARD_TYPE']);
    expect(() => api['runs.start']({ flowId: 'broken', input: {} })).toThrow(/problems to fix/);
  });

  it('runs helper flows found through the flow inputs of its cards', async () => {
    const api = await open();
    const helper = flow({
      id: 'greet',
      name: 'Greet',
      trigger: {
        kind: 'helper',
        inputs: [{ name: 'name', type: 'text' }],
        outputs: [{ name: 'greeting', type: 'text' }],
      },
      nodes: [card('ret', 'control.return', { greeting: tpl('Hello {{trigger.name}}') })],
    });
    const main = flow({
      id: 'main',
      nodes: [
        card('call', 'control.callFlow', { flow: lit('greet'), name: lit('Ana') }),
        card('done', 'control.return', { text: ref('call', 'greeting') }),
      ],
    });
    await api['flows.save']({ flow: helper });
    expect((await api['flows.save']({ flow: main })).problems).toEqual([]);
    const { runId } = await api['runs.start']({ flowId: 'main', input: {} });
    expect(await finished(api, runId)).toMatchObject({ status: 'succeeded', output: { text: 'Hello Ana' } });
  });

  it('resumes a run that was stopped by closing the engine', async () => {
    const dbPath = path.join(tempDir(), 'resume.db');
    let api = await open(dbPath);
    const waiting = flow({
      id: 'waiting',
      nodes: [
        card('pause', 'control.waitFor', { amount: lit(0.3), unit: lit('seconds') }),
        card('done', 'control.return', { ok: lit(true) }),
      ],
    });
    await api['flows.save']({ flow: waiting });
    const { runId } = await api['runs.start']({ flowId: 'waiting', input: {} });
    await new Promise((r) => setTimeout(r, 50));
    await engine!.close();
    engine = undefined;
    api = await open(dbPath);
    expect(await finished(api, runId)).toMatchObject({ status: 'succeeded', output: { ok: true } });
  });

  it('lists the card catalog with every category', async () => {
    const api = await open();
    const catalog = await api['catalog.list']({});
    const categories = new Set(catalog.map((c) => c.category));
    expect([...categories].sort()).toEqual([
      'boolean',
      'branch',
      'connector',
      'control',
      'date',
      'identity',
      'json',
      'list',
      'number',
      'object',
      'table',
      'text',
    ]);
  });
});
