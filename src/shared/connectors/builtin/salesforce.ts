import type { ConnectorDefinitionInput } from '../definition.js';
import { bodyInput, field, httpTuningFields, pathInput, queryInput, secretField } from './build.js';

const API = '/services/data/v60.0';

/** Salesforce REST API with the OAuth 2.0 client credentials flow of a connected app. */
export const salesforceConnector: ConnectorDefinitionInput = {
  id: 'salesforce',
  name: 'Salesforce',
  icon: '☁',
  description: 'Create and update records and run SOQL queries.',
  baseUrl: '{{connection.instanceUrl}}',
  fields: [
    field('instanceUrl', 'My Domain URL', { type: 'url', description: 'e.g. https://acme.my.salesforce.com' }),
    field('clientId', 'Consumer key'),
    secretField('clientSecret', 'Consumer secret'),
    ...httpTuningFields,
  ],
  auth: {
    scheme: 'oauth2ClientCredentials',
    tokenUrl: '{{connection.instanceUrl}}/services/oauth2/token',
    clientId: '{{connection.clientId}}',
    clientSecret: '{{connection.clientSecret}}',
    // The client credentials flow posts client_id and client_secret as form fields of the token request.
    clientAuth: 'body',
  },
  errors: 'salesforce',
  test: { method: 'GET', path: `${API}/query?q=SELECT+Id+FROM+User+LIMIT+1` },
  actions: [
    {
      name: 'createRecord',
      title: 'Create record',
      method: 'POST',
      path: `${API}/sobjects/{objectType}`,
      inputs: [
        pathInput('objectType', 'Object API name, e.g. Contact or User.'),
        bodyInput('fields', 'Field values, e.g. {"LastName": "Novak"}.', { type: 'object', target: '$' }),
      ],
      outputs: [{ name: 'id', type: 'text', from: 'body.id', description: 'The new record’s id.' }],
    },
    {
      name: 'updateRecord',
      title: 'Update record',
      method: 'PATCH',
      path: `${API}/sobjects/{objectType}/{recordId}`,
      inputs: [
        pathInput('objectType', 'Object API name.'),
        pathInput('recordId', 'The record id.'),
        bodyInput('fields', 'Fields to change.', { type: 'object', target: '$' }),
      ],
      outputs: [],
    },
    {
      name: 'query',
      title: 'SOQL query',
      description: 'Runs a SOQL query and returns every record, all batches.',
      path: `${API}/query`,
      inputs: [
        queryInput('soql', 'e.g. SELECT Id, Email FROM User WHERE IsActive = true', { required: true, target: 'q' }),
      ],
      paginate: { kind: 'nextUrl', itemsPath: 'records', nextUrlPath: 'nextRecordsUrl' },
      outputs: [],
    },
  ],
};
