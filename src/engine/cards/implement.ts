import { findDescriptor } from '../../shared/cards/catalog.js';
import type { CardDescriptor } from '../../shared/cards/descriptor.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { CardImplementation } from './types.js';

/**
 * Pairs each descriptor of a category with its run function, failing at start-up when one is
 * missing, so a descriptor without an implementation (or the reverse) cannot ship.
 */
export function implement(
  descriptors: readonly CardDescriptor[],
  runs: Record<string, CardImplementation['run']>,
  options: {
    transactional?: readonly string[];
    effectsInCalledFlows?: readonly string[];
    /** Card type → the input without which the card writes nothing. */
    writesOnlyWith?: Readonly<Record<string, string>>;
    /** Card type → what it does with rows to come (see CardImplementation.lookahead). */
    lookahead?: Readonly<Record<string, NonNullable<CardImplementation['lookahead']>>>;
  } = {},
): CardImplementation[] {
  const names = new Set(descriptors.map((d) => d.type));
  for (const type of Object.keys(runs)) {
    if (!names.has(type)) throw new FlowsteadError('INTERNAL', `Card implementation ${type} has no descriptor.`);
  }
  return descriptors.map((descriptor) => {
    const run = runs[descriptor.type];
    if (!run) throw new FlowsteadError('INTERNAL', `Card ${descriptor.type} has no implementation.`);
    const implementation: { -readonly [K in keyof CardImplementation]: CardImplementation[K] } = { descriptor, run };
    if (options.transactional?.includes(descriptor.type)) implementation.transactional = true;
    if (options.effectsInCalledFlows?.includes(descriptor.type)) implementation.effectsInCalledFlows = true;
    const writesWith = options.writesOnlyWith?.[descriptor.type];
    if (writesWith !== undefined) implementation.writesOnlyWith = writesWith;
    const lookahead = options.lookahead?.[descriptor.type];
    if (lookahead !== undefined) implementation.lookahead = lookahead;
    return implementation;
  });
}

/** Values of a card's extra inputs (those not declared by its descriptor), in order. */
const declaredInputs = new Map<string, ReadonlySet<string>>();

function declaredOf(type: string): ReadonlySet<string> {
  let declared = declaredInputs.get(type);
  if (!declared) declaredInputs.set(type, (declared = new Set(findDescriptor(type)?.inputs.map((i) => i.name))));
  return declared;
}

export function extraValues(type: string, inputs: Record<string, unknown>): [string, unknown][] {
  const declared = declaredOf(type);
  const extra: [string, unknown][] = [];
  for (const name in inputs) if (!declared.has(name)) extra.push([name, inputs[name]]);
  return extra;
}

/** The same as an object (a Return card's outputs, once per flow run). */
export function extraInputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const declared = declaredOf(type);
  const extra: Record<string, unknown> = {};
  for (const name in inputs) if (!declared.has(name)) extra[name] = inputs[name];
  return extra;
}
