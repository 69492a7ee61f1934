import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type EngineApp } from '../../../src/engine/app.js';
import { createMemorySecretStore } from '../../../src/engine/secrets/secret-store.js';
import {
  redisConnection,
  runQueuedJob,
  runQueueWorker,
  startQueueProducer,
  type QueueProducer,
  type RunJobResult,
} from '../../../src/runner/queue/index.js';
import { startEffectEndpoint, type EffectEndpoint } from '../../fixtures/queue/effect-endpoint.js';
import { redisMissingReason, startRedis, type RedisServer } from '../../support/redis.js';
import { card, flow, lit, ref, tempDir, tpl } from '../../support/test-engine.js';

// Queue mode against a real Redis and real worker processes sharing one SQLite file.
const WORKER = path.resolve(import.meta.dirname, '../../fixtures/queue/worker.ts');
const RUNS = 1_000;

let redis: RedisServer;
let effects: EffectEndpoint;
let dir: string;
let dbPath: string;
let engine: EngineApp;

beforeAll(async () => {
  if (redisMissingReason) return;
  redis = await startRedis();
  effects = await startEffectEndpoint();
  dir = tempDir('flowstead-queue-');
  dbPath = path.join(dir, 'flowstead.db');
  engine = await openEngine({ dbPath, secrets: createMemorySecretStore(), resumeUnfinished: false });
  const { id: connection } = await engine.handlers['connections.save']({
    connector: 'http',
    name: 'Effect service',
    settings: { baseUrl: effects.url, authScheme: 'none' },
    secrets: {},
  });
  const trigger = { kind: 'manual' as const, inputs: [{ name: 'n', type: 'number' as const, required: true }] };
  await engine.handlers['flows.save']({
    flow: flow({
      id: 'effect',
      name: 'Apply an effect',
      trigger,
      nodes: [
        card('compose', 'text.compose', { text: tpl('effect {{trigger.n}}') }),
        // Keeps runs in flight long enough for a kill to land in the middle of some.
        card('pause', 'control.waitFor', { amount: lit(0.03), unit: lit('seconds') }),
        card('post', 'http.post', {
          connection: lit(connection),
          path: lit('/effect'),
          body: ref('compose', 'text'),
          bodyType: lit('text'),
        }),
        card('done', 'control.return', { text: ref('compose', 'text'), status: ref('post', 'status') }),
      ],
    }),
  });
  await engine.handlers['flows.save']({
    flow: flow({
      id: 'refused',
      name: 'Refused by the service',
      trigger,
      nodes: [
        card('post', 'http.post', { connection: lit(connection), path: lit('/fail'), body: lit({ x: 1 }) }),
        card('done', 'control.return', { status: ref('post', 'status') }),
      ],
    }),
  });
}, 30_000);

