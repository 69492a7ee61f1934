import type { ConnectorDefinitionInput } from '../definition.js';

type Action = ConnectorDefinitionInput['actions'][number];
type Input = NonNullable<Action['inputs']>[number];
type Output = NonNullable<Action['outputs']>[number];
import { field, secretField } from './build.js';

const input = (name: string, description: string, options: Partial<Input> = {}): Input => ({
  name,
  in: 'none',
  type: 'text',
  required: true,
  description,
  ...options,
});
const dn = input('dn', 'Distinguished name, e.g. CN=Ana Novak,OU=People,DC=example,DC=com.');
const action = (name: string, title: string, description: string, inputs: Input[], outputs: Output[] = []): Action => ({
  name,
  title,
  description,
  kind: 'code',
  inputs,
  outputs,
  effect: 'sideEffect',
});

/** Active Directory or any LDAP v3 directory, over LDAP with StartTLS-free LDAPS for passwords. */
export const ldapConnector: ConnectorDefinitionInput = {
  id: 'ldap',
  name: 'Active Directory / LDAP',
  icon: 'AD',
  description: 'Search, create, change, enable / disable, move and group membership in AD or LDAP.',
  baseUrl: '{{connection.url}}',
  fields: [
    field('url', 'Server URL', {
      type: 'url',
      description: 'ldaps://dc1.example.com:636 (LDAPS is needed to set passwords).',
    }),
    field('bindDn', 'Bind DN', {
      description: 'The service account, e.g. CN=svc-flowstead,OU=Service,DC=example,DC=com.',
    }),
    secretField('password', 'Bind password'),
    field('baseDn', 'Base DN', { description: 'e.g. DC=example,DC=com' }),
    field('directory', 'Directory type', { options: ['activeDirectory', 'ldap'], default: 'activeDirectory' }),
    field('userObjectClasses', 'Object classes of new users', {
      required: false,
      description: 'Comma-separated; empty: top, person, organizationalPerson, user (AD) or inetOrgPerson (LDAP).',
    }),
    field('caCert', 'CA certificate (PEM)', {
      required: false,
      description: 'When the directory’s certificate is signed by an internal CA.',
    }),
  ],
  actions: [
    {
      ...action(
        'search',
        'Search',
        'Finds entries with an LDAP filter (all pages).',
        [
          input('filter', 'e.g. (&(objectClass=user)(mail=ana@example.com)).'),
          input('base', 'Where to search; empty: the base DN.', { required: false }),
          input('scope', 'How deep.', { options: ['sub', 'one', 'base'], default: 'sub', required: false }),
          input('attributes', 'Attributes to return, e.g. ["cn", "mail"]; empty: all.', {
            type: 'list',
            required: false,
          }),
        ],
        [{ name: 'entries', type: 'list', from: 'entries', description: 'Matching entries with their dn.' }],
      ),
      effect: 'nondeterministic',
    },
    action(
      'createUser',
      'Create user',
      'Creates a user entry.',
      [
        input('parentDn', 'The OU to create it in.'),
        input('cn', 'Common name, e.g. Ana Novak.'),
        input('attributes', 'Attributes, e.g. {"sAMAccountName": "anovak", "mail": "ana@example.com"}.', {
          type: 'object',
        }),
      ],
      [{ name: 'dn', type: 'text', from: 'dn', description: 'The new entry’s DN.' }],
    ),
    action('modifyAttributes', 'Modify attributes', 'Replaces, adds or deletes attribute values.', [
      dn,
      input('replace', 'Attributes to set, e.g. {"title": "Lead"}.', { type: 'object', required: false }),
      input('add', 'Values to add.', { type: 'object', required: false }),
      input('delete', 'Attributes (or values) to remove, e.g. {"telephoneNumber": []}.', {
        type: 'object',
        required: false,
      }),
    ]),
    action(
      'enableUser',
      'Enable user',
      'Clears the account-disabled flag (userAccountControl) and keeps the other flags.',
      [dn],
    ),
    action(
      'disableUser',
      'Disable user',
      'Sets the account-disabled flag (userAccountControl) and keeps the other flags.',
      [dn],
    ),
    action(
      'moveUser',
      'Move to OU',
      'Moves an entry to another OU.',
      [dn, input('newParentDn', 'The target OU.')],
      [{ name: 'dn', type: 'text', from: 'dn', description: 'The entry’s new DN.' }],
    ),
    action(
      'addGroupMember',
      'Add to group',
      'Adds a member; already a member is fine.',
      [input('groupDn', 'The group’s DN.'), input('memberDn', 'The member’s DN.')],
      [{ name: 'changed', type: 'boolean', from: 'changed', description: 'False when they were already a member.' }],
    ),
    action(
      'removeGroupMember',
      'Remove from group',
      'Removes a member; not a member is fine.',
      [input('groupDn', 'The group’s DN.'), input('memberDn', 'The member’s DN.')],
      [{ name: 'changed', type: 'boolean', from: 'changed', description: 'False when they were not a member.' }],
    ),
    action('setPassword', 'Set password', 'Sets a new password; needs an LDAPS connection.', [
      dn,
      input('newPassword', 'The new password.'),
    ]),
  ],
};
