import { jsonCards } from '../../shared/cards/catalog/json.js';
import { FlowsteadError } from '../../shared/errors.js';
import { implement } from './implement.js';
import { findJsonMistake } from './json-mistakes.js';

function parseError(text: string): FlowsteadError {
  if (text.trim() === '')
    return new FlowsteadError(
      'JSON_PARSE',
      'The text to parse is empty. Bind `text` to the JSON, e.g. a webhook body.',
      {
        position: 0,
      },
    );
  const mistake = findJsonMistake(text);
  // JSON.parse and the mistake finder disagree only on exotic input; say what we know without quoting the text.
  if (!mistake)
    return new FlowsteadError('JSON_PARSE', 'The text is not valid JSON. Check quotes, commas and brackets.', {});
  const { position, line, column, problem, hint } = mistake;
  return new FlowsteadError(
    'JSON_PARSE',
    `The text is not valid JSON: ${problem} at line ${line}, column ${column} (position ${position}). ${hint}`,
    { position, line, column },
  );
}

export const jsonImplementations = implement(jsonCards, {
  'json.parse': (i) => {
    const text = (i['text'] as string | undefined) ?? '';
    try {
      // JSON.parse keeps a "__proto__" field as plain data, so parsed input cannot reach prototypes.
      return { value: JSON.parse(text) as unknown };
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw parseError(text);
    }
  },
  'json.stringify': (i) => ({ text: JSON.stringify(i['value'] ?? null, null, i['pretty'] === true ? 2 : undefined) }),
});
