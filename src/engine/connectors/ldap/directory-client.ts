/**
 * Directory operations for joiner / mover / leaver work over ldapts, for Active Directory and plain LDAP.
 * One DirectoryClient is one bound connection; `withDirectory` opens it, runs the work and always unbinds.
 */
import { Attribute, BerWriter, Change, Client, type Entry } from 'ldapts';
import { FlowsteadError } from '../../../shared/errors.js';
import { BINARY_ATTRIBUTES, firstValue, splitDn, toDirectoryEntry, type DirectoryEntry } from './entries.js';
import { escapeDnValue, escapeFilterValue } from './escape.js';
import { toDirectoryError } from './errors.js';
import {
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_OBJECT_CLASSES,
  isSecureUrl,
  validateDirectorySettings,
  type DirectorySettings,
} from './settings.js';

export type AttributeValues = string | string[];

export interface DirectorySearch {
  /** Defaults to the connection's baseDn. */
  base?: string;
  filter: string;
  scope: 'base' | 'one' | 'sub';
  attributes: string[];
  /** 0 means no limit beyond the server's own. */
  sizeLimit: number;
  /** Page through large result sets with the paged results control (RFC 2696). */
  paged: boolean | { pageSize: number };
}

export interface NewUser {
  parentDn: string;
  /** Plain name; it is escaped for the DN. */
  cn: string;
  attributes: Record<string, AttributeValues>;
}

export interface AttributeChanges {
  dn: string;
  replace?: Record<string, AttributeValues>;
  add?: Record<string, AttributeValues>;
  /** An empty list deletes the whole attribute. */
  delete?: Record<string, AttributeValues>;
}

export interface GroupMembership {
  groupDn: string;
  memberDn: string;
  /** Defaults to `member` (AD groups, groupOfNames). */
  memberAttribute?: string;
}

export interface MembershipResult {
  changed: boolean;
  /** Says what happened, e.g. that the member was already in the group. */
  message: string;
}

export interface EnabledResult {
  changed: boolean;
  enabled: boolean;
  /** Active Directory only: the flags after the change. */
  userAccountControl?: number;
}

export interface ConnectionTestResult {
  ok: true;
  namingContexts: string[];
  vendorName?: string;
}

/** userAccountControl ACCOUNTDISABLE flag (MS-ADTS 2.2.16). */
export const ACCOUNT_DISABLE = 0x2;

const PASSWORD_MODIFY_OID = '1.3.6.1.4.1.4203.1.11.1';

export class DirectoryClient {
  private constructor(
    private readonly client: Client,
    private readonly settings: DirectorySettings,
  ) {}

  /** Connects and binds with the connection's account. Call `close()` when done, or use `withDirectory`. */
  static async connect(settings: DirectorySettings): Promise<DirectoryClient> {
    validateDirectorySettings(settings);
    const timeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // ldapts speaks TLS whenever tlsOptions is present, even for ldap://, so pass it only for ldaps://.
    const tlsOptions = isSecureUrl(settings.url)
      ? {
          ...(settings.tls?.caCert ? { ca: [settings.tls.caCert] } : {}),
          rejectUnauthorized: settings.tls?.rejectUnauthorized ?? true,
        }
      : undefined;
    const client = new Client({
      url: settings.url,
      timeout,
      connectTimeout: timeout,
      ...(tlsOptions ? { tlsOptions } : {}),
    });
    const directory = new DirectoryClient(client, settings);
    await directory.run('bind', undefined, () => client.bind(settings.bindDn, settings.password));
    return directory;
  }

  async close(): Promise<void> {
    // Unbinding a dead connection can fail; there is nothing left to clean up then.
    await this.client.unbind().catch(() => undefined);
  }

  async search(request: DirectorySearch): Promise<DirectoryEntry[]> {
    const base = request.base ?? this.settings.baseDn;
    const paged = request.paged === true ? { pageSize: 200 } : request.paged === false ? undefined : request.paged;
    const result = await this.run('search', base, () =>
      this.client.search(base, {
        filter: request.filter,
        scope: request.scope,
        attributes: request.attributes,
        sizeLimit: request.sizeLimit,
        explicitBufferAttributes: BINARY_ATTRIBUTES,
        ...(paged ? { paged } : {}),
      }),
    );
    return result.searchEntries.map(toDirectoryEntry);
  }

  /** Creates a user under `parentDn` with the configured object classes and returns its DN. */
  async createUser(user: NewUser): Promise<string> {
    const dn = `cn=${escapeDnValue(user.cn)},${user.parentDn}`;
    const objectClass = this.settings.userObjectClasses ?? DEFAULT_USER_OBJECT_CLASSES[this.settings.directory];
    const attributes: Record<string, string[]> = { objectClass, cn: [user.cn] };
    for (const [name, value] of Object.entries(user.attributes)) attributes[name] = toList(value);
    await this.run('add', dn, () => this.client.add(dn, attributes));
    return dn;
  }

