import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail, testConnection } from '../../../../src/engine/connectors/smtp/send-mail.js';
import type { SmtpSettings } from '../../../../src/engine/connectors/smtp/settings.js';
import { FlowsteadError } from '../../../../src/shared/errors.js';
import { startSmtpSink, type SmtpSink } from '../../../support/smtp-sink.js';

const LOGIN = { user: 'flowstead', pass: 'Mail-Pa55-word' };

async function rejection(work: Promise<unknown>): Promise<FlowsteadError> {
  const error = await work.then(
    () => new Error('expected the operation to fail'),
    (reason: unknown) => reason,
  );
  if (error instanceof FlowsteadError) return error;
  throw error;
}

/** A port nobody listens on: bound once, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('sendMail over STARTTLS with a login, against a local SMTP server', () => {
  let sink: SmtpSink;
  let settings: SmtpSettings;

  beforeAll(async () => {
    sink = await startSmtpSink({ auth: LOGIN, rejectRecipients: ['gone@example.test'] });
    settings = {
      host: sink.host,
      port: sink.port,
      security: 'starttls',
      username: LOGIN.user,
      password: LOGIN.pass,
      from: 'Flowstead <flowstead@example.test>',
      timeoutMs: 5_000,
      tls: { caCert: sink.caCert },
    };
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('delivers headers, both bodies and a CSV attachment with accents intact', async () => {
    const rows = [
      { name: 'Zoë Müller', department: 'R&D, Lab "North"', start: '2025-01-06' },
      { name: 'José Ñúñez', department: 'Finance', manager: 'Ana\nLópez' },
    ];
    const sent = await sendMail(settings, {
      to: ['it-ops@example.test', 'Hélène <helene@example.test>'],
      cc: 'hr@example.test',
      subject: 'Leavers this week – Überblick',
      text: 'Two leavers, see the attachment.',
      html: '<p>Two <b>leavers</b>, see the attachment.</p>',
      attachments: [{ filename: 'leavers.csv', csvRows: rows }],
    });
    expect(sent.messageId).toMatch(/^<.+@.+>$/);
    expect(sent.accepted).toEqual(['it-ops@example.test', 'helene@example.test', 'hr@example.test']);
    expect(sent.rejected).toEqual([]);

    const mail = sink.messages.at(-1);
    expect(mail?.user).toBe(LOGIN.user);
    const parsed = mail!.parsed;
    expect(parsed.from?.value).toEqual([{ name: 'Flowstead', address: 'flowstead@example.test' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual([
      'it-ops@example.test',
      'helene@example.test',
    ]);
    expect(parsed.subject).toBe('Leavers this week – Überblick');
    expect(parsed.text?.trim()).toBe('Two leavers, see the attachment.');
    expect(parsed.html).toContain('<b>leavers</b>');

    const [attachment] = parsed.attachments;
    expect(attachment?.filename).toBe('leavers.csv');
    expect(attachment?.contentType).toBe('text/csv');
    const bytes = attachment!.content;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'name,department,start,manager\r\n' +
        'Zoë Müller,"R&D, Lab ""North""",2025-01-06,\r\n' +
        'José Ñúñez,Finance,,"Ana\nLópez"\r\n',
    );
  });

  it('keeps bcc recipients out of the headers but delivers to them', async () => {
    await sendMail(settings, { to: 'a@example.test', bcc: ['secret@example.test'], subject: 'Bcc', text: 'x' });
    const mail = sink.messages.at(-1);
    expect(mail?.envelope.to).toEqual(['a@example.test', 'secret@example.test']);
    expect(mail?.raw.toString('utf8')).not.toMatch(/secret@example\.test/);
  });

  it('reports a wrong password as SMTP_AUTH_FAILED without the password', async () => {
    const password = 'Totally-Wr0ng-Secret';
    const error = await rejection(
      sendMail({ ...settings, password }, { to: 'a@example.test', subject: 's', text: 't' }),
    );
    expect(error.code).toBe('SMTP_AUTH_FAILED');
    expect(error.message).toMatch(/"username" and "password"/);
    expect(error.details).toMatchObject({ responseCode: 535 });
    expect(JSON.stringify(error.toJSON())).not.toContain(password);
  });

  it('reports a refused recipient as SMTP_RECIPIENT_REJECTED, naming it', async () => {
    const error = await rejection(sendMail(settings, { to: 'gone@example.test', subject: 's', text: 't' }));
    expect(error.code).toBe('SMTP_RECIPIENT_REJECTED');
    expect(error.message).toContain('gone@example.test');
    expect(JSON.stringify(error.toJSON())).not.toContain(LOGIN.pass);
  });

  it('sends to the accepted recipients and lists the refused one', async () => {
    const sent = await sendMail(settings, { to: ['ok@example.test', 'gone@example.test'], subject: 's', text: 't' });
    expect(sent.accepted).toEqual(['ok@example.test']);
    expect(sent.rejected).toEqual(['gone@example.test']);
  });

  it('verifies the connection and login', async () => {
    await expect(testConnection(settings)).resolves.toEqual({ ok: true });
    const error = await rejection(testConnection({ ...settings, password: 'nope-nope' }));
    expect(error.code).toBe('SMTP_AUTH_FAILED');
  });

  it('refuses an untrusted certificate, pointing at tls.caCert', async () => {
    const error = await rejection(testConnection({ ...settings, tls: {} }));
    expect(error.code).toBe('SMTP_TLS_FAILED');
    expect(error.message).toMatch(/tls\.caCert/);
  });
});

describe('sendMail over implicit TLS without a login', () => {
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink({ secure: true });
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('delivers a plain message with a text attachment', async () => {
    const sent = await sendMail(
      { host: sink.host, port: sink.port, security: 'tls', from: 'bot@example.test', tls: { caCert: sink.caCert } },
      {
        to: 'x@example.test',
        subject: 'Report',
        text: 'See file',
        attachments: [{ filename: 'notes.txt', content: 'Grüße', contentType: 'text/plain; charset=utf-8' }],
      },
    );
    expect(sent.accepted).toEqual(['x@example.test']);
    const attachment = sink.messages.at(-1)?.parsed.attachments[0];
    expect(attachment?.filename).toBe('notes.txt');
    expect(attachment?.content.toString('utf8')).toBe('Grüße');
  });
});

describe('sendMail failures before and at connection time', () => {
  const base: SmtpSettings = {
    host: '127.0.0.1',
    port: 2525,
    security: 'none',
    from: 'bot@example.test',
    timeoutMs: 3_000,
  };

  it('reports a refused connection as SMTP_UNAVAILABLE', async () => {
    const port = await closedPort();
    const error = await rejection(
      sendMail(
        { ...base, port, username: 'u', password: 'Sekr1t-Value' },
        { to: 'a@example.test', subject: 's', text: 't' },
      ),
    );
    expect(error.code).toBe('SMTP_UNAVAILABLE');
    expect(error.message).toMatch(/"host", "port"/);
    expect(JSON.stringify(error.toJSON())).not.toContain('Sekr1t-Value');
  });

  it.each([
    ['to', { to: 'not-an-address', subject: 's', text: 't' }],
    ['to', { to: 'a@example.test; b@example.test', subject: 's', text: 't' }],
    ['cc', { to: 'a@example.test', cc: ['ok@example.test', 'broken@'], subject: 's', text: 't' }],
    ['bcc', { to: 'a@example.test', bcc: 'two words@example.test', subject: 's', text: 't' }],
  ])('rejects a bad address in "%s" before connecting', async (field, message) => {
    const error = await rejection(sendMail(base, message));
    expect(error.code).toBe('SMTP_INVALID_ADDRESS');
    expect(error.details).toMatchObject({ field });
    expect(error.message).toContain(`"${field}"`);
  });

  it('rejects a bad sender and a port out of range, naming the setting', async () => {
    const sender = await rejection(
      sendMail({ ...base, from: 'Flowstead' }, { to: 'a@example.test', subject: 's', text: 't' }),
    );
    expect(sender.details).toMatchObject({ field: 'from' });
    const port = await rejection(
      sendMail({ ...base, port: 70_000 }, { to: 'a@example.test', subject: 's', text: 't' }),
    );
    expect(port.details).toMatchObject({ field: 'port' });
  });
});
