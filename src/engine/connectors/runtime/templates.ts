import { FlowsteadError } from '../../../shared/errors.js';

const PLACEHOLDER = /\{\{\s*connection\.([A-Za-z0-9_]+)\s*\}\}/g;

/** Fills `{{connection.field}}` placeholders of a connector definition from a connection's values. */
export function fillConnectionTemplate(
  template: string,
  values: Record<string, string | number | boolean>,
  where: string,
): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      throw new FlowsteadError(
        'CONNECTION_FIELD_MISSING',
        `The connection has no value for \`${name}\`, which ${where} needs. Edit the connection and fill it in.`,
        { field: name },
      );
    }
    return String(value);
  });
}