  async modifyAttributes(changes: AttributeChanges): Promise<void> {
    const list = [
      ...toChanges('replace', changes.replace),
      ...toChanges('add', changes.add),
      ...toChanges('delete', changes.delete),
    ];
    if (list.length === 0) return;
    await this.run('modify', changes.dn, () => this.client.modify(changes.dn, list));
  }

  /**
   * AD: flips ACCOUNTDISABLE in userAccountControl and keeps every other flag.
   * Plain LDAP: writes or removes the configured `accountLock` attribute.
   */
  async setEnabled({ dn, enabled }: { dn: string; enabled: boolean }): Promise<EnabledResult> {
    if (this.settings.directory === 'activeDirectory') return this.setAdEnabled(dn, enabled);
    const lock = this.settings.accountLock;
    if (!lock) {
      throw new FlowsteadError(
        'LDAP_ACCOUNT_LOCK_NOT_CONFIGURED',
        'Plain LDAP has no standard "disabled" flag: set the connection\'s "accountLock" attribute (e.g. pwdAccountLockedTime or nsAccountLock).',
        { field: 'accountLock', dn },
      );
    }
    const entry = await this.readEntry(dn, [lock.attribute]);
    const current = firstValue(entry, lock.attribute);
    const wasEnabled = current === undefined || current === '';
    if (wasEnabled === enabled) return { changed: false, enabled };
    const change = enabled
      ? new Change({ operation: 'delete', modification: new Attribute({ type: lock.attribute, values: [] }) })
      : new Change({
          operation: 'replace',
          modification: new Attribute({ type: lock.attribute, values: [lock.lockedValue] }),
        });
    await this.run('modify', dn, () => this.client.modify(dn, change));
    return { changed: true, enabled };
  }

  /** Moves an entry under a new parent OU, keeping its RDN; returns the new DN. */
  async moveToOu({ dn, newParentDn }: { dn: string; newParentDn: string }): Promise<string> {
    const { rdn } = splitDn(dn);
    const newDn = `${rdn},${newParentDn}`;
    await this.run('move', dn, () => this.client.modifyDN(dn, newDn));
    return newDn;
  }

  /** Adds a member; a member already in the group is a success that says so. */
  async addGroupMember(membership: GroupMembership): Promise<MembershipResult> {
    const attribute = membership.memberAttribute ?? 'member';
    if (await this.isMember(membership, attribute)) {
      return { changed: false, message: `${membership.memberDn} was already a member of ${membership.groupDn}.` };
    }
    const change = new Change({
      operation: 'add',
      modification: new Attribute({ type: attribute, values: [membership.memberDn] }),
    });
    // 20 (OpenLDAP) and 68 (AD) mean someone added the member between our check and the write.
    const added = await this.runTolerating('modify', membership.groupDn, [20, 68], () =>
      this.client.modify(membership.groupDn, change),
    );
    return added
      ? { changed: true, message: `Added ${membership.memberDn} to ${membership.groupDn}.` }
      : { changed: false, message: `${membership.memberDn} was already a member of ${membership.groupDn}.` };
  }

  /** Removes a member; a member not in the group is a success that says so. */
  async removeGroupMember(membership: GroupMembership): Promise<MembershipResult> {
    const attribute = membership.memberAttribute ?? 'member';
    const notMember = { changed: false, message: `${membership.memberDn} was not a member of ${membership.groupDn}.` };
    if (!(await this.isMember(membership, attribute))) return notMember;
    const change = new Change({
      operation: 'delete',
      modification: new Attribute({ type: attribute, values: [membership.memberDn] }),
    });
    const removed = await this.runTolerating('modify', membership.groupDn, [16], () =>
      this.client.modify(membership.groupDn, change),
    );
    return removed
      ? { changed: true, message: `Removed ${membership.memberDn} from ${membership.groupDn}.` }
      : notMember;
  }

