import type { InputDescriptor } from '../cards/descriptor.js';
import { FlowsteadError } from '../errors.js';
import { compileExpression, compileTemplate } from '../expression/compile.js';
import type { ExpressionReference } from '../expression/index.js';
import { didYouMean } from '../expression/suggest.js';
import { coerceValue, describeType, describeValue, type ValueType } from '../values.js';
import type { ControlGraph } from './control-graph.js';
import { TRIGGER_NODE_ID, type Binding, type FlowDocument } from './schema.js';
import { cardLabel, quoteList, type IndexedCard, type ProblemList } from './validation-context.js';

/** Names a card evaluates per item in its own `expression` inputs (list filter, map, …). */
const PER_ITEM_NAMES: ReadonlySet<string> = new Set(['item', 'index']);

/** What the input checks of one flow share. */
export interface InputCheckScope {
  readonly flow: FlowDocument;
  readonly cards: ReadonlyMap<string, IndexedCard>;
  readonly graph: ControlGraph;
  readonly problems: ProblemList;
}

interface InputSite {
  readonly card: IndexedCard;
  readonly input: string;
  readonly path: (string | number)[];
  readonly who: string;
}

function site(card: IndexedCard, input: string): InputSite {
  return { card, input, path: ['nodes', card.index, 'inputs', input], who: `${cardLabel(card)}: input \`${input}\`` };
}

/** Checks every input of a card whose type is known: presence, names, literal types, formulas, references. */
export function checkCardInputs(scope: InputCheckScope, card: IndexedCard): void {
  const descriptor = card.descriptor;
  if (!descriptor) return;
  const bindings = card.node.inputs;
  const declared = new Map<string, InputDescriptor>(descriptor.inputs.map((i) => [i.name, i]));

  for (const input of descriptor.inputs) {
    const binding = Object.prototype.hasOwnProperty.call(bindings, input.name) ? bindings[input.name] : undefined;
    const empty = !binding || (binding.kind === 'literal' && binding.value === null);
    if (empty && input.required && input.default === undefined) {
      scope.problems.add(
        'MISSING_INPUT',
        card.node.id,
        ['nodes', card.index, 'inputs', input.name],
        `${cardLabel(card)}: input \`${input.name}\` is required. Type a value or bind it to an earlier card's output.`,
      );
    }
  }

  for (const [name, binding] of Object.entries(bindings)) {
    const input = declared.get(name);
    if (input) {
      checkBinding(scope, site(card, name), binding, input.type, input.options);
    } else if (descriptor.extraInputs) {
      checkBinding(scope, site(card, name), binding, descriptor.extraInputs.type, undefined);
    } else {
      scope.problems.add(
        'UNKNOWN_INPUT',
        card.node.id,
        ['nodes', card.index, 'inputs', name],
        `${cardLabel(card)} has no input \`${name}\`.${didYouMean(name, declared.keys())} Its inputs are ${quoteList([...declared.keys()])}; remove \`${name}\` or rename it.`,
      );
    }
  }
}

function checkBinding(
  scope: InputCheckScope,
  at: InputSite,
  binding: Binding,
  type: ValueType,
  options: readonly string[] | undefined,
): void {
  switch (binding.kind) {
    case 'literal':
      checkLiteral(scope, at, binding.value, type, options);
      return;
    case 'ref':
      checkReference(scope, at, { node: binding.node, path: binding.path }, false);
      return;
    case 'template':
      checkFormula(scope, at, () => compileTemplate(binding.text).references, false);
      return;
    case 'expr':
      checkFormula(scope, at, () => compileExpression(binding.source).references, false);
      return;
  }
}

