import type { CardDescriptor, InputDescriptor } from '../../shared/cards/descriptor.js';
import { FlowsteadError } from '../../shared/errors.js';
import { compileExpression, compileTemplate } from '../../shared/expression/compile.js';
import { TRIGGER_NODE_ID, type Binding, type CardSettings, type FlowDocument } from '../../shared/flow/schema.js';
import { coerceValue, type ValueType } from '../../shared/values.js';
import type { CardImplementation } from '../cards/types.js';

/** Card outputs by card id (and the trigger's inputs under `trigger`) within one frame. */
export type FrameValues = Record<string, unknown>;

type Resolver = (values: FrameValues) => unknown;

export interface PlannedInput {
  readonly name: string;
  readonly type: ValueType;
  readonly resolve: Resolver;
}

/** A card ready to run: its implementation, input resolvers and successors, all looked up once. */
export interface PlannedCard {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly impl: CardImplementation;
  readonly inputs: readonly PlannedInput[];
  readonly settings: CardSettings | undefined;
  /** The card has a retry policy or a timeout, so it runs through the slower guarded path. */
  readonly guarded: boolean;
  /** The card has no effect and always gives the same result for the same inputs. */
  readonly pure: boolean;
  /** The card's result is checkpointed: cards with effects of their own, or whose results vary. */
  readonly checkpointed: boolean;
  /**
   * The card's only effect is a synchronous write to our database: it runs in a savepoint of the
   * transaction that records its checkpoint, so the write happens exactly once.
   */
  readonly transactional: boolean;
  /**
   * The card has effects outside our database (connectors, waits …): what led to it is committed
   * before it runs, and its own checkpoint before the run moves on.
   */
  readonly external: boolean;
  readonly next: Readonly<Record<string, PlannedCard | null>>;
}

export interface FlowPlan {
  readonly flow: FlowDocument;
  readonly start: PlannedCard | null;
  readonly cards: ReadonlyMap<string, PlannedCard>;
  /**
   * Cards a loop over this flow tells about rows to come: those with a lookahead whose inputs are
   * all literals or the trigger's values, so a row's inputs for them are known before it runs.
   */
  readonly lookahead: readonly PlannedCard[];
}

export type ImplementationLookup = (type: string) => CardImplementation | undefined;

function ownValue(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(value, key)
    ? (value as Record<string | number, unknown>)[key]
    : undefined;
}

function refResolver(node: string, path: readonly (string | number)[]): Resolver {
  // Short paths are the common case; specialise them so a binding costs one or two property reads.
  if (path.length === 0) return (values) => values[node];
  if (path.length === 1) {
    const key = path[0] as string | number;
    return (values) => ownValue(values[node], key);
  }
  return (values) => {
    let current = values[node];
    for (const key of path) {
      current = ownValue(current, key);
      if (current === undefined) return undefined;
    }
    return current;
  };
}

function bindingResolver(binding: Binding): Resolver {
  switch (binding.kind) {
    case 'literal': {
      const value = binding.value;
      return () => value;
    }
    case 'ref':
      return refResolver(binding.node, binding.path);
    case 'template': {
      const template = compileTemplate(binding.text);
      return (values) => template.render(values);
    }
    case 'expr': {
      const expression = compileExpression(binding.source);
      return (values) => expression.evaluate(values);
    }
  }
}

function planInputs(node: FlowDocument['nodes'][number], descriptor: CardDescriptor): PlannedInput[] {
  const planned: PlannedInput[] = [];
  const declared = new Map<string, InputDescriptor>(descriptor.inputs.map((i) => [i.name, i]));
  for (const input of descriptor.inputs) {
    const binding = node.inputs[input.name];
    if (binding) planned.push({ name: input.name, type: input.type, resolve: bindingResolver(binding) });
    else if (input.default !== undefined) {
      const value = input.default;
      planned.push({ name: input.name, type: input.type, resolve: () => value });
    }
  }
  if (descriptor.extraInputs) {
    for (const [name, binding] of Object.entries(node.inputs)) {
      if (!declared.has(name))
        planned.push({ name, type: descriptor.extraInputs.type, resolve: bindingResolver(binding) });
    }
  }
  return planned;
}

/** An input left empty in the flow document: no binding, or a literal without a value. */
function isUnset(binding: Binding | undefined): boolean {
  if (binding === undefined) return true;
  if (binding.kind !== 'literal') return false;
  const value = binding.value;
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/**
 * Turns a flow document into a plan the executor walks without further look-ups.
 * The flow is assumed valid (the executor validates before it starts a run).
 */
export function planFlow(flow: FlowDocument, findImplementation: ImplementationLookup): FlowPlan {
  const cards = new Map<string, PlannedCard & { next: Record<string, PlannedCard | null> }>();
  for (const node of flow.nodes) {
    const impl = findImplementation(node.type);
    if (!impl) {
      throw new FlowsteadError('UNKNOWN_CARD_TYPE', `Card \`${node.id}\` has the unknown type \`${node.type}\`.`, {
        node: node.id,
      });
    }
    const guarded = Boolean(node.settings?.retry || node.settings?.timeoutMs);
    const checkpointed = impl.descriptor.effect !== 'pure' && impl.effectsInCalledFlows !== true;
    // A card that writes only when a setting is given (the claim table of a unique email) only reads without it.
    const writes =
      impl.descriptor.effect === 'sideEffect' &&
      !(impl.writesOnlyWith !== undefined && isUnset(node.inputs[impl.writesOnlyWith]));
    const transactional = writes && impl.transactional === true && !guarded;
    cards.set(node.id, {
      id: node.id,
      type: node.type,
      title: node.title ?? impl.descriptor.title,
      impl,
      inputs: planInputs(node, impl.descriptor),
      settings: node.settings,
      guarded,
      pure: impl.descriptor.effect === 'pure',
      checkpointed,
      transactional,
      external: checkpointed && writes && !transactional,
      next: {},
    });
  }
  const lookahead: PlannedCard[] = [];
  for (const node of flow.nodes) {
    const planned = cards.get(node.id);
    if (planned?.impl.lookahead !== undefined && Object.values(node.inputs).every(fromRow)) lookahead.push(planned);
  }
  let start: PlannedCard | null = null;
  for (const edge of flow.edges) {
    const target = cards.get(edge.target) ?? null;
    if (edge.source === TRIGGER_NODE_ID) start = target;
    else {
      const source = cards.get(edge.source);
      if (source) source.next[edge.sourceHandle] = target;
    }
  }
  return { flow, start, cards, lookahead };
}

/** A binding known once the row is: a literal, or a value of the trigger. */
function fromRow(binding: Binding): boolean {
  return binding.kind === 'literal' || (binding.kind === 'ref' && binding.node === TRIGGER_NODE_ID);
}

/** Resolves and coerces a card's inputs from the frame's values. */
export function resolveInputs(card: PlannedCard, values: FrameValues): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const input of card.inputs) {
    const raw = input.resolve(values);
    inputs[input.name] =
      input.type === 'any'
        ? raw
        : coerceValue(raw, input.type, { node: card.id, input: input.name, title: card.title });
  }
  return inputs;
}
