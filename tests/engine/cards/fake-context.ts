import { expect } from 'vitest';
import { CARD_IMPLEMENTATIONS } from '../../../src/engine/cards/registry.js';
import type {
  CardContext,
  CardInputs,
  CardOutputs,
  CardResult,
  CardServices,
  ForEachOptions,
  ForEachResult,
} from '../../../src/engine/cards/types.js';

export const FIXED_NOW = new Date('2026-03-07T12:00:00Z');

export interface FakeContext extends CardContext {
  readonly calls: {
    callFlow: { flowId: string; inputs: CardInputs }[];
    forEach: { flowId: string; items: readonly unknown[]; options: ForEachOptions }[];
    remember: string[];
    sleepUntil: Date[];
  };
  /** Run notes by kind (`noteForRun` adds, `runNotes` reads). */
  readonly notes: Map<string, unknown[]>;
  /** Aborts the run's signal, as a cancel would. */
  abort(): void;
}

export interface FakeContextOptions {
  now?: Date;
  /** Values returned by random(), in turn (repeating the last). Default 0.5. */
  random?: number[];
  callFlow?: (flowId: string, inputs: CardInputs) => Promise<CardOutputs> | CardOutputs;
  forEach?: (
    flowId: string,
    items: readonly unknown[],
    options: ForEachOptions,
  ) => Promise<ForEachResult> | ForEachResult;
  /** Values already remembered by an earlier attempt (a replay after a restart). */
  remembered?: Record<string, unknown>;
  /** Run notes from before (a resumed run). */
  notes?: Record<string, unknown[]>;
}

/** A deterministic CardContext that records the calls a card makes. */
export function fakeContext(options: FakeContextOptions = {}): FakeContext {
  const controller = new AbortController();
  const now = options.now ?? FIXED_NOW;
  const randoms = options.random ?? [0.5];
  let draw = 0;
  const remembered = new Map<string, unknown>(Object.entries(options.remembered ?? {}));
  const calls: FakeContext['calls'] = { callFlow: [], forEach: [], remember: [], sleepUntil: [] };
  const notes = new Map<string, unknown[]>(Object.entries(options.notes ?? {}).map(([k, v]) => [k, [...v]]));
  return {
    notes,
    runId: 'run-1',
    nodeId: 'node-1',
    stepKey: 'run-1//node-1',
    signal: controller.signal,
    calls,
    abort: () => controller.abort(),
    now: () => new Date(now.getTime()),
    random: () => randoms[Math.min(draw++, randoms.length - 1)] as number,
    callFlow: async (flowId, inputs) => {
      calls.callFlow.push({ flowId, inputs });
      return options.callFlow ? await options.callFlow(flowId, inputs) : {};
    },
    forEach: async (flowId, items, forEachOptions) => {
      calls.forEach.push({ flowId, items, options: forEachOptions });
      return options.forEach
        ? await options.forEach(flowId, items, forEachOptions)
        : { results: items.map((item, index) => ({ item, index })), errors: [] };
    },
    remember: <T>(key: string, compute: () => T): Promise<T> => {
      calls.remember.push(key);
      if (!remembered.has(key)) remembered.set(key, compute());
      return Promise.resolve(remembered.get(key) as T);
    },
    noteForRun: (kind, value) => {
      const list = notes.get(kind);
      if (list) list.push(value);
      else notes.set(kind, [value]);
    },
    runNotes: (kind) => [...(notes.get(kind) ?? [])],
    sleepUntil: (when) => {
      calls.sleepUntil.push(when);
      return Promise.resolve();
    },
    services: {} as CardServices,
  };
}

/** Inputs as the executor passes them: descriptor defaults for declared inputs left out. */
export function withDefaults(type: string, inputs: CardInputs): CardInputs {
  const impl = CARD_IMPLEMENTATIONS.get(type);
  if (!impl) throw new Error(`No implementation for ${type}`);
  const filled: CardInputs = {};
  for (const input of impl.descriptor.inputs)
    if (!(input.name in inputs) && input.default !== undefined) filled[input.name] = input.default;
  return { ...filled, ...inputs };
}

/** Runs a built-in card the way the executor does (defaults applied). */
export async function runCard(
  type: string,
  inputs: CardInputs = {},
  ctx: CardContext = fakeContext(),
): Promise<CardResult> {
  const impl = CARD_IMPLEMENTATIONS.get(type);
  if (!impl) throw new Error(`No implementation for ${type}`);
  return impl.run(withDefaults(type, inputs), ctx);
}

/** Runs a card that returns plain outputs. */
export async function outputs(type: string, inputs: CardInputs = {}, ctx?: CardContext): Promise<CardOutputs> {
  return (await runCard(type, inputs, ctx)) as CardOutputs;
}

/** Matcher for a FlowsteadError with the given code. */
export const code = (value: string) => expect.objectContaining({ code: value }) as unknown;
