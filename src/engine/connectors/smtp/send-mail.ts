/**
 * Sends notification mail (welcome letters, leaver reports with CSV attachments) through SMTP with nodemailer.
 * Each call opens and closes its own connection: runs send a handful of messages, not a stream.
 */
import { createTransport } from 'nodemailer';
import { FlowsteadError } from '../../../shared/errors.js';
import { recipientList } from './addresses.js';
import { rowsToCsv } from './csv.js';
import { toMailError } from './errors.js';
import { DEFAULT_SMTP_TIMEOUT_MS, validateSmtpSettings, type SmtpSettings } from './settings.js';

export interface MailAttachment {
  filename: string;
  /** Rows turned into a CSV file (header row, RFC 4180 quoting, UTF-8 with BOM). */
  csvRows?: Record<string, unknown>[];
  content?: string;
  contentType?: string;
}

export interface MailMessage {
  to: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  subject: string;
  text?: string;
  html?: string;
  attachments?: MailAttachment[];
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export async function sendMail(settings: SmtpSettings, message: MailMessage): Promise<SentMail> {
  validateSmtpSettings(settings);
  const to = recipientList('to', message.to);
  const cc = recipientList('cc', message.cc);
  const bcc = recipientList('bcc', message.bcc);
  if (to.length + cc.length + bcc.length === 0) {
    throw new FlowsteadError('SMTP_INVALID_ADDRESS', 'Mail field "to" is empty; add at least one recipient.', {
      field: 'to',
    });
  }
  if (message.text === undefined && message.html === undefined) {
    throw new FlowsteadError('SMTP_MESSAGE_INVALID', 'The mail has no body; fill in "text" or "html".', {
      field: 'text',
    });
  }
  const attachments = (message.attachments ?? []).map(toNodemailerAttachment);

  const transporter = createTransport(transportOptions(settings));
  try {
    const info = await transporter.sendMail({
      from: settings.from,
      to,
      ...(cc.length ? { cc } : {}),
      ...(bcc.length ? { bcc } : {}),
      subject: message.subject,
      ...(message.text !== undefined ? { text: message.text } : {}),
      ...(message.html !== undefined ? { html: message.html } : {}),
      attachments,
    });
    return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
  } catch (error) {
    throw toMailError(error, serverName(settings), [settings.password]);
  } finally {
    transporter.close();
  }
}

/** Connects, negotiates TLS and logs in without sending anything; for the "Test connection" button. */
export async function testConnection(settings: SmtpSettings): Promise<{ ok: true }> {
  validateSmtpSettings(settings);
  const transporter = createTransport(transportOptions(settings));
  try {
    await transporter.verify();
    return { ok: true };
  } catch (error) {
    throw toMailError(error, serverName(settings), [settings.password]);
  } finally {
    transporter.close();
  }
}

function transportOptions(settings: SmtpSettings) {
  const timeout = settings.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    // STARTTLS must not silently fall back to clear text; "none" must not try to upgrade.
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.username ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
    tls: {
      ...(settings.tls?.caCert ? { ca: [settings.tls.caCert] } : {}),
      rejectUnauthorized: settings.tls?.rejectUnauthorized ?? true,
    },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  };
}

function toNodemailerAttachment(attachment: MailAttachment, index: number) {
  if (!attachment.filename.trim()) {
    throw new FlowsteadError('SMTP_MESSAGE_INVALID', `Attachment ${index + 1} has no "filename".`, {
      field: `attachments[${index}].filename`,
    });
  }
  if (attachment.csvRows) {
    return {
      filename: attachment.filename,
      content: Buffer.from(rowsToCsv(attachment.csvRows), 'utf8'),
      contentType: attachment.contentType ?? 'text/csv; charset=utf-8',
    };
  }
  if (attachment.content === undefined) {
    throw new FlowsteadError(
      'SMTP_MESSAGE_INVALID',
      `Attachment "${attachment.filename}" has neither "csvRows" nor "content".`,
      { field: `attachments[${index}]` },
    );
  }
  return {
    filename: attachment.filename,
    content: Buffer.from(attachment.content, 'utf8'),
    ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
  };
}

function serverName(settings: SmtpSettings): string {
  return `${settings.host}:${settings.port}`;
}
