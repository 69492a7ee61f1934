import { FlowsteadError } from '../../../shared/errors.js';

export type DirectoryKind = 'activeDirectory' | 'ldap';

/**
 * How a plain LDAP directory marks an account as disabled, since there is no standard flag:
 * disabling writes `lockedValue` into `attribute`, enabling removes the attribute.
 * OpenLDAP with ppolicy: `{ attribute: 'pwdAccountLockedTime', lockedValue: '000001010000Z' }`;
 * 389 Directory Server: `{ attribute: 'nsAccountLock', lockedValue: 'TRUE' }`.
 */
export interface LdapAccountLock {
  attribute: string;
  lockedValue: string;
}

export interface DirectorySettings {
  url: string;
  bindDn: string;
  /** Secret: never logged, never put into an error. */
  password: string;
  baseDn: string;
  directory: DirectoryKind;
  tls?: { caCert?: string; rejectUnauthorized?: boolean };
  timeoutMs?: number;
  /** Object classes given to new users; defaults depend on `directory`. */
  userObjectClasses?: string[];
  /** Plain LDAP only: how `setEnabled` disables an account. */
  accountLock?: LdapAccountLock;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export const DEFAULT_USER_OBJECT_CLASSES: Record<DirectoryKind, string[]> = {
  activeDirectory: ['top', 'person', 'organizationalPerson', 'user'],
  ldap: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
};

/** Rejects settings that cannot work before any network traffic, naming the field to fix. */
export function validateDirectorySettings(settings: DirectorySettings): void {
  if (!/^ldaps?:\/\/[^/\s]+\/?$/i.test(settings.url)) {
    throw new FlowsteadError(
      'LDAP_SETTINGS_INVALID',
      `Directory setting "url" must look like ldap://host:389 or ldaps://host:636, got "${settings.url}".`,
      { field: 'url' },
    );
  }
  for (const field of ['bindDn', 'baseDn'] as const) {
    if (!settings[field].trim()) {
      throw new FlowsteadError('LDAP_SETTINGS_INVALID', `Directory setting "${field}" is empty; enter a DN.`, {
        field,
      });
    }
  }
  if (settings.directory !== 'activeDirectory' && settings.directory !== 'ldap') {
    throw new FlowsteadError(
      'LDAP_SETTINGS_INVALID',
      'Directory setting "directory" must be "activeDirectory" or "ldap".',
      { field: 'directory' },
    );
  }
}

export function isSecureUrl(url: string): boolean {
  return url.toLowerCase().startsWith('ldaps://');
}
