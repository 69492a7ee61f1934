import type { ConnectorDefinitionInput } from '../definition.js';
import { bodyInput, field, httpTuningFields, pathInput, queryInput, secretField } from './build.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const userId = pathInput('userId', 'The SCIM id of the user.');
const groupId = pathInput('groupId', 'The SCIM id of the group.');
const resource = (name: string) => ({ name, type: 'object', from: 'body', description: 'The SCIM resource.' }) as const;
const scimPages = {
  kind: 'offset',
  itemsPath: 'Resources',
  offsetParam: 'startIndex',
  limitParam: 'count',
  pageSize: 100,
  startAt: 1,
  totalPath: 'totalResults',
} as const;

/** SCIM 2.0 (RFC 7643 / 7644): the provisioning API many SaaS apps offer. */
export const scimConnector: ConnectorDefinitionInput = {
  id: 'scim',
  name: 'SCIM 2.0',
  icon: 'SC',
  description: 'Users and groups in any app with a SCIM 2.0 endpoint.',
  baseUrl: '{{connection.baseUrl}}',
  fields: [
    field('baseUrl', 'SCIM base URL', { type: 'url', description: 'e.g. https://app.example.com/scim/v2' }),
    secretField('token', 'Bearer token'),
    ...httpTuningFields,
  ],
  auth: { scheme: 'bearer', token: '{{connection.token}}' },
  errors: 'scim',
  test: { method: 'GET', path: '/Users?count=1' },
  actions: [
    {
      name: 'createUser',
      title: 'Create user',
      method: 'POST',
      path: '/Users',
      // RFC 7643 §4.1.2: emails are multi-valued, each with a type and at most one primary.
      fixedBody: { schemas: [USER_SCHEMA], active: true, emails: [{ type: 'work', primary: true }] },
      inputs: [
        bodyInput('userName', 'Unique user name, usually the email.'),
        bodyInput('givenName', 'First name.', { target: 'name.givenName' }),
        bodyInput('familyName', 'Last name.', { target: 'name.familyName' }),
        bodyInput('email', 'Work email.', { target: 'emails.0.value' }),
        bodyInput('attributes', 'Other SCIM attributes, e.g. {"title": "Engineer"}.', {
          type: 'object',
          required: false,
          target: '$',
        }),
      ],
      outputs: [
        { name: 'id', type: 'text', from: 'body.id', description: 'The new user’s SCIM id.' },
        resource('user'),
      ],
    },
    { name: 'getUser', title: 'Read user', path: '/Users/{userId}', inputs: [userId], outputs: [resource('user')] },
    {
      name: 'findUsers',
      title: 'Find users',
      description: 'Users matching a SCIM filter, all pages.',
      path: '/Users',
      inputs: [queryInput('filter', 'SCIM filter, e.g. userName eq "ana@example.com".')],
      paginate: scimPages,
      outputs: [],
    },
    {
      name: 'replaceUser',
      title: 'Replace user',
      method: 'PUT',
      path: '/Users/{userId}',
      // RFC 7643 §3: every resource names its schemas; the given resource may list others.
      fixedBody: { schemas: [USER_SCHEMA] },
      inputs: [userId, bodyInput('user', 'The whole user resource.', { type: 'object', target: '$' })],
      outputs: [resource('user')],
    },
    {
      name: 'patchUser',
      title: 'Change user (PATCH)',
      method: 'PATCH',
      path: '/Users/{userId}',
      fixedBody: { schemas: [PATCH_SCHEMA] },
      inputs: [
        userId,
        bodyInput('operations', 'PATCH operations: [{"op": "replace", "path": "title", "value": "Lead"}].', {
          type: 'list',
          target: 'Operations',
        }),
      ],
      outputs: [resource('user')],
    },
    {
      name: 'deactivateUser',
      title: 'Deactivate user',
      method: 'PATCH',
      path: '/Users/{userId}',
      fixedBody: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] },
      inputs: [userId],
      outputs: [resource('user')],
    },
    {
      name: 'deleteUser',
      title: 'Delete user',
      method: 'DELETE',
      path: '/Users/{userId}',
      inputs: [userId],
      outputs: [],
    },
    {
      name: 'createGroup',
      title: 'Create group',
      method: 'POST',
      path: '/Groups',
      fixedBody: { schemas: [GROUP_SCHEMA], members: [] },
      inputs: [bodyInput('displayName', 'Group name.')],
      outputs: [
        { name: 'id', type: 'text', from: 'body.id', description: 'The new group’s SCIM id.' },
        resource('group'),
      ],
    },
    {
      name: 'findGroups',
      title: 'Find groups',
      path: '/Groups',
      inputs: [queryInput('filter', 'SCIM filter, e.g. displayName eq "Sales".')],
      paginate: scimPages,
      outputs: [],
    },
    {
      name: 'addGroupMember',
      title: 'Add user to group',
      method: 'PATCH',
      path: '/Groups/{groupId}',
      fixedBody: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'members', value: [{}] }] },
      inputs: [groupId, bodyInput('userId', 'The SCIM id of the user.', { target: 'Operations.0.value.0.value' })],
      outputs: [],
    },
    {
      name: 'removeGroupMember',
      title: 'Remove user from group',
      method: 'PATCH',
      path: '/Groups/{groupId}',
      fixedBody: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove' }] },
      inputs: [
        groupId,
        bodyInput('userId', 'The SCIM id of the user.', {
          target: 'Operations.0.path',
          format: 'members[value eq "{value}"]',
        }),
      ],
      outputs: [],
    },
    {
      name: 'deleteGroup',
      title: 'Delete group',
      method: 'DELETE',
      path: '/Groups/{groupId}',
      inputs: [groupId],
      outputs: [],
    },
  ],
};
