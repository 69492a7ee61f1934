import { CONNECTION_INPUT } from '../connectors/definition.js';
import { cardLabel, type IndexedCard, type ProblemList, type ValidationContext } from './validation-context.js';

/** A connector card must name a saved connection of its own connector; the canvas shows it otherwise. */
export function checkConnection(card: IndexedCard, context: ValidationContext, problems: ProblemList): void {
  const connector = card.descriptor?.connector;
  if (!connector || !context.findConnection) return;
  const binding = card.node.inputs[CONNECTION_INPUT];
  // Missing entirely is reported by the required-input check; formulas are resolved at run time.
  if (!binding || binding.kind !== 'literal' || typeof binding.value !== 'string' || binding.value === '') return;
  const path = ['nodes', card.index, 'inputs', CONNECTION_INPUT];
  const connection = context.findConnection(binding.value);
  if (!connection) {
    problems.add(
      'CONNECTION_NOT_FOUND',
      card.node.id,
      path,
      `${cardLabel(card)}: its ${connector.name} connection \`${binding.value}\` does not exist (deleted, or the flow came from another machine). Pick or create a ${connector.name} connection.`,
    );
  } else if (connection.connector !== connector.id) {
    problems.add(
      'CONNECTION_WRONG_CONNECTOR',
      card.node.id,
      path,
      `${cardLabel(card)}: connection \`${connection.name}\` is a ${connection.connector} connection; pick a ${connector.name} connection.`,
    );
  }
}
