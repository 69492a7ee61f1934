import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../../support/engine-app.js';
import { startSlapd, type SlapdServer } from '../../support/slapd.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { card, flow, lit } from '../../support/test-engine.js';

// The LDAP and email cards through the whole engine, against a real OpenLDAP slapd (with
// Active Directory's user schema) and a real SMTP server on 127.0.0.1.
let slapd: SlapdServer;
let sink: SmtpSink;
let app: Awaited<ReturnType<typeof openTestApp>>;
let directory: string;
let mail: string;
const ref = (node: string, ...path: string[]) => ({ kind: 'ref' as const, node, path });

beforeAll(async () => {
  [slapd, sink] = await Promise.all([
    startSlapd(),
    startSmtpSink({ auth: { user: 'flowstead', pass: 'mail-pass-31' } }),
  ]);
  app = await openTestApp();
  directory = (
    await app.handlers['connections.save']({
      connector: 'ldap',
      name: 'Test AD',
      settings: {
        url: slapd.ldapsUrl,
        bindDn: slapd.adminDn,
        baseDn: slapd.baseDn,
        directory: 'activeDirectory',
        // The test server's AD schema puts sAMAccountName in securityPrincipal, as AD's own schema does.
        userObjectClasses: 'top, person, organizationalPerson, user, securityPrincipal',
        caCert: slapd.caCert,
      },
      secrets: { password: slapd.adminPassword },
    })
  ).id;
  mail = (
    await app.handlers['connections.save']({
      connector: 'smtp',
      name: 'Test relay',
      settings: {
        host: '127.0.0.1',
        port: sink.port,
        security: 'starttls',
        username: 'flowstead',
        from: 'IT Service Desk <it@example.test>',
        caCert: sink.caCert,
      },
      secrets: { password: 'mail-pass-31' },
    })
  ).id;
}, 30_000);
afterAll(async () => {
  await app?.close();
  await Promise.all([slapd?.close(), sink?.close()]);
});

describe('Active Directory / LDAP cards', () => {
  it('creates, changes, disables, moves, groups, enables and sets the password of a user', async () => {
    const c = { connection: lit(directory) };
    const base = slapd.baseDn;
    await app.handlers['flows.save']({
      flow: flow({
        id: 'ad-joiner',
        name: 'AD joiner',
        nodes: [
          card('create', 'ldap.createUser', {
            ...c,
            parentDn: lit(`ou=People,${base}`),
            cn: lit('Müller, Jörg'),
            attributes: lit({
              sn: 'Müller',
              sAMAccountName: 'jmuller',
              userAccountControl: '514',
              instanceType: '4',
              nTSecurityDescriptor: 'placeholder',
              objectCategory: `cn=Person,cn=Schema,cn=Configuration,${base}`,
            }),
          }),
          card('title', 'ldap.modifyAttributes', {
            ...c,
            dn: ref('create', 'dn'),
            replace: lit({ title: 'Engineer' }),
          }),
          card('enable', 'ldap.enableUser', { ...c, dn: ref('create', 'dn') }),
          card('join', 'ldap.addGroupMember', {
            ...c,
            groupDn: lit(`cn=staff,ou=Groups,${base}`),
            memberDn: ref('create', 'dn'),
          }),
          card('again', 'ldap.addGroupMember', {
            ...c,
            groupDn: lit(`cn=staff,ou=Groups,${base}`),
            memberDn: ref('create', 'dn'),
          }),
          card('password', 'ldap.setPassword', { ...c, dn: ref('create', 'dn'), newPassword: lit('Corr3ct-Horse!') }),
          card('find', 'ldap.search', {
            ...c,
            filter: lit('(&(objectClass=user)(sn=Müller))'),
            attributes: lit(['title', 'userAccountControl', 'memberOf']),
          }),
          card('done', 'control.return', {
            dn: ref('create', 'dn'),
            changedFirst: ref('join', 'changed'),
            changedAgain: ref('again', 'changed'),
            entries: ref('find', 'entries'),
          }),
        ],
      }),
    });
    const run = await app.run('ad-joiner');
    expect(run.error).toBeNull();
    const output = run.output as {
      dn: string;
      changedFirst: boolean;
      changedAgain: boolean;
      entries: { attributes: Record<string, unknown> }[];
    };
    expect(output.dn).toBe(`cn=Müller\\, Jörg,ou=People,${base}`);
    expect(output.changedFirst).toBe(true);
    expect(output.changedAgain).toBe(false);
    expect(output.entries[0]?.attributes['title']).toBe('Engineer');
    // Enabling cleared only ACCOUNTDISABLE (2) of 514 = NORMAL_ACCOUNT (512) + ACCOUNTDISABLE.
    expect(output.entries[0]?.attributes['userAccountControl']).toBe('512');

    await app.handlers['flows.save']({
      flow: flow({
        id: 'ad-leaver',
        name: 'AD leaver',
        trigger: { kind: 'manual', inputs: [{ name: 'dn', type: 'text', required: true }] },
        nodes: [
          card('disable', 'ldap.disableUser', { ...c, dn: ref('trigger', 'dn') }),
          card('leave', 'ldap.removeGroupMember', {
            ...c,
            groupDn: lit(`cn=staff,ou=Groups,${base}`),
            memberDn: ref('trigger', 'dn'),
          }),
          card('move', 'ldap.moveUser', { ...c, dn: ref('trigger', 'dn'), newParentDn: lit(`ou=Disabled,${base}`) }),
          card('find', 'ldap.search', {
            ...c,
            base: lit(`ou=Disabled,${base}`),
            filter: lit('(&(objectClass=user)(sn=Müller))'),
            attributes: lit(['userAccountControl']),
          }),
          card('done', 'control.return', {
            dn: ref('move', 'dn'),
            removed: ref('leave', 'changed'),
            entries: ref('find', 'entries'),
          }),
        ],
      }),
    });
    const leaver = await app.run('ad-leaver', { dn: output.dn });
    expect(leaver.error).toBeNull();
    const left = leaver.output as { dn: string; removed: boolean; entries: { attributes: Record<string, unknown> }[] };
    expect(left.dn).toBe(`cn=Müller\\, Jörg,ou=Disabled,${base}`);
    expect(left.removed).toBe(true);
    expect(left.entries[0]?.attributes['userAccountControl']).toBe('514');
  });

  it('fails with the LDAP reason and never the bind password', async () => {
    await app.handlers['flows.save']({
      flow: flow({
        id: 'ad-missing',
        name: 'AD missing',
        nodes: [
          card('disable', 'ldap.disableUser', {
            connection: lit(directory),
            dn: lit(`cn=Nobody,ou=People,${slapd.baseDn}`),
          }),
        ],
      }),
    });
    const run = await app.run('ad-missing');
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('LDAP_NO_SUCH_OBJECT');
    expect(JSON.stringify(run)).not.toContain(slapd.adminPassword);
  });
});

