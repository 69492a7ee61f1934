/**
 * The data behind the Okta emulator: users, groups, apps and their assignments, and the System
 * Log events each change writes, plus seed helpers that skip the HTTP layer.
 */
import { randomUUID } from 'node:crypto';
import { randomId } from './emulator-server.js';

export type OktaUserStatus =
  'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'RECOVERY' | 'PASSWORD_EXPIRED' | 'LOCKED_OUT' | 'SUSPENDED' | 'DEPROVISIONED';

export interface OktaProfile {
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  [attribute: string]: unknown;
}

export interface OktaUser {
  id: string;
  status: OktaUserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  type: { id: string };
  profile: OktaProfile;
  /** Kept out of responses, like Okta never returns a password. */
  hasPassword: boolean;
}

export interface OktaGroup {
  id: string;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  objectClass: string[];
  type: 'OKTA_GROUP';
  profile: { name: string; description: string | null };
}

export interface OktaApp {
  id: string;
  name: string;
  label: string;
  status: 'ACTIVE' | 'INACTIVE';
  created: string;
  lastUpdated: string;
  signOnMode: string;
}

export interface OktaAppUser {
  id: string;
  scope: 'USER' | 'GROUP';
  status: 'PROVISIONED' | 'STAGED';
  created: string;
  lastUpdated: string;
  credentials: { userName: string };
  profile: Record<string, unknown>;
}

export interface OktaLogTarget {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
}

export interface OktaLogEvent {
  uuid: string;
  published: string;
  eventType: string;
  displayMessage: string;
  severity: 'INFO' | 'WARN';
  actor: OktaLogTarget;
  target: OktaLogTarget[];
  outcome: { result: 'SUCCESS' | 'FAILURE' };
  legacyEventType: string | null;
}

const userTypeId = 'oty' + randomId(17);

export class OktaState {
  readonly users = new Map<string, OktaUser>();
  readonly groups = new Map<string, OktaGroup>();
  /** Group id → member user ids, in the order they were added. */
  readonly memberships = new Map<string, Set<string>>();
  readonly apps = new Map<string, OktaApp>();
  /** App id → assignments by user id. */
  readonly assignments = new Map<string, Map<string, OktaAppUser>>();
  readonly logs: OktaLogEvent[] = [];

  constructor(private readonly now: () => number) {}

  timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  findUser(idOrLogin: string): OktaUser | undefined {
    const byId = this.users.get(idOrLogin);
    if (byId) return byId;
    const login = idOrLogin.toLowerCase();
    for (const user of this.users.values()) if (user.profile.login.toLowerCase() === login) return user;
    return undefined;
  }

  loginTaken(login: string, exceptId?: string): boolean {
    const existing = this.findUser(login);
    return (
      existing !== undefined && existing.id !== exceptId && existing.profile.login.toLowerCase() === login.toLowerCase()
    );
  }

  /** Adds a user without validation (seed) or after the routes validated it. */
  addUser(profile: OktaProfile, status: OktaUserStatus = 'ACTIVE', hasPassword = status === 'ACTIVE'): OktaUser {
    const now = this.timestamp();
    const user: OktaUser = {
      id: '00u' + randomId(17),
      status,
      created: now,
      activated: status === 'ACTIVE' ? now : null,
      statusChanged: status === 'STAGED' ? null : now,
      lastLogin: null,
      lastUpdated: now,
      passwordChanged: hasPassword ? now : null,
      type: { id: userTypeId },
      profile: { ...profile },
      hasPassword,
    };
    this.users.set(user.id, user);
    this.log('user.lifecycle.create', `Create okta user`, [userTarget(user)]);
    return user;
  }

  addGroup(name: string, description: string | null = null): OktaGroup {
    const now = this.timestamp();
    const group: OktaGroup = {
      id: '00g' + randomId(17),
      created: now,
      lastUpdated: now,
      lastMembershipUpdated: now,
      objectClass: ['okta:user_group'],
      type: 'OKTA_GROUP',
      profile: { name, description },
    };
    this.groups.set(group.id, group);
    this.memberships.set(group.id, new Set());
    this.log('group.lifecycle.create', 'Create Okta group', [groupTarget(group)]);
    return group;
  }

  addApp(label: string, name = 'oidc_client'): OktaApp {
    const now = this.timestamp();
    const app: OktaApp = {
      id: '0oa' + randomId(17),
      name,
      label,
      status: 'ACTIVE',
      created: now,
      lastUpdated: now,
      signOnMode: 'OPENID_CONNECT',
    };
    this.apps.set(app.id, app);
    this.assignments.set(app.id, new Map());
    return app;
  }

  addMember(groupId: string, userId: string): void {
    const members = this.memberships.get(groupId);
    const group = this.groups.get(groupId);
    const user = this.users.get(userId);
    if (!members || !group || !user || members.has(userId)) return;
    members.add(userId);
    group.lastMembershipUpdated = this.timestamp();
    this.log('group.user_membership.add', 'Add user to group membership', [userTarget(user), groupTarget(group)]);
  }

  removeMember(groupId: string, userId: string): void {
    const group = this.groups.get(groupId);
    const user = this.users.get(userId);
    if (!group || !user || !this.memberships.get(groupId)?.delete(userId)) return;
    group.lastMembershipUpdated = this.timestamp();
    this.log('group.user_membership.remove', 'Remove user from group membership', [
      userTarget(user),
      groupTarget(group),
    ]);
  }

  assign(appId: string, userId: string, profile: Record<string, unknown> = {}): OktaAppUser | undefined {
    const app = this.apps.get(appId);
    const user = this.users.get(userId);
    const assigned = this.assignments.get(appId);
    if (!app || !user || !assigned) return undefined;
    const now = this.timestamp();
    const existing = assigned.get(userId);
    const appUser: OktaAppUser = {
      id: userId,
      scope: 'USER',
      status: 'PROVISIONED',
      created: existing?.created ?? now,
      lastUpdated: now,
      credentials: { userName: user.profile.login },
      profile: { ...existing?.profile, ...profile },
    };
    assigned.set(userId, appUser);
    if (!existing) {
      this.log('application.user_membership.add', 'Add user to application membership', [
        userTarget(user),
        { id: app.id, type: 'AppInstance', alternateId: app.label, displayName: app.label },
      ]);
    }
    return appUser;
  }

  /** Removing a user also drops their memberships and assignments, as Okta does on delete. */
  deleteUser(user: OktaUser): void {
    this.users.delete(user.id);
    for (const members of this.memberships.values()) members.delete(user.id);
    for (const assigned of this.assignments.values()) assigned.delete(user.id);
    this.log('user.lifecycle.delete.initiated', 'Delete Okta user', [userTarget(user)]);
  }

  log(eventType: string, displayMessage: string, target: OktaLogTarget[]): OktaLogEvent {
    const event: OktaLogEvent = {
      uuid: randomUUID(),
      published: this.timestamp(),
      eventType,
      displayMessage,
      severity: 'INFO',
      actor: { id: '00u' + 'flowsteadadmin000', type: 'User', alternateId: 'admin@example.com', displayName: 'Admin' },
      target,
      outcome: { result: 'SUCCESS' },
      legacyEventType: null,
    };
    this.logs.push(event);
    return event;
  }
}

export function userTarget(user: OktaUser): OktaLogTarget {
  return {
    id: user.id,
    type: 'User',
    alternateId: user.profile.login,
    displayName: `${user.profile.firstName} ${user.profile.lastName}`,
  };
}

export function groupTarget(group: OktaGroup): OktaLogTarget {
  return { id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.profile.name };
}