function checkLiteral(
  scope: InputCheckScope,
  at: InputSite,
  value: unknown,
  type: ValueType,
  options: readonly string[] | undefined,
): void {
  const { card } = at;
  let coerced: unknown;
  try {
    coerced = coerceValue(value, type, { node: card.node.id, input: at.input });
  } catch (error) {
    if (!(error instanceof FlowsteadError)) throw error;
    scope.problems.add(
      'INPUT_TYPE',
      card.node.id,
      at.path,
      `${at.who} expects ${describeType(type)}, but the value typed in is ${describeValue(value)}. Enter ${describeType(type)}, or bind the input to another card's output.`,
    );
    return;
  }
  if (options && coerced !== null && coerced !== undefined && !options.includes(String(coerced))) {
    scope.problems.add(
      'INPUT_TYPE',
      card.node.id,
      at.path,
      `${at.who} is \`${String(coerced)}\`, which is not one of the choices. Pick one of ${quoteList(options)}.`,
    );
    return;
  }
  // A formula the card itself evaluates per item (filter conditions, sort keys): check it like any other.
  if (type === 'expression' && typeof coerced === 'string') {
    checkFormula(scope, at, () => compileExpression(coerced).references, true);
  }
}

function checkFormula(
  scope: InputCheckScope,
  at: InputSite,
  compile: () => readonly ExpressionReference[],
  perItem: boolean,
): void {
  let references: readonly ExpressionReference[];
  try {
    references = compile();
  } catch (error) {
    if (!(error instanceof FlowsteadError)) throw error;
    scope.problems.add(error.code, at.card.node.id, at.path, `${at.who}: ${error.message}`);
    return;
  }
  for (const reference of references) checkReference(scope, at, reference, perItem);
}

/** A reference must name the trigger or a card that runs earlier, and an output that card has. */
function checkReference(scope: InputCheckScope, at: InputSite, reference: ExpressionReference, perItem: boolean): void {
  const { card, who } = at;
  const id = card.node.id;
  const [first] = reference.path;
  if (reference.node === TRIGGER_NODE_ID) {
    const declared = scope.flow.trigger.inputs.map((f) => f.name);
    if (first !== undefined && !declared.includes(String(first))) {
      scope.problems.add(
        'REF_UNKNOWN_TRIGGER_INPUT',
        id,
        at.path,
        `${who} uses \`trigger.${String(first)}\`, but the trigger has no input \`${String(first)}\`.${didYouMean(String(first), declared)} Add it to the trigger's inputs or pick another value.`,
      );
    }
    return;
  }
  if (perItem && PER_ITEM_NAMES.has(reference.node)) return;
  const target = scope.cards.get(reference.node);
  if (!target) {
    const extra = perItem ? ' (`item` and `index` name the current list item)' : '';
    scope.problems.add(
      'REF_UNKNOWN_NODE',
      id,
      at.path,
      `${who} refers to card \`${reference.node}\`, which is not in this flow.${didYouMean(reference.node, scope.cards.keys())} Pick an existing card${extra}.`,
    );
    return;
  }
  if (!scope.graph.ancestors(id).has(reference.node)) {
    const self = reference.node === id;
    scope.problems.add(
      'REF_NOT_UPSTREAM',
      id,
      at.path,
      self
        ? `${who} refers to this card's own output, which does not exist yet when the card runs. Pick a value from an earlier card.`
        : `${who} refers to card \`${reference.node}\`, which does not run before this card. Connect ${reference.node} upstream of ${id} or pick another value.`,
    );
    return;
  }
  const descriptor = target.descriptor;
  if (!descriptor || descriptor.dynamicOutputs || first === undefined) return;
  const outputs = descriptor.outputs.map((o) => o.name);
  // A card that may fail without stopping the run (on-error continue or branch) also offers `error`.
  const onError = target.node.settings?.onError;
  if (onError === 'continue' || onError === 'branch') outputs.push('error');
  if (!outputs.includes(String(first))) {
    scope.problems.add(
      'REF_UNKNOWN_OUTPUT',
      id,
      at.path,
      `${who} uses \`${reference.node}.${String(first)}\`, but ${cardLabel(target)} has no output \`${String(first)}\`.${didYouMean(String(first), outputs)} Its outputs are ${quoteList(outputs)}.`,
    );
  }
}
