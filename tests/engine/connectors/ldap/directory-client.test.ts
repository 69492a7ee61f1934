import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DirectoryClient,
  testDirectoryConnection,
  withDirectory,
} from '../../../../src/engine/connectors/ldap/directory-client.js';
import { escapeFilterValue } from '../../../../src/engine/connectors/ldap/escape.js';
import type { DirectorySettings } from '../../../../src/engine/connectors/ldap/settings.js';
import { FlowsteadError } from '../../../../src/shared/errors.js';
import { SIZE_LIMIT, slapdMissingReason, startSlapd, type SlapdServer } from '../../../support/slapd.js';

if (slapdMissingReason) console.warn(slapdMissingReason);

/** Awaits work that must fail with a FlowsteadError and returns that error. */
async function rejection(work: Promise<unknown>): Promise<FlowsteadError> {
  const error = await work.then(
    () => new Error('expected the operation to fail'),
    (reason: unknown) => reason,
  );
  if (error instanceof FlowsteadError) return error;
  throw error;
}

describe.skipIf(slapdMissingReason !== undefined)('DirectoryClient against a real OpenLDAP (plain LDAP mode)', () => {
  let slapd: SlapdServer;
  let settings: DirectorySettings;
  let people: string;
  const bulkCount = 300;

  beforeAll(async () => {
    slapd = await startSlapd();
    people = `ou=People,${slapd.baseDn}`;
    settings = {
      url: slapd.url,
      bindDn: slapd.serviceDn,
      password: slapd.servicePassword,
      baseDn: slapd.baseDn,
      directory: 'ldap',
      timeoutMs: 5_000,
    };
    // 300 entries, more than the service account's size limit, for the paged search.
    const admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
    await admin.add(`ou=Bulk,${slapd.baseDn}`, { objectClass: 'organizationalUnit', ou: 'Bulk' });
    for (let index = 0; index < bulkCount; index++) {
      await admin.add(`uid=bulk${index},ou=Bulk,${slapd.baseDn}`, {
        objectClass: 'inetOrgPerson',
        uid: `bulk${index}`,
        cn: `Bulk ${index}`,
        sn: 'Bulk',
      });
    }
    await admin.unbind();
  }, 60_000);

  afterAll(async () => {
    await slapd?.close();
  });

  it('tests the connection by binding and reading the root DSE and the base entry', async () => {
    const result = await testDirectoryConnection(settings);
    expect(result.ok).toBe(true);
    expect(result.namingContexts).toContain(slapd.baseDn);
  });

  it('reports a wrong bind password as LDAP_INVALID_CREDENTIALS without the password', async () => {
    const password = 'Wr0ng-Pa55word!';
    const error = await rejection(testDirectoryConnection({ ...settings, password }));
    expect(error.code).toBe('LDAP_INVALID_CREDENTIALS');
    expect(error.message).toMatch(/bind DN and password/);
    expect(JSON.stringify(error.toJSON())).not.toContain(password);
  });

  it('reports a closed port as LDAP_UNAVAILABLE with a hint', async () => {
    const error = await rejection(testDirectoryConnection({ ...settings, url: 'ldap://127.0.0.1:1' }));
    expect(error.code).toBe('LDAP_UNAVAILABLE');
    expect(error.message).toMatch(/host, port and firewall/);
    expect(JSON.stringify(error.toJSON())).not.toContain(settings.password);
  });

  it('rejects a malformed url before connecting, naming the field', async () => {
    const error = await rejection(testDirectoryConnection({ ...settings, url: 'http://dc01' }));
    expect(error.code).toBe('LDAP_SETTINGS_INVALID');
    expect(error.details).toMatchObject({ field: 'url' });
  });

  it('searches with an escaped user value so parentheses and stars match literally', async () => {
    const name = "O'Brien (contractor)*";
    await withDirectory(settings, async (directory) => {
      await directory.createUser({ parentDn: people, cn: name, attributes: { sn: "O'Brien" } });
      await directory.createUser({
        parentDn: people,
        cn: "O'Brien (contractor) Senior",
        attributes: { sn: "O'Brien" },
      });
      const exact = await directory.search({
        filter: `(&(objectClass=inetOrgPerson)(cn=${escapeFilterValue(name)}))`,
        scope: 'sub',
        attributes: ['cn', 'sn', 'objectClass'],
        sizeLimit: 0,
        paged: false,
      });
      expect(exact).toHaveLength(1);
      expect(exact[0]?.attributes.cn).toBe(name);
      expect(exact[0]?.attributes.objectClass).toEqual(expect.arrayContaining(['inetOrgPerson']));
      // The same value unescaped is a wildcard that also catches the senior contractor.
      const wildcard = await directory.search({
        filter: `(cn=O'Brien \\28contractor\\29*)`,
        scope: 'one',
        base: people,
        attributes: ['cn'],
        sizeLimit: 0,
        paged: false,
      });
      expect(wildcard).toHaveLength(2);
    });
  });

  it('pages through 300 entries that one plain search may not return', async () => {
    await withDirectory(settings, async (directory) => {
      const request = {
        base: `ou=Bulk,${slapd.baseDn}`,
        filter: '(objectClass=inetOrgPerson)',
        scope: 'one' as const,
        attributes: ['uid'],
        sizeLimit: 0,
      };
      const plain = await rejection(directory.search({ ...request, paged: false }));
      expect(plain.code).toBe('LDAP_SIZE_LIMIT');
      const paged = await directory.search({ ...request, paged: { pageSize: SIZE_LIMIT / 2 } });
      expect(paged).toHaveLength(bulkCount);
      expect(new Set(paged.map((entry) => entry.attributes.uid)).size).toBe(bulkCount);
    });
  });

  it('stops at the requested size limit without failing', async () => {
    const entries = await withDirectory(settings, (directory) =>
      directory.search({
        base: `ou=Bulk,${slapd.baseDn}`,
        filter: '(uid=bulk*)',
        scope: 'one',
        attributes: ['uid'],
        sizeLimit: 5,
        paged: false,
      }),
    );
    expect(entries).toHaveLength(5);
  });

  it('creates a user, modifies attributes and refuses a duplicate', async () => {
    await withDirectory(settings, async (directory) => {
      const dn = await directory.createUser({
        parentDn: people,
        cn: 'Smith, Jane',
        attributes: { sn: 'Smith', givenName: 'Jane', mail: 'jane@example.test', telephoneNumber: ['1', '2'] },
      });
      expect(dn).toBe(`cn=Smith\\, Jane,${people}`);
      await directory.modifyAttributes({
        dn,
        replace: { mail: 'jane.smith@example.test' },
        add: { title: 'Engineer' },
        delete: { telephoneNumber: '1' },
      });
      const [entry] = await directory.search({
        base: dn,
        filter: '(objectClass=*)',
        scope: 'base',
        attributes: ['mail', 'title', 'telephoneNumber', 'givenName'],
        sizeLimit: 0,
        paged: false,
      });
      expect(entry?.attributes).toEqual({
        mail: 'jane.smith@example.test',
        title: 'Engineer',
        telephoneNumber: '2',
        givenName: 'Jane',
      });
      const duplicate = await rejection(
        directory.createUser({ parentDn: people, cn: 'Smith, Jane', attributes: { sn: 'Smith' } }),
      );
      expect(duplicate.code).toBe('LDAP_ALREADY_EXISTS');
      expect(duplicate.details).toMatchObject({ dn, resultCode: 68 });
    });
  });

  it('maps a missing entry, a second value of a single-valued attribute and a forbidden write', async () => {
    await withDirectory(settings, async (directory) => {
      const missing = await rejection(
        directory.modifyAttributes({ dn: `uid=nobody,${people}`, replace: { mail: 'x@example.test' } }),
      );
      expect(missing.code).toBe('LDAP_NO_SUCH_OBJECT');
      const constraint = await rejection(
        directory.modifyAttributes({ dn: `uid=carol,${people}`, add: { preferredLanguage: ['en', 'fr'] } }),
      );
      expect(constraint.code).toBe('LDAP_CONSTRAINT_VIOLATION');
    });
    const asAlice = { ...settings, bindDn: `uid=alice,${people}`, password: 'alice-pass' };
    const forbidden = await rejection(
      withDirectory(asAlice, (directory) =>
        directory.modifyAttributes({ dn: `uid=bob,${people}`, replace: { mail: 'evil@example.test' } }),
      ),
    );
    expect(forbidden.code).toBe('LDAP_INSUFFICIENT_ACCESS');
    expect(forbidden.message).not.toContain('alice-pass');
  });

  it('disables and enables a plain LDAP account through the configured lock attribute', async () => {
    const dn = `uid=carol,${people}`;
    const unconfigured = await rejection(
      withDirectory(settings, (directory) => directory.setEnabled({ dn, enabled: false })),
    );
    expect(unconfigured.code).toBe('LDAP_ACCOUNT_LOCK_NOT_CONFIGURED');

    const locking = { ...settings, accountLock: { attribute: 'employeeType', lockedValue: 'disabled' } };
    await withDirectory(locking, async (directory) => {
      expect(await directory.setEnabled({ dn, enabled: false })).toEqual({ changed: true, enabled: false });
      expect(await directory.setEnabled({ dn, enabled: false })).toEqual({ changed: false, enabled: false });
      const read = () =>
        directory.search({
          base: dn,
          filter: '(objectClass=*)',
          scope: 'base',
          attributes: ['employeeType'],
          sizeLimit: 0,
          paged: false,
        });
      expect((await read())[0]?.attributes.employeeType).toBe('disabled');
      expect(await directory.setEnabled({ dn, enabled: true })).toEqual({ changed: true, enabled: true });
      expect((await read())[0]?.attributes.employeeType).toBeUndefined();
    });
  });

  it('moves an entry to another OU and returns its new DN', async () => {
    await withDirectory(settings, async (directory) => {
      const dn = await directory.createUser({ parentDn: people, cn: 'Leaver, Lee', attributes: { sn: 'Leaver' } });
      const moved = await directory.moveToOu({ dn, newParentDn: `ou=Disabled,${slapd.baseDn}` });
      expect(moved).toBe(`cn=Leaver\\, Lee,ou=Disabled,${slapd.baseDn}`);
      const found = await directory.search({
        filter: '(cn=Leaver, Lee)',
        scope: 'sub',
        attributes: ['cn'],
        sizeLimit: 0,
        paged: false,
      });
      // slapd spells the escaped comma as \2C in the DNs it returns, so compare the parent part.
      expect(found).toHaveLength(1);
      expect(found[0]?.dn).toMatch(new RegExp(`^cn=Leaver\\\\(,|2C) Lee,ou=Disabled,${slapd.baseDn}$`, 'i'));
      const atNewDn = await directory.search({
        base: moved,
        filter: '(objectClass=*)',
        scope: 'base',
        attributes: ['cn'],
        sizeLimit: 0,
        paged: false,
      });
      expect(atNewDn[0]?.attributes.cn).toBe('Leaver, Lee');
    });
  });

  it('adds and removes group members idempotently, saying when nothing changed', async () => {
    const groupDn = `cn=staff,ou=Groups,${slapd.baseDn}`;
    const bob = `uid=bob,${people}`;
    await withDirectory(settings, async (directory) => {
      const added = await directory.addGroupMember({ groupDn, memberDn: bob });
      expect(added.changed).toBe(true);
      const again = await directory.addGroupMember({ groupDn, memberDn: bob });
      expect(again).toEqual({ changed: false, message: expect.stringMatching(/already a member/) });
      const removed = await directory.removeGroupMember({ groupDn, memberDn: bob });
      expect(removed.changed).toBe(true);
      const absent = await directory.removeGroupMember({ groupDn, memberDn: bob });
      expect(absent).toEqual({ changed: false, message: expect.stringMatching(/was not a member/) });
      const [group] = await directory.search({
        base: groupDn,
        filter: '(objectClass=*)',
        scope: 'base',
        attributes: ['member'],
        sizeLimit: 0,
        paged: false,
      });
      expect(group?.attributes.member).toBe(`uid=alice,${people}`);
    });
  });

  it('sets a password over ldaps with the CA certificate, and the user can bind with it', async () => {
    const dn = `uid=bob,${people}`;
    const secure = { ...settings, url: slapd.ldapsUrl, tls: { caCert: slapd.caCert } };
    await withDirectory(secure, (directory) => directory.setPassword({ dn, newPassword: 'N3w-Secret-ä' }));
    const asBob = await testDirectoryConnection({ ...secure, bindDn: dn, password: 'N3w-Secret-ä' });
    expect(asBob.ok).toBe(true);
    const oldPassword = await rejection(testDirectoryConnection({ ...secure, bindDn: dn, password: 'bob-pass' }));
    expect(oldPassword.code).toBe('LDAP_INVALID_CREDENTIALS');
  });

  it('refuses to send a password over plain ldap://', async () => {
    const error = await rejection(
      withDirectory(settings, (directory) =>
        directory.setPassword({ dn: `uid=bob,${people}`, newPassword: 'Pl41n-Text' }),
      ),
    );
    expect(error.code).toBe('LDAP_TLS_REQUIRED');
    expect(error.details).toMatchObject({ field: 'url' });
    expect(JSON.stringify(error.toJSON())).not.toContain('Pl41n-Text');
  });

  it('rejects an ldaps server whose certificate is not trusted, pointing at tls.caCert', async () => {
    const error = await rejection(testDirectoryConnection({ ...settings, url: slapd.ldapsUrl }));
    expect(error.code).toBe('LDAP_TLS_CERT_UNTRUSTED');
    expect(error.message).toMatch(/tls\.caCert/);
  });

  it('closes the connection even when the work fails', async () => {
    const directory = await DirectoryClient.connect(settings);
    await directory.close();
    // A second close of an unbound client must be harmless.
    await expect(directory.close()).resolves.toBeUndefined();
  });
});
