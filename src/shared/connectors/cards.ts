import type { CardDescriptor, InputDescriptor, OutputDescriptor } from '../cards/descriptor.js';
import { actionCardType, CONNECTION_INPUT, type ConnectorAction, type ConnectorDefinition } from './definition.js';

function titleOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function actionEffect(action: ConnectorAction): CardDescriptor['effect'] {
  if (action.effect) return action.effect;
  return action.method === 'GET' || action.method === 'HEAD' ? 'nondeterministic' : 'sideEffect';
}

/** One palette card per connector action; the first input picks the connection. */
export function connectorCardDescriptors(definition: ConnectorDefinition): CardDescriptor[] {
  const connector = { id: definition.id, name: definition.name, icon: definition.icon };
  return definition.actions.map((action) => {
    const connection: InputDescriptor = {
      name: CONNECTION_INPUT,
      title: 'Connection',
      type: 'connection',
      required: true,
      description: `The ${definition.name} connection to use (set up under Connections).`,
    };
    const inputs: InputDescriptor[] = action.inputs.map((input) => ({
      name: input.name,
      title: input.title ?? titleOf(input.name),
      type: input.type,
      required: input.required,
      description: input.description,
      ...(input.options ? { options: input.options } : {}),
      ...(input.default !== undefined ? { default: input.default } : {}),
      ...(input.multiline ? { multiline: true } : {}),
    }));
    const outputs: OutputDescriptor[] = action.outputs.map((output) => ({
      name: output.name,
      title: output.title ?? titleOf(output.name),
      type: output.type,
      description: output.description,
    }));
    if (action.paginate && !outputs.some((o) => o.name === 'items')) {
      outputs.push({ name: 'items', title: 'Items', type: 'list', description: 'Every item, from all pages.' });
    }
    return {
      type: actionCardType(definition.id, action.name),
      category: 'connector',
      connector,
      title: `${definition.name}: ${action.title}`,
      description: action.description || action.title,
      inputs: [connection, ...inputs],
      outputs,
      effect: actionEffect(action),
    } satisfies CardDescriptor;
  });
}
