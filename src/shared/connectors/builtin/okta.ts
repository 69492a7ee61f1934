import type { ConnectorDefinitionInput } from '../definition.js';
import { bodyInput, field, httpTuningFields, pathInput, queryInput, secretField } from './build.js';

const userId = pathInput('userId', 'The user’s Okta id or login (e.g. ana@example.com).');
const groupId = pathInput('groupId', 'The group’s Okta id.');
const appId = pathInput('appId', 'The app’s Okta id (Applications › the app › General).');
const user = { name: 'user', type: 'object', from: 'body', description: 'The Okta user object.' } as const;
const lifecycle = (name: string, title: string, operation: string, description: string) => ({
  name,
  title,
  description,
  method: 'POST' as const,
  path: `/api/v1/users/{userId}/lifecycle/${operation}`,
  inputs: [userId],
  outputs: [{ name: 'status', type: 'number' as const, from: 'status', description: 'The HTTP status.' }],
});

/** Okta Management API v1, with an API token (SSWS) and Okta's rate-limit headers. */
export const oktaConnector: ConnectorDefinitionInput = {
  id: 'okta',
  name: 'Okta',
  icon: 'OK',
  description: 'Users, groups, app assignments and the system log of an Okta org.',
  baseUrl: '{{connection.orgUrl}}',
  fields: [
    field('orgUrl', 'Org URL', { type: 'url', description: 'e.g. https://acme.okta.com' }),
    secretField('apiToken', 'API token', 'Security › API › Tokens in the Okta admin console.'),
    ...httpTuningFields,
  ],
  auth: { scheme: 'bearer', prefix: 'SSWS', token: '{{connection.apiToken}}' },
  errors: 'okta',
  rateLimit: 'okta',
  test: { method: 'GET', path: '/api/v1/users?limit=1' },
  actions: [
    {
      name: 'createUser',
      title: 'Create user',
      description: 'Creates a user, activated unless Activate is off.',
      method: 'POST',
      path: '/api/v1/users',
      inputs: [
        bodyInput('firstName', 'First name.', { target: 'profile.firstName' }),
        bodyInput('lastName', 'Last name.', { target: 'profile.lastName' }),
        bodyInput('email', 'Primary email.', { target: 'profile.email' }),
        bodyInput('login', 'Login, usually the email.', { target: 'profile.login' }),
        bodyInput('profile', 'Other profile attributes (department, title, …).', {
          type: 'object',
          required: false,
          target: 'profile',
        }),
        queryInput('activate', 'Activate the user now.', { type: 'boolean', default: true }),
      ],
      outputs: [
        { name: 'id', type: 'text', from: 'body.id', description: 'The new user’s id.' },
        { name: 'status', type: 'text', from: 'body.status', description: 'ACTIVE, STAGED or PROVISIONED.' },
        user,
      ],
    },
    {
      name: 'getUser',
      title: 'Read user',
      description: 'Reads a user by id or login.',
      path: '/api/v1/users/{userId}',
      inputs: [userId],
      outputs: [
        { name: 'id', type: 'text', from: 'body.id', description: 'The user’s id.' },
        { name: 'status', type: 'text', from: 'body.status', description: 'The user’s status.' },
        { name: 'profile', type: 'object', from: 'body.profile', description: 'The user’s profile.' },
        user,
      ],
    },
    {
      name: 'updateProfile',
      title: 'Update profile',
      description: 'Changes the given profile attributes and keeps the others.',
      method: 'POST',
      path: '/api/v1/users/{userId}',
      inputs: [userId, bodyInput('profile', 'Attributes to change, e.g. {"department": "Sales"}.', { type: 'object' })],
      outputs: [user],
    },
    {
      name: 'listUsers',
      title: 'List users',
      description: 'Lists or searches users, all pages.',
      path: '/api/v1/users',
      inputs: [
        queryInput('search', 'Okta search expression, e.g. profile.department eq "Sales".'),
        queryInput('q', 'Simple lookup on first name, last name or email.'),
        queryInput('limit', 'Page size.', { type: 'number', default: 200 }),
      ],
      paginate: { kind: 'link' },
      outputs: [],
    },
    lifecycle('activateUser', 'Activate user', 'activate', 'Activates a staged or deprovisioned user.'),
    lifecycle('deactivateUser', 'Deactivate user', 'deactivate', 'Deactivates a user (they can no longer sign in).'),
    lifecycle('suspendUser', 'Suspend user', 'suspend', 'Suspends an active user.'),
    lifecycle('unsuspendUser', 'Unsuspend user', 'unsuspend', 'Returns a suspended user to active.'),
    lifecycle('expirePassword', 'Expire password', 'expire_password', 'Makes the user change their password.'),
    {
      name: 'deleteUser',
      title: 'Delete user',
      description:
        'Deletes a deactivated user. Okta deactivates an active user on the first call: call twice to delete.',
      method: 'DELETE',
      path: '/api/v1/users/{userId}',
      inputs: [userId],
      outputs: [{ name: 'status', type: 'number', from: 'status', description: 'The HTTP status.' }],
    },
    {
      name: 'createGroup',
      title: 'Create group',
      method: 'POST',
      path: '/api/v1/groups',
      inputs: [
        bodyInput('name', 'Group name.', { target: 'profile.name' }),
        bodyInput('description', 'What the group is for.', { target: 'profile.description', required: false }),
      ],
      outputs: [
        { name: 'id', type: 'text', from: 'body.id', description: 'The new group’s id.' },
        { name: 'group', type: 'object', from: 'body', description: 'The Okta group object.' },
      ],
    },
    {
      name: 'searchGroups',
      title: 'Search groups',
      path: '/api/v1/groups',
      inputs: [
        queryInput('q', 'Group name starts with.'),
        queryInput('search', 'Okta search expression.'),
        queryInput('limit', 'Page size.', { type: 'number', default: 200 }),
      ],
      paginate: { kind: 'link' },
      outputs: [],
    },
    {
      name: 'addGroupMember',
      title: 'Add user to group',
      method: 'PUT',
      path: '/api/v1/groups/{groupId}/users/{userId}',
      inputs: [groupId, userId],
      outputs: [],
    },
    {
      name: 'removeGroupMember',
      title: 'Remove user from group',
      method: 'DELETE',
      path: '/api/v1/groups/{groupId}/users/{userId}',
      inputs: [groupId, userId],
      outputs: [],
    },
    {
      name: 'listGroupMembers',
      title: 'List group members',
      path: '/api/v1/groups/{groupId}/users',
      inputs: [groupId, queryInput('limit', 'Page size.', { type: 'number', default: 200 })],
      paginate: { kind: 'link' },
      outputs: [],
    },
    {
      name: 'assignApp',
      title: 'Assign user to app',
      method: 'POST',
      path: '/api/v1/apps/{appId}/users',
      fixedBody: { scope: 'USER' },
      inputs: [appId, bodyInput('userId', 'The user’s Okta id.', { target: 'id' })],
      outputs: [{ name: 'assignment', type: 'object', from: 'body', description: 'The app user.' }],
    },
    {
      name: 'unassignApp',
      title: 'Unassign user from app',
      method: 'DELETE',
      path: '/api/v1/apps/{appId}/users/{userId}',
      inputs: [appId, userId],
      outputs: [],
    },
    {
      name: 'listUserApps',
      title: 'List user’s apps',
      path: '/api/v1/apps',
      inputs: [
        queryInput('userId', 'The user’s Okta id.', {
          required: true,
          target: 'filter',
          format: 'user.id eq "{value}"',
        }),
      ],
      paginate: { kind: 'link' },
      outputs: [],
    },
    {
      name: 'querySystemLog',
      title: 'Query system log',
      path: '/api/v1/logs',
      inputs: [
        queryInput('since', 'Oldest event (ISO 8601).', { type: 'date' }),
        queryInput('until', 'Newest event (ISO 8601).', { type: 'date' }),
        queryInput('filter', 'Okta filter, e.g. eventType eq "user.session.start".'),
        queryInput('q', 'Keywords.'),
        queryInput('limit', 'Page size.', { type: 'number', default: 100 }),
      ],
      paginate: { kind: 'link' },
      outputs: [],
    },
  ],
};
