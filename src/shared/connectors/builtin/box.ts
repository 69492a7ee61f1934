import type { ConnectorDefinitionInput } from '../definition.js';
import { bodyInput, field, httpTuningFields, pathInput, secretField } from './build.js';

/** Box API 2.0 through a Client Credentials Grant app acting for the enterprise. */
export const boxConnector: ConnectorDefinitionInput = {
  id: 'box',
  name: 'Box',
  icon: '▣',
  description: 'Folders, collaborations and content transfer for leavers in Box.',
  baseUrl: '{{connection.baseUrl}}',
  fields: [
    field('baseUrl', 'API URL', { type: 'url', default: 'https://api.box.com' }),
    field('clientId', 'Client id'),
    secretField('clientSecret', 'Client secret'),
    field('enterpriseId', 'Enterprise id'),
    ...httpTuningFields,
  ],
  auth: {
    scheme: 'oauth2ClientCredentials',
    tokenUrl: '{{connection.baseUrl}}/oauth2/token',
    clientId: '{{connection.clientId}}',
    clientSecret: '{{connection.clientSecret}}',
    // Box's token endpoint reads client_id and client_secret from the form body, not a Basic header.
    clientAuth: 'body',
    extraParams: { box_subject_type: 'enterprise', box_subject_id: '{{connection.enterpriseId}}' },
  },
  errors: 'box',
  test: { method: 'GET', path: '/2.0/users?limit=1' },
  actions: [
    {
      name: 'createFolder',
      title: 'Create folder',
      method: 'POST',
      path: '/2.0/folders',
      inputs: [
        bodyInput('name', 'Folder name.'),
        bodyInput('parentId', 'Parent folder id (0 is the root).', { target: 'parent.id', default: '0' }),
      ],
      outputs: [
        { name: 'id', type: 'text', from: 'body.id', description: 'The new folder’s id.' },
        { name: 'folder', type: 'object', from: 'body', description: 'The folder.' },
      ],
    },
    {
      name: 'addCollaborator',
      title: 'Add collaborator',
      method: 'POST',
      path: '/2.0/collaborations',
      fixedBody: { item: { type: 'folder' }, accessible_by: { type: 'user' } },
      inputs: [
        bodyInput('folderId', 'The folder to share.', { target: 'item.id' }),
        bodyInput('email', 'The collaborator’s Box login.', { target: 'accessible_by.login' }),
        bodyInput('role', 'Their role.', {
          default: 'editor',
          options: ['editor', 'viewer', 'previewer', 'uploader', 'previewer uploader', 'viewer uploader', 'co-owner'],
        }),
      ],
      outputs: [{ name: 'id', type: 'text', from: 'body.id', description: 'The collaboration id.' }],
    },
    {
      name: 'transferContent',
      title: 'Transfer user’s content',
      description: 'Moves everything a user owns into a folder owned by another user (for leavers).',
      method: 'PUT',
      path: '/2.0/users/{fromUserId}/folders/0',
      inputs: [
        pathInput('fromUserId', 'The leaver’s Box user id.'),
        bodyInput('toUserId', 'The Box user id who receives the content.', { target: 'owned_by.id' }),
      ],
      outputs: [
        { name: 'id', type: 'text', from: 'body.id', description: 'The folder holding the moved content.' },
        { name: 'folder', type: 'object', from: 'body', description: 'That folder.' },
      ],
    },
  ],
};