describe('Email card', () => {
  it('sends an HTML and text message with a CSV attachment over STARTTLS with a login', async () => {
    await app.handlers['flows.save']({
      flow: flow({
        id: 'report',
        name: 'Send joiner report',
        nodes: [
          card('send', 'smtp.sendEmail', {
            connection: lit(mail),
            to: lit('manager@example.test, hr@example.test'),
            subject: lit('New joiners this week'),
            text: lit('Two people start on Monday.'),
            html: lit('<p>Two people start on <b>Monday</b>.</p>'),
            csvRows: lit([
              { name: 'José Müller', email: 'jose.muller@example.test' },
              { name: 'Zoë Ørsted', email: 'zoe.orsted@example.test' },
            ]),
            csvFilename: lit('joiners.csv'),
          }),
          card('done', 'control.return', { accepted: ref('send', 'accepted') }),
        ],
      }),
    });
    const run = await app.run('report');
    expect(run.error).toBeNull();
    expect(run.output?.['accepted']).toEqual(['manager@example.test', 'hr@example.test']);
    const received = sink.messages.at(-1)!;
    expect(received.user).toBe('flowstead');
    expect(received.parsed.subject).toBe('New joiners this week');
    expect(received.parsed.from?.text).toContain('it@example.test');
    expect(received.parsed.text?.trim()).toBe('Two people start on Monday.');
    expect(received.parsed.html).toContain('<b>Monday</b>');
    const attachment = received.parsed.attachments[0]!;
    expect(attachment.filename).toBe('joiners.csv');
    expect(attachment.contentType).toBe('text/csv');
    expect(attachment.content.toString('utf8')).toContain('José Müller,jose.muller@example.test');
  });
});

describe('Test button for code connectors', () => {
  it('binds to the directory and greets the mail server', async () => {
    expect(await app.handlers['connections.test']({ id: directory })).toMatchObject({ ok: true });
    expect(await app.handlers['connections.test']({ id: mail })).toMatchObject({ ok: true });
  });
});
