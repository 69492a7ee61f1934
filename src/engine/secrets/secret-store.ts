import type * as keytarModule from 'keytar';
import { FlowsteadError } from '../../shared/errors.js';

/** Where connection secrets live: the OS keychain on desktops, never SQLite, logs or exports. */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  list(): Promise<string[]>;
}

type Keytar = typeof keytarModule;

function checkAccount(account: string): string {
  if (typeof account !== 'string' || account.length === 0 || account.length > 200) {
    throw new FlowsteadError(
      'SECRET_ACCOUNT',
      'A secret needs an account name of 1 to 200 characters (the connection id).',
    );
  }
  return account;
}

/** Secrets are one opaque string (a token or password); callers serialise anything richer. */
function checkSecret(secret: string): string {
  if (typeof secret !== 'string') {
    throw new FlowsteadError('SECRET_VALUE', 'A secret must be text (a token or password).');
  }
  return secret;
}

const LINUX_GUIDANCE =
  'On Linux, install and unlock a Secret Service provider such as gnome-keyring (it needs a D-Bus session); ' +
  'on macOS and Windows, check that the user keychain / Credential Manager is available.';

/** The first line of what went wrong, with the secret cut out should a provider ever echo it. */
function reasonOf(error: unknown, secret?: string): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] ?? text;
  return secret ? line.split(secret).join('[secret]') : line;
}

function unavailable(error: unknown, secret?: string): FlowsteadError {
  const reason = reasonOf(error, secret);
  return new FlowsteadError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain could not be reached (${reason}). Flowstead keeps connection secrets only there. ${LINUX_GUIDANCE}`,
    { reason },
  );
}

/** The native keytar module itself did not load: a broken install, not a missing keychain service. */
function notLoaded(error: unknown): FlowsteadError {
  const reason = reasonOf(error);
  return new FlowsteadError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain could not be reached because Flowstead's keychain module did not load (${reason}). ` +
      'Reinstall Flowstead; on Linux also install libsecret (package libsecret-1-0). ' +
      LINUX_GUIDANCE,
    { reason },
  );
}

/** The OS keychain through keytar: one service name per app, one account per connection. */
export function createKeychainSecretStore(options: { service?: string } = {}): SecretStore {
  const service = options.service ?? 'Flowstead';
  let keytar: Promise<Keytar> | undefined;
  // keytar is a native module: load it on first use, so importing this file never needs it.
  const load = () => (keytar ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar));
  const call = async <T>(work: (k: Keytar) => Promise<T>, secret?: string): Promise<T> => {
    let k: Keytar;
    try {
      k = await load();
    } catch (error) {
      throw notLoaded(error);
    }
    try {
      return await work(k);
    } catch (error) {
      throw unavailable(error, secret);
    }
  };
  return {
    get: async (account) => {
      checkAccount(account);
      return call((k) => k.getPassword(service, account));
    },
    set: async (account, secret) => {
      checkAccount(account);
      checkSecret(secret);
      return call((k) => k.setPassword(service, account, secret), secret);
    },
    delete: async (account) => {
      checkAccount(account);
      return call((k) => k.deletePassword(service, account));
    },
    list: () => call(async (k) => (await k.findCredentials(service)).map((c) => c.account).sort()),
  };
}

/** An in-memory store, NOT the keychain: for tests of components that do not exercise the keychain itself. */
export function createMemorySecretStore(): SecretStore {
  const secrets = new Map<string, string>();
  return {
    get: async (account) => secrets.get(checkAccount(account)) ?? null,
    set: async (account, secret) => void secrets.set(checkAccount(account), checkSecret(secret)),
    delete: async (account) => secrets.delete(checkAccount(account)),
    list: async () => [...secrets.keys()].sort(),
  };
}
