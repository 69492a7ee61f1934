import type { ActionInput, ConnectionField } from '../definition.js';

type InputOptions = Partial<Omit<ActionInput, 'name' | 'in'>>;

/** Short builders keep the built-in connector files readable as data. */
export const pathInput = (name: string, description: string, options: InputOptions = {}) =>
  ({ name, in: 'path', type: 'text', required: true, description, ...options }) as const;

export const queryInput = (name: string, description: string, options: InputOptions = {}) =>
  ({ name, in: 'query', type: 'text', required: false, description, ...options }) as const;

export const bodyInput = (name: string, description: string, options: InputOptions = {}) =>
  ({ name, in: 'body', type: 'text', required: true, description, ...options }) as const;

export const field = (name: string, title: string, options: Partial<ConnectionField> = {}) =>
  ({ name, title, type: 'text', secret: false, required: true, description: '', ...options }) as const;

export const secretField = (name: string, title: string, description = '') =>
  ({ name, title, type: 'text', secret: true, required: true, description }) as const;

/** Per-connection HTTP tuning every HTTP connector offers; empty means the defaults (30 s, 4 at a time). */
export const httpTuningFields = [
  {
    name: 'timeoutSeconds',
    title: 'Timeout (seconds)',
    type: 'number',
    secret: false,
    required: false,
    description: 'How long one request may take before it fails; default 30.',
  },
  {
    name: 'maxConcurrency',
    title: 'Requests at the same time',
    type: 'number',
    secret: false,
    required: false,
    description: 'The most requests this connection sends at once; default 4.',
  },
] as const;
