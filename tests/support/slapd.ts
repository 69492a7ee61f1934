/**
 * A throwaway OpenLDAP server for connector tests: cn=config built with slapadd, an mdb database in a
 * temp directory, LDAP and LDAPS listeners on free 127.0.0.1 ports, and a self-signed certificate.
 * Works as root in a container without systemd (slapd runs in the foreground under `-d 0`).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SLAPD_PATH = '/usr/sbin/slapd';
const SLAPADD_PATH = '/usr/sbin/slapadd';
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

/** Why LDAP tests are skipped, or undefined when slapd is installed and they must run. */
// CI (FLOWSTEAD_CI=1, set by .ci/run, which installs the server) never skips: a missing server fails there.
export const slapdMissingReason: string | undefined =
  existsSync(SLAPD_PATH) || process.env['FLOWSTEAD_CI'] === '1'
    ? undefined
    : `${SLAPD_PATH} is not installed (apt-get install slapd ldap-utils); skipping tests against a real LDAP server`;

export interface SlapdServer {
  url: string;
  ldapsUrl: string;
  caCert: string;
  baseDn: 'dc=example,dc=test';
  adminDn: string;
  adminPassword: string;
  /** A non-root account with write access, bound by the size limit like a real service account. */
  serviceDn: string;
  servicePassword: string;
  /** True when the Active Directory schema (msuser.ldif) loaded, so AD-style `user` entries can be stored. */
  hasAdSchema: boolean;
  close(): Promise<void>;
}

const BASE_DN = 'dc=example,dc=test';
const ADMIN_DN = `cn=admin,${BASE_DN}`;
const ADMIN_PASSWORD = 'admin-secret';
const SERVICE_DN = `cn=svc-flowstead,${BASE_DN}`;
const SERVICE_PASSWORD = 'svc-secret';
/** Non-root accounts get at most this many entries per search unless they page (the rootdn is unlimited). */
export const SIZE_LIMIT = 100;

/** Seeded people, so tests can count on them. Passwords are `<uid>-pass`. */
export const SEEDED_USERS = ['alice', 'bob', 'carol'] as const;

export async function startSlapd(): Promise<SlapdServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flowstead-slapd-'));
  try {
    return await startIn(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function startIn(dir: string): Promise<SlapdServer> {
  const confDir = path.join(dir, 'slapd.d');
  const dataDir = path.join(dir, 'data');
  await mkdir(confDir);
  await mkdir(dataDir);
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]); // prettier-ignore

  // msuser.ldif (the AD attributes) is optional: fall back to the plain schemas if this slapd rejects it.
  let hasAdSchema = true;
  try {
    await buildConfig(dir, confDir, dataDir, certFile, keyFile, true);
  } catch {
    hasAdSchema = false;
    await rm(confDir, { recursive: true, force: true });
    await mkdir(confDir);
    await buildConfig(dir, confDir, dataDir, certFile, keyFile, false);
  }
  await slapadd(['-n1', '-F', confDir], seedLdif(hasAdSchema));

  const [port, ldapsPort] = await Promise.all([freePort(), freePort()]);
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
  const child = spawn(SLAPD_PATH, ['-d', '0', '-h', `${url}/ ${ldapsUrl}/`, '-F', confDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitUntilListening(child, [port, ldapsPort], () => stderr);

  return {
    url,
    ldapsUrl,
    caCert: await readFile(certFile, 'utf8'),
    baseDn: BASE_DN,
    adminDn: ADMIN_DN,
    adminPassword: ADMIN_PASSWORD,
    serviceDn: SERVICE_DN,
    servicePassword: SERVICE_PASSWORD,
    hasAdSchema,
    async close() {
      await stop(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function buildConfig(
  dir: string,
  confDir: string,
  dataDir: string,
  certFile: string,
  keyFile: string,
  withAdSchema: boolean,
): Promise<void> {
  const schemas = ['core', 'cosine', 'inetorgperson', 'nis', ...(withAdSchema ? ['msuser'] : [])];
  const ldif = `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${path.join(dir, 'slapd.pid')}
olcTLSCertificateFile: ${certFile}
olcTLSCertificateKeyFile: ${keyFile}

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: ${MODULE_DIR}
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

${schemas.map((name) => `include: file://${SCHEMA_DIR}/${name}.ldif`).join('\n\n')}
${withAdSchema ? AD_SUPPLEMENT : ''}

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: 1000

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${BASE_DN}
olcDbDirectory: ${dataDir}
olcDbMaxSize: 67108864
olcRootDN: ${ADMIN_DN}
olcRootPW: ${ADMIN_PASSWORD}
olcAccess: {0}to attrs=userPassword,unicodePwd by dn.exact="${SERVICE_DN}" write by self write by anonymous auth by * none
olcAccess: {1}to * by dn.exact="${SERVICE_DN}" write by * read
olcLimits: {0}* size.soft=${SIZE_LIMIT} size.hard=${SIZE_LIMIT} size.prtotal=unlimited
`;
  await slapadd(['-n0', '-F', confDir], ldif);
}

/**
 * msuser.ldif allows sAMAccountName on no class: in AD it comes from the auxiliary class
 * securityPrincipal, which the file leaves out. Add that class (AD's own OID) so AD-shaped users load.
 */
const AD_SUPPLEMENT = `
dn: cn=flowstead-ad,cn=schema,cn=config
objectClass: olcSchemaConfig
cn: flowstead-ad
olcObjectClasses: ( 1.2.840.113556.1.5.6 NAME 'securityPrincipal' SUP top AUXILIARY
  MAY ( sAMAccountName ) )
`;

function seedLdif(withAdSchema: boolean): string {
  const entries = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example`,
    ...['People', 'Groups', 'Disabled'].map(
      (ou) => `dn: ou=${ou},${BASE_DN}\nobjectClass: organizationalUnit\nou: ${ou}`,
    ),
    ...SEEDED_USERS.map(
      (uid) => `dn: uid=${uid},ou=People,${BASE_DN}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${uid[0]?.toUpperCase()}${uid.slice(1)} Example
sn: Example
mail: ${uid}@example.test
userPassword: ${uid}-pass`,
    ),
    `dn: ${SERVICE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: svc-flowstead
userPassword: ${SERVICE_PASSWORD}`,
    `dn: cn=staff,ou=Groups,${BASE_DN}
objectClass: groupOfNames
cn: staff
member: uid=alice,ou=People,${BASE_DN}`,
  ];
  if (withAdSchema) {
    entries.push(`dn: cn=Dana AD,ou=People,${BASE_DN}
objectClass: user
objectClass: securityPrincipal
cn: Dana AD
sn: AD
sAMAccountName: dana
instanceType: 4
nTSecurityDescriptor: none
objectCategory: cn=Person,cn=Schema,cn=Configuration,${BASE_DN}
userAccountControl: 66048`);
  }
  return entries.join('\n\n') + '\n';
}

function slapadd(args: string[], ldif: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(SLAPADD_PATH, [...args, '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`slapadd ${args.join(' ')} failed (${code}): ${output}`)),
    );
    child.stdin.end(ldif);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilListening(child: ChildProcess, ports: number[], output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}: ${output()}`);
    const ready = await Promise.all(ports.map(canConnect));
    if (ready.every(Boolean)) return;
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`slapd did not listen on ${ports.join(', ')} within 15 s: ${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
