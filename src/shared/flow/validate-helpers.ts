import { didYouMean } from '../expression/suggest.js';
import type { FlowDocument } from './schema.js';
import {
  cardLabel,
  quoteList,
  type IndexedCard,
  type ProblemList,
  type ValidationContext,
} from './validation-context.js';

/** Cards that run a helper flow and pass their extra inputs on as the helper's trigger inputs. */
const HELPER_CALLERS: ReadonlySet<string> = new Set(['control.callFlow', 'control.ifError', 'list.forEach']);
/** list.forEach hands each helper run these inputs itself. */
const FOR_EACH_INPUTS: ReadonlySet<string> = new Set(['item', 'index']);

/** The helper flow id typed into a card's `flow` input, with the input's name; dynamic choices are not checked. */
function chosenHelper(card: IndexedCard): { input: string; flowId: string } | undefined {
  for (const input of card.descriptor?.inputs ?? []) {
    if (input.type !== 'flow') continue;
    const binding = Object.prototype.hasOwnProperty.call(card.node.inputs, input.name)
      ? card.node.inputs[input.name]
      : undefined;
    const value = binding ? (binding.kind === 'literal' ? binding.value : undefined) : input.default;
    if (typeof value === 'string' && value !== '') return { input: input.name, flowId: value };
  }
  return undefined;
}

/** Checks that a card's helper flow exists, is a helper, and gets exactly the inputs it declares. */
export function checkHelperFlow(card: IndexedCard, context: ValidationContext, problems: ProblemList): void {
  const chosen = chosenHelper(card);
  if (!chosen) return;
  const id = card.node.id;
  const inputPath = ['nodes', card.index, 'inputs', chosen.input];
  let helper: FlowDocument | undefined;
  try {
    helper = context.findFlow(chosen.flowId);
  } catch {
    helper = undefined;
  }
  if (!helper) {
    problems.add(
      'HELPER_NOT_FOUND',
      id,
      inputPath,
      `${cardLabel(card)}: input \`${chosen.input}\` names the flow \`${chosen.flowId}\`, which does not exist. Pick an existing helper flow, or create and save it first.`,
    );
    return;
  }
  if (helper.trigger.kind !== 'helper') {
    problems.add(
      'NOT_A_HELPER',
      id,
      inputPath,
      `${cardLabel(card)}: input \`${chosen.input}\` names the flow \`${helper.name}\` (${helper.id}), whose trigger is \`${helper.trigger.kind}\`. Only flows started by "called by another flow" can be called; change that flow's trigger or pick a helper flow.`,
    );
    return;
  }
  if (!card.descriptor || !HELPER_CALLERS.has(card.node.type)) return;

  const declared = new Set(card.descriptor.inputs.map((i) => i.name));
  const automatic = card.node.type === 'list.forEach' ? FOR_EACH_INPUTS : new Set<string>();
  const helperInputs = helper.trigger.inputs;
  const helperNames = helperInputs.map((f) => f.name);
  const passed = Object.keys(card.node.inputs).filter((name) => !declared.has(name));

  // Without extraInputs the names were already reported as UNKNOWN_INPUT; say it once.
  if (card.descriptor.extraInputs) {
    for (const name of passed) {
      if (automatic.has(name)) {
        problems.add(
          'HELPER_INPUT_UNKNOWN',
          id,
          ['nodes', card.index, 'inputs', name],
          `${cardLabel(card)}: input \`${name}\` is set by the loop itself for each item. Remove \`${name}\` here.`,
        );
      } else if (!helperNames.includes(name)) {
        problems.add(
          'HELPER_INPUT_UNKNOWN',
          id,
          ['nodes', card.index, 'inputs', name],
          `${cardLabel(card)}: input \`${name}\` is not an input of the helper flow \`${helper.name}\`.${didYouMean(name, helperNames)} Its inputs are ${quoteList(helperNames)}; remove \`${name}\` or add it to the helper's trigger.`,
        );
      }
    }
  }
  const missing = helperInputs
    .filter((f) => f.required && !automatic.has(f.name) && !passed.includes(f.name))
    .map((f) => f.name);
  if (missing.length > 0) {
    problems.add(
      'HELPER_INPUT_MISSING',
      id,
      ['nodes', card.index, 'inputs'],
      `${cardLabel(card)}: the helper flow \`${helper.name}\` requires ${missing.length === 1 ? 'the input' : 'the inputs'} ${quoteList(missing)}. Add ${missing.length === 1 ? 'it' : 'them'} to this card.`,
    );
  }
}
