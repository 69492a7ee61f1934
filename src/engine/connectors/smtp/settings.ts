import { FlowsteadError } from '../../../shared/errors.js';
import { parseAddress } from './addresses.js';

export type SmtpSecurity = 'tls' | 'starttls' | 'none';

export interface SmtpSettings {
  host: string;
  port: number;
  /** `tls`: TLS from the first byte (usually 465); `starttls`: upgrade required (587); `none`: clear text. */
  security: SmtpSecurity;
  username?: string;
  /** Secret: never logged, never put into an error. */
  password?: string;
  from: string;
  timeoutMs?: number;
  tls?: { caCert?: string; rejectUnauthorized?: boolean };
}

export const DEFAULT_SMTP_TIMEOUT_MS = 15_000;

/** Rejects settings that cannot work before connecting, naming the field to fix. */
export function validateSmtpSettings(settings: SmtpSettings): void {
  if (!settings.host.trim()) {
    throw new FlowsteadError('SMTP_SETTINGS_INVALID', 'Mail setting "host" is empty; enter the SMTP server name.', {
      field: 'host',
    });
  }
  if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65_535) {
    throw new FlowsteadError(
      'SMTP_SETTINGS_INVALID',
      `Mail setting "port" must be a number from 1 to 65535 (usually 465, 587 or 25), got ${String(settings.port)}.`,
      { field: 'port' },
    );
  }
  if (!['tls', 'starttls', 'none'].includes(settings.security)) {
    throw new FlowsteadError('SMTP_SETTINGS_INVALID', 'Mail setting "security" must be "tls", "starttls" or "none".', {
      field: 'security',
    });
  }
  if (settings.password && !settings.username) {
    throw new FlowsteadError('SMTP_SETTINGS_INVALID', 'Mail setting "username" is empty but a password is set.', {
      field: 'username',
    });
  }
  if (!parseAddress(settings.from)) {
    throw new FlowsteadError(
      'SMTP_INVALID_ADDRESS',
      `Mail setting "from" is not an e-mail address: "${settings.from}". Use name@example.org or "Name <name@example.org>".`,
      { field: 'from' },
    );
  }
}
