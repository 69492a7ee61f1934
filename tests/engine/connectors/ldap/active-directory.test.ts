import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_DISABLE,
  DEFAULT_USER_OBJECT_CLASSES,
  encodeAdPassword,
  withDirectory,
  type DirectorySettings,
} from '../../../../src/engine/connectors/ldap/index.js';
import { FlowsteadError } from '../../../../src/shared/errors.js';
import { slapdMissingReason, startSlapd, type SlapdServer } from '../../../support/slapd.js';

/** NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD, the flags other than ACCOUNTDISABLE that must survive. */
const OTHER_FLAGS = 0x200 | 0x10000;

// slapd with Debian's msuser.ldif stands in for Active Directory: same attributes, same encodings.
describe.skipIf(slapdMissingReason !== undefined)(
  'DirectoryClient in Active Directory mode (slapd + msuser schema)',
  () => {
    let slapd: SlapdServer;
    let settings: DirectorySettings;
    let people: string;

    beforeAll(async () => {
      slapd = await startSlapd();
      people = `ou=People,${slapd.baseDn}`;
      settings = {
        url: slapd.ldapsUrl,
        bindDn: slapd.serviceDn,
        password: slapd.servicePassword,
        baseDn: slapd.baseDn,
        directory: 'activeDirectory',
        tls: { caCert: slapd.caCert },
        // securityPrincipal carries sAMAccountName, as in AD.
        userObjectClasses: [...DEFAULT_USER_OBJECT_CLASSES.activeDirectory, 'securityPrincipal'],
      };
    }, 60_000);

    afterAll(async () => {
      await slapd?.close();
    });

    it('loads the AD schema (msuser.ldif) into the test server', () => {
      expect(slapd.hasAdSchema).toBe(true);
    });

    /** Creates an AD-shaped user; slapd enforces the mandatory attributes AD fills in itself. */
    function createAdUser(cn: string, samAccountName: string, userAccountControl: number) {
      return withDirectory(settings, (directory) =>
        directory.createUser({
          parentDn: people,
          cn,
          attributes: {
            sn: cn.split(' ').at(-1) ?? cn,
            sAMAccountName: samAccountName,
            userAccountControl: String(userAccountControl),
            instanceType: '4',
            nTSecurityDescriptor: 'placeholder',
            objectCategory: `cn=Person,cn=Schema,cn=Configuration,${slapd.baseDn}`,
          },
        }),
      );
    }

    async function readFlags(dn: string): Promise<number> {
      const [entry] = await withDirectory(settings, (directory) =>
        directory.search({
          base: dn,
          filter: '(objectClass=user)',
          scope: 'base',
          attributes: ['userAccountControl'],
          sizeLimit: 0,
          paged: false,
        }),
      );
      return Number(entry?.attributes.userAccountControl);
    }

    it('enables and disables through ACCOUNTDISABLE and keeps the other userAccountControl bits', async () => {
      const dn = await createAdUser('Erin Joiner', 'ejoiner', OTHER_FLAGS | ACCOUNT_DISABLE);
      await withDirectory(settings, async (directory) => {
        expect(await directory.setEnabled({ dn, enabled: true })).toEqual({
          changed: true,
          enabled: true,
          userAccountControl: OTHER_FLAGS,
        });
        expect(await readFlags(dn)).toBe(OTHER_FLAGS);
        expect((await directory.setEnabled({ dn, enabled: true })).changed).toBe(false);
        const disabled = await directory.setEnabled({ dn, enabled: false });
        expect(disabled).toEqual({ changed: true, enabled: false, userAccountControl: OTHER_FLAGS | ACCOUNT_DISABLE });
      });
      expect(await readFlags(dn)).toBe(OTHER_FLAGS | ACCOUNT_DISABLE);
    });

    it('refuses to toggle an entry that has no userAccountControl', async () => {
      const error = await withDirectory(settings, (directory) =>
        directory.setEnabled({ dn: `ou=Disabled,${slapd.baseDn}`, enabled: false }),
      ).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(FlowsteadError);
      expect((error as FlowsteadError).code).toBe('LDAP_NOT_AN_AD_ACCOUNT');
    });

    it('writes unicodePwd as the quoted password in UTF-16LE and keeps it out of search results', async () => {
      const dn = await createAdUser('Frank Mover', 'fmover', OTHER_FLAGS);
      const newPassword = 'Sommer-2025-ä!';
      await withDirectory(settings, (directory) => directory.setPassword({ dn, newPassword }));

      const admin = new Client({ url: slapd.ldapsUrl, tlsOptions: { ca: [slapd.caCert] } });
      try {
        await admin.bind(slapd.adminDn, slapd.adminPassword);
        const { searchEntries } = await admin.search(dn, {
          scope: 'base',
          attributes: ['unicodePwd'],
          explicitBufferAttributes: ['unicodePwd'],
        });
        const stored = searchEntries[0]?.unicodePwd;
        expect(Buffer.isBuffer(stored)).toBe(true);
        expect((stored as Buffer).equals(encodeAdPassword(newPassword))).toBe(true);
        expect((stored as Buffer).subarray(0, 4)).toEqual(Buffer.from([0x22, 0x00, 0x53, 0x00]));
      } finally {
        await admin.unbind();
      }

      const [entry] = await withDirectory(settings, (directory) =>
        directory.search({
          base: dn,
          filter: '(objectClass=*)',
          scope: 'base',
          attributes: ['*'],
          sizeLimit: 0,
          paged: false,
        }),
      );
      expect(entry?.attributes.sAMAccountName).toBe('fmover');
      expect(Object.keys(entry?.attributes ?? {})).not.toContain('unicodePwd');
      expect(Object.keys(entry?.attributes ?? {})).not.toContain('nTSecurityDescriptor');
    });

    it('refuses to send an AD password over plain ldap://', async () => {
      const plain = { ...settings, url: slapd.url };
      const error = await withDirectory(plain, (directory) =>
        directory.setPassword({ dn: `cn=Dana AD,${people}`, newPassword: 'Never-Sent-1' }),
      ).catch((reason: unknown) => reason);
      expect((error as FlowsteadError).code).toBe('LDAP_TLS_REQUIRED');
      expect(JSON.stringify((error as FlowsteadError).toJSON())).not.toContain('Never-Sent-1');
    });

    it('toggles the seeded AD user and keeps its DONT_EXPIRE_PASSWORD flag', async () => {
      const dn = `cn=Dana AD,${people}`;
      const result = await withDirectory(settings, (directory) => directory.setEnabled({ dn, enabled: false }));
      expect(result).toEqual({ changed: true, enabled: false, userAccountControl: 66048 | ACCOUNT_DISABLE });
    });
  },
);