  /**
   * Sets a new password. Only over ldaps://: a password must never cross the network in clear text.
   * AD: replaces unicodePwd with the quoted password in UTF-16LE. LDAP: Password Modify extended operation (RFC 3062).
   */
  async setPassword({ dn, newPassword }: { dn: string; newPassword: string }): Promise<void> {
    if (!isSecureUrl(this.settings.url)) {
      throw new FlowsteadError(
        'LDAP_TLS_REQUIRED',
        'Refusing to send a password over an unencrypted connection: change the connection "url" to ldaps://.',
        { field: 'url', dn },
      );
    }
    const context = { secrets: [newPassword] };
    if (this.settings.directory === 'activeDirectory') {
      const change = new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'unicodePwd', values: [encodeAdPassword(newPassword)] }),
      });
      await this.run('set password', dn, () => this.client.modify(dn, change), context);
      return;
    }
    await this.run(
      'set password',
      dn,
      () => this.client.exop(PASSWORD_MODIFY_OID, passwordModifyValue(dn, newPassword)),
      context,
    );
  }

  /** Reads the root DSE and the base entry, proving the bind and the baseDn. */
  async testConnection(): Promise<ConnectionTestResult> {
    const rootDse = await this.run('read root DSE', '', () =>
      this.client.search('', {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['namingContexts', 'vendorName', 'defaultNamingContext'],
      }),
    );
    await this.readEntry(this.settings.baseDn, ['objectClass']);
    const root = rootDse.searchEntries[0];
    const contexts = root ? toDirectoryEntry(root).attributes : {};
    const namingContexts = toList(contexts.namingContexts ?? []);
    const vendorName = typeof contexts.vendorName === 'string' ? contexts.vendorName : undefined;
    return { ok: true, namingContexts, ...(vendorName ? { vendorName } : {}) };
  }

  private async setAdEnabled(dn: string, enabled: boolean): Promise<EnabledResult> {
    const entry = await this.readEntry(dn, ['userAccountControl']);
    const raw = firstValue(entry, 'userAccountControl');
    const flags = typeof raw === 'string' ? Number.parseInt(raw, 10) : Number.NaN;
    if (!Number.isInteger(flags)) {
      throw new FlowsteadError(
        'LDAP_NOT_AN_AD_ACCOUNT',
        `"${dn}" has no userAccountControl; check the DN points at a user, or set the connection "directory" to "ldap".`,
        { dn },
      );
    }
    const updated = enabled ? flags & ~ACCOUNT_DISABLE : flags | ACCOUNT_DISABLE;
    if (updated === flags) return { changed: false, enabled, userAccountControl: flags };
    const change = new Change({
      operation: 'replace',
      modification: new Attribute({ type: 'userAccountControl', values: [String(updated)] }),
    });
    await this.run('modify', dn, () => this.client.modify(dn, change));
    return { changed: true, enabled, userAccountControl: updated };
  }

  private async readEntry(dn: string, attributes: string[]): Promise<Entry> {
    const result = await this.run('read', dn, () =>
      this.client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes }),
    );
    const entry = result.searchEntries[0];
    if (!entry) throw new FlowsteadError('LDAP_NO_SUCH_OBJECT', `No entry exists at "${dn}"; check the DN.`, { dn });
    return entry;
  }

  private async isMember(membership: GroupMembership, attribute: string): Promise<boolean> {
    const result = await this.run('read group', membership.groupDn, () =>
      this.client.search(membership.groupDn, {
        scope: 'base',
        filter: `(${attribute}=${escapeFilterValue(membership.memberDn)})`,
        attributes: ['1.1'],
      }),
    );
    return result.searchEntries.length > 0;
  }

  private async run<T>(
    operation: string,
    dn: string | undefined,
    work: () => Promise<T>,
    extra: { secrets?: string[] } = {},
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toDirectoryError(error, {
        operation,
        url: this.settings.url,
        ...(dn ? { dn } : {}),
        secrets: [this.settings.password, ...(extra.secrets ?? [])],
      });
    }
  }

  /** Runs work and returns false instead of failing when the server answers with one of `resultCodes`. */
  private async runTolerating(operation: string, dn: string, resultCodes: number[], work: () => Promise<void>) {
    try {
      await work();
      return true;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number' && resultCodes.includes(code)) return false;
      throw toDirectoryError(error, { operation, url: this.settings.url, dn, secrets: [this.settings.password] });
    }
  }
}

/** Opens a bound connection, runs the work and always unbinds, even when the work fails. */
export async function withDirectory<T>(
  settings: DirectorySettings,
  work: (directory: DirectoryClient) => Promise<T>,
): Promise<T> {
  const directory = await DirectoryClient.connect(settings);
  try {
    return await work(directory);
  } finally {
    await directory.close();
  }
}

/** Binds and reads the root DSE and base entry; for the "Test connection" button. */
export function testDirectoryConnection(settings: DirectorySettings): Promise<ConnectionTestResult> {
  return withDirectory(settings, (directory) => directory.testConnection());
}

/** AD wants the password in double quotes, encoded as UTF-16LE (MS-ADTS 3.1.1.3.1.5.1). */
export function encodeAdPassword(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/** PasswdModifyRequestValue ::= SEQUENCE { userIdentity [0], oldPasswd [1], newPasswd [2] } (RFC 3062). */
function passwordModifyValue(dn: string, newPassword: string): Buffer {
  const writer = new BerWriter();
  writer.startSequence();
  writer.writeString(dn, 0x80);
  writer.writeString(newPassword, 0x82);
  writer.endSequence();
  return writer.buffer;
}

function toList(value: AttributeValues): string[] {
  return Array.isArray(value) ? value : [value];
}

function toChanges(operation: 'replace' | 'add' | 'delete', values: Record<string, AttributeValues> | undefined) {
  return Object.entries(values ?? {}).map(
    ([type, value]) => new Change({ operation, modification: new Attribute({ type, values: toList(value) }) }),
  );
}