afterAll(async () => {
  await engine?.close();
  await effects?.close();
  await redis?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function runRows(): { id: string; status: string }[] {
  return engine.services.store.db.prepare('SELECT id, status FROM runs').all() as { id: string; status: string }[];
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The job once it has finished, read after its state so the return value is the final one. */
function finished(queue: Queue, runId: string) {
  return until(`job ${runId}`, async () => {
    const state = await queue.getJobState(runId);
    if (state !== 'completed' && state !== 'failed') return undefined;
    const job = await queue.getJob(runId);
    return job ? { job, state } : undefined;
  });
}

/** A bullmq Queue handle for looking at jobs the way an operator would. */
function inspect(queueName: string) {
  return new Queue(queueName, { connection: redisConnection(redis.url) });
}

describe.skipIf(redisMissingReason)('queue mode', () => {
  it('queues one job however often the same run id is enqueued', async () => {
    const producer = await startQueueProducer({ redisUrl: redis.url, engine, queueName: 'dedupe' });
    const queue = inspect('dedupe');
    try {
      const first = await producer.enqueue('effect', { n: 1 }, { runId: 'run-once' });
      const again = await producer.enqueue('effect', { n: 2 }, { runId: 'run-once' });
      const fresh = await producer.enqueue('effect', { n: 3 });
      expect(first.runId).toBe('run-once');
      expect(again.runId).toBe('run-once');
      expect(fresh.runId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await producer.counts()).waiting).toBe(2);
      const job = await queue.getJob('run-once');
      expect(job?.data).toEqual({ runId: 'run-once', flowId: 'effect', input: { n: 1 } });
      expect(job?.opts.attempts).toBeGreaterThan(1);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await producer.close();
    }
  });

  it('refuses to queue a run of an unknown flow or with a bad input', async () => {
    const producer = await startQueueProducer({ redisUrl: redis.url, engine, queueName: 'refuse' });
    try {
      await expect(producer.enqueue('nope', {})).rejects.toMatchObject({ code: 'FLOW_NOT_FOUND' });
      await expect(producer.enqueue('effect', {})).rejects.toMatchObject({ code: 'RUN_INPUT' });
      expect((await producer.counts()).waiting).toBe(0);
    } finally {
      await producer.close();
    }
  });

  it('answers a redelivered job for a finished run with its stored outcome, without running it again', async () => {
    const producer = await startQueueProducer({ redisUrl: redis.url, engine, queueName: 'redeliver' });
    const worker = await runQueueWorker({ redisUrl: redis.url, engine, concurrency: 2, queueName: 'redeliver' });
    const queue = inspect('redeliver');
    try {
      const { runId } = await producer.enqueue('effect', { n: -1 });
      const first = (await finished(queue, runId)).job.returnvalue as RunJobResult;
      expect(first).toMatchObject({ runId, status: 'succeeded', output: { text: 'effect -1', status: 200 } });
      const delivered = effects.deliveries();

      // The job is evicted (completed-job cap) and the same run is queued again: it must not run twice.
      await queue.remove(runId);
      await producer.enqueue('effect', { n: -1 }, { runId });
      const second = await finished(queue, runId);
      expect(second.state).toBe('completed');
      expect(second.job.returnvalue).toEqual(first);
      // And a delivery straight to the job handler (a worker whose lock lapsed) answers the same.
      expect(await runQueuedJob(engine, { runId, flowId: 'effect', input: { n: -1 } })).toEqual(first);
      expect(effects.deliveries()).toBe(delivered);
      expect(runRows().filter((r) => r.id === runId)).toHaveLength(1);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await producer.close();
    }
  });

  it('completes the job of a run that failed on its own logic, with status failed and no retry', async () => {
    const producer = await startQueueProducer({ redisUrl: redis.url, engine, queueName: 'logic' });
    const worker = await runQueueWorker({ redisUrl: redis.url, engine, concurrency: 1, queueName: 'logic' });
    const queue = inspect('logic');
    try {
      const { runId } = await producer.enqueue('refused', { n: 0 });
      const job = await finished(queue, runId);
      expect(job.state).toBe('completed');
      expect(job.job.attemptsMade).toBe(1);
      expect(job.job.returnvalue).toMatchObject({ runId, status: 'failed', output: null });
      expect((job.job.returnvalue as RunJobResult).error?.message).toBeTruthy();
      expect(engine.services.store.getRun(runId)?.status).toBe('failed');
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await producer.close();
    }
  });

  it('drains active runs on close before it lets go of Redis', async () => {
    const producer = await startQueueProducer({ redisUrl: redis.url, engine, queueName: 'drain' });
    const worker = await runQueueWorker({ redisUrl: redis.url, engine, concurrency: 3, queueName: 'drain' });
    const queue = inspect('drain');
    try {
      const runIds = await Promise.all([1, 2, 3].map((n) => producer.enqueue('effect', { n: -10 - n })));
      await until('active runs', async () => ((await producer.counts()).active > 0 ? true : undefined));
      await worker.close();
      const counts = await producer.counts();
      expect(counts.active).toBe(0);
      for (const { runId } of runIds) {
        const state = await queue.getJobState(runId);
        // Each job either finished before close returned or was never taken.
        expect(['completed', 'waiting']).toContain(state);
        if (state === 'completed') expect(engine.services.store.getRun(runId)?.status).toBe('succeeded');
        else expect(engine.services.store.getRun(runId)).toBeUndefined();
      }
      expect(counts.completed).toBeGreaterThan(0);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await producer.close();
    }
  });

  it(
    `runs ${RUNS} queued runs exactly once over two worker processes when one is killed half-way`,
    { timeout: 180_000 },
    async () => {
      const queueName = 'scale-out';
      const started = Date.now();
      const producer: QueueProducer = await startQueueProducer({ redisUrl: redis.url, engine, queueName });
      const workers: { child: ChildProcess; log: string[] }[] = [];
      const startWorker = async () => {
        const child = spawn(process.execPath, ['--import', 'tsx', WORKER, redis.url, dbPath, '10', queueName, '2000'], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: process.env,
        });
        const log: string[] = [];
        child.stderr!.on('data', (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean)));
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
          child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${log.join('\n')}`)));
        });
        workers.push({ child, log });
        return child;
      };
      const delivered0 = effects.deliveries();
      const applied0 = effects.applied.size;
      const duplicates0 = effects.duplicates();
      try {
        const runIds: string[] = [];
        for (let n = 0; n < RUNS; n += 50) {
          const batch = Array.from({ length: Math.min(50, RUNS - n) }, (_, i) =>
            producer.enqueue('effect', { n: n + i }),
          );
          runIds.push(...(await Promise.all(batch)).map((r) => r.runId));
        }
        const enqueuedMs = Date.now() - started;

        const victim = await startWorker();
        await startWorker();
        await until(
          'half of the runs',
          async () => ((await producer.counts()).completed >= RUNS / 2 ? true : undefined),
          90_000,
        );
        const inFlight = runRows().filter((r) => r.status === 'running').length;
        victim.kill('SIGKILL');
        const killedAt = await producer.counts();
        await startWorker();

        const counts = await until(
          'every run',
          async () => {
            const c = await producer.counts();
            return c.completed + c.failed >= RUNS ? c : undefined;
          },
          120_000,
        );
        const totalMs = Date.now() - started;

        const rows = runRows().filter((r) => runIds.includes(r.id));
        const ids = new Set(rows.map((r) => r.id));
        const appliedBodies = [...effects.applied.values()].slice(applied0);
        const stalls = workers.flatMap((w) => w.log).filter((line) => line.includes('"stalled"')).length;
        console.log(
          `queue: ${RUNS} runs in ${totalMs} ms (enqueue ${enqueuedMs} ms); killed a worker at ${killedAt.completed} completed ` +
            `with ${inFlight} runs in flight; ${stalls} jobs redelivered; effect deliveries ${effects.deliveries() - delivered0}, ` +
            `applied ${appliedBodies.length}, duplicates deduplicated by Idempotency-Key ${effects.duplicates() - duplicates0}`,
        );
        expect(counts).toMatchObject({ completed: RUNS, failed: 0 });
        // The kill landed on runs in flight, and their jobs went to the other workers.
        expect(stalls).toBeGreaterThan(0);
        expect(rows).toHaveLength(RUNS);
        expect(ids.size).toBe(RUNS);
        expect(rows.filter((r) => r.status !== 'succeeded')).toEqual([]);
        expect(effects.withoutKey()).toBe(0);
        expect(appliedBodies).toHaveLength(RUNS);
        expect(new Set(appliedBodies)).toEqual(new Set(Array.from({ length: RUNS }, (_, n) => `effect ${n}`)));
      } finally {
        await Promise.all(
          workers.map(
            ({ child }) =>
              new Promise<void>((resolve) => {
                if (child.exitCode !== null || child.signalCode !== null) return resolve();
                child.once('exit', () => resolve());
                child.kill('SIGTERM');
              }),
          ),
        );
        await producer.close();
      }
    },
  );
});
