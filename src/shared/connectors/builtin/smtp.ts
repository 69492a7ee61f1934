import type { ConnectorDefinitionInput } from '../definition.js';
import { field, secretField } from './build.js';

const input = (name: string, description: string, options: Record<string, unknown> = {}) =>
  ({ name, in: 'none', type: 'text', required: false, description, ...options }) as const;

/** Email through any SMTP server (Exchange, Microsoft 365, Google Workspace relay, Postfix). */
export const smtpConnector: ConnectorDefinitionInput = {
  id: 'smtp',
  name: 'Email (SMTP)',
  icon: '✉',
  description: 'Sends email with HTML or text bodies and CSV attachments.',
  baseUrl: 'smtp://{{connection.host}}',
  fields: [
    field('host', 'SMTP server', { description: 'e.g. smtp.office365.com' }),
    field('port', 'Port', { type: 'number', default: 587 }),
    field('security', 'Security', { options: ['starttls', 'tls', 'none'], default: 'starttls' }),
    field('username', 'User name', { required: false }),
    { ...secretField('password', 'Password'), required: false },
    field('from', 'From address', { description: 'e.g. IT Service Desk <it@example.com>' }),
    field('caCert', 'CA certificate (PEM)', { required: false }),
  ],
  actions: [
    {
      name: 'sendEmail',
      title: 'Send email',
      kind: 'code',
      effect: 'sideEffect',
      description: 'Sends one message; add a CSV attachment from a list of rows.',
      inputs: [
        input('to', 'Recipients: one address, or several separated by commas.', { required: true }),
        input('cc', 'Copy to.'),
        input('bcc', 'Blind copy to.'),
        input('subject', 'Subject line.', { required: true }),
        input('text', 'Plain-text body.', { multiline: true }),
        input('html', 'HTML body.', { multiline: true }),
        input('csvRows', 'Rows for a CSV attachment (a list of objects).', { type: 'list' }),
        input('csvFilename', 'The attachment’s file name.', { default: 'report.csv' }),
      ],
      outputs: [
        { name: 'messageId', type: 'text', from: 'messageId', description: 'The Message-ID header.' },
        { name: 'accepted', type: 'list', from: 'accepted', description: 'Recipients the server accepted.' },
      ],
    },
  ],
};
