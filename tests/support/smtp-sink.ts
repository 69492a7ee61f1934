/**
 * A local SMTP server for mail tests: accepts everything on 127.0.0.1 (port 0), offers STARTTLS
 * (or implicit TLS) with a throwaway self-signed certificate, and keeps each message raw and parsed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

const run = promisify(execFile);

export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelope: { from: string; to: string[] };
  /** The login used, when the client authenticated. */
  user?: string;
}

export interface SmtpSinkOptions {
  /** Require this login; without it authentication is optional. */
  auth?: { user: string; pass: string };
  /** Implicit TLS (like port 465) instead of STARTTLS. */
  secure?: boolean;
  /** Recipients answered with 550, to test refused addresses. */
  rejectRecipients?: string[];
}

export interface SmtpSink {
  host: '127.0.0.1';
  port: number;
  /** PEM of the self-signed certificate, to pass as the client's CA. */
  caCert: string;
  messages: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const { key, cert } = await selfSignedCertificate();
  const messages: ReceivedMail[] = [];
  const rejected = new Set((options.rejectRecipients ?? []).map((address) => address.toLowerCase()));

  const server = new SMTPServer({
    secure: options.secure ?? false,
    key,
    cert,
    authOptional: !options.auth,
    // Lets tests of security "none" log in; real servers should refuse that.
    allowInsecureAuth: true,
    disabledCommands: options.auth ? [] : ['AUTH'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
        return;
      }
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            messages.push({
              raw,
              parsed,
              envelope: { from, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
              ...(typeof session.user === 'string' ? { user: session.user } : {}),
            });
            callback();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });

  return {
    host: '127.0.0.1',
    port,
    caCert: cert,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flowstead-smtp-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]); // prettier-ignore
    return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
