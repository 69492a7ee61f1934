import { jsonCards } from '../../shared/cards/catalog/json.js';
import { FlowsteadError } from '../../shared/errors.js';
import { implement } from './implement.js';

export const jsonImplementations = implement(jsonCards, {
  'json.parse': (i) => {
    const text = (i['text'] as string | undefined) ?? '';
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (error) {
      const detail = (error as Error).message;
      throw new FlowsteadError(
        'JSON_PARSE',
        `The text is not valid JSON (${detail}). Check quotes, commas and brackets near that position.`,
        { detail },
      );
    }
  },
  'json.stringify': (i) => ({ text: JSON.stringify(i['value'] ?? null, null, i['pretty'] === true ? 2 : undefined) }),
});
