import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../../support/engine-app.js';
import { startBoxEmulator, type BoxEmulator } from '../../support/emulators/box.js';
import { card, flow, lit, ref } from '../../support/test-engine.js';

// Every Box card through the whole engine against an emulator of Box API 2.0: a Client
// Credentials Grant token for the enterprise (box_subject_type / box_subject_id), Box's error
// body `{type: 'error', status, code, message}`, and the owned-content transfer for leavers.
let box: BoxEmulator;
let app: Awaited<ReturnType<typeof openTestApp>>;
let connection: string;

beforeAll(async () => {
  box = await startBoxEmulator();
  app = await openTestApp();
  connection = (
    await app.handlers['connections.save']({
      connector: 'box',
      name: 'Box emulator',
      settings: { baseUrl: box.url, clientId: box.clientId, enterpriseId: box.enterpriseId },
      secrets: { clientSecret: box.clientSecret },
    })
  ).id;
});
afterAll(async () => {
  await app?.close();
  await box?.close();
});

async function runCards(id: string, nodes: Parameters<typeof flow>[0]['nodes'], input = {}) {
  await app.handlers['flows.save']({ flow: flow({ id, name: id, nodes }) });
  return app.run(id, input);
}

const c = () => ({ connection: lit(connection) });

describe('Box connector', () => {
  it('creates a team folder with a subfolder and shares it, with one token for every card', async () => {
    const ana = box.seed.user('ana.novak@example.com', 'Ana Novak');
    const run = await runCards('team-folder', [
      card('team', 'box.createFolder', { ...c(), name: lit('Finance Team') }),
      card('sub', 'box.createFolder', { ...c(), name: lit('Budgets'), parentId: ref('team', 'id') }),
      card('share', 'box.addCollaborator', {
        ...c(),
        folderId: ref('team', 'id'),
        email: lit('ana.novak@example.com'),
        role: lit('viewer'),
      }),
      card('invite', 'box.addCollaborator', {
        ...c(),
        folderId: ref('sub', 'id'),
        email: lit('external@partner.example'),
      }),
      card('done', 'control.return', {
        team: ref('team', 'id'),
        sub: ref('sub', 'id'),
        parent: ref('sub', 'folder', 'parent', 'id'),
        share: ref('share', 'id'),
        invite: ref('invite', 'id'),
      }),
    ]);
    expect(run.error).toBeNull();
    const team = box.state.folders.get(run.output?.['team'] as string)!;
    expect(team).toMatchObject({ name: 'Finance Team', parentId: '0', ownerId: box.serviceAccount.id });
    const sub = box.state.folders.get(run.output?.['sub'] as string)!;
    expect(sub).toMatchObject({ name: 'Budgets', parentId: team.id });
    expect(run.output?.['parent']).toBe(team.id);

    const share = box.state.collaborations.get(run.output?.['share'] as string)!;
    expect(share).toMatchObject({
      item: { type: 'folder', id: team.id },
      accessible_by: { type: 'user', id: ana.id, login: 'ana.novak@example.com' },
      role: 'viewer',
      status: 'accepted',
    });
    // The role defaults to editor; an unknown login is invited by email and waits as pending.
    const invite = box.state.collaborations.get(run.output?.['invite'] as string)!;
    expect(invite).toMatchObject({ item: { id: sub.id }, role: 'editor', status: 'pending' });

    // One client-credentials token, fetched once and reused by all four cards.
    expect(box.stats.tokenRequests).toBe(1);
    const apiCalls = box.requests.filter((r) => r.path.startsWith('/2.0/'));
    expect(new Set(apiCalls.map((r) => r.headers.authorization)).size).toBe(1);
  });

  it('transfers a leaver’s content to their manager', async () => {
    const leaver = box.seed.user('leaver@example.com', 'Lee Leaver');
    const manager = box.seed.user('manager@example.com', 'Mia Manager');
    const reports = box.seed.folder('Reports', leaver.id);
    const drafts = box.seed.folder('Drafts', leaver.id, reports.id);
    const run = await runCards('leaver', [
      card('transfer', 'box.transferContent', { ...c(), fromUserId: lit(leaver.id), toUserId: lit(manager.id) }),
      card('done', 'control.return', {
        id: ref('transfer', 'id'),
        name: ref('transfer', 'folder', 'name'),
        owner: ref('transfer', 'folder', 'owned_by', 'id'),
      }),
    ]);
    expect(run.error).toBeNull();
    const moved = box.state.folders.get(run.output?.['id'] as string)!;
    expect(moved.ownerId).toBe(manager.id);
    expect(run.output?.['owner']).toBe(manager.id);
    expect(run.output?.['name']).toContain('leaver@example.com');
    // Everything the leaver owned now belongs to the manager, under the new folder.
    expect(box.state.folders.get(reports.id)).toMatchObject({ ownerId: manager.id, parentId: moved.id });
    expect(box.state.folders.get(drafts.id)).toMatchObject({ ownerId: manager.id, parentId: reports.id });
    expect([...box.state.folders.values()].some((f) => f.ownerId === leaver.id)).toBe(false);
    const put = box.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe(`/2.0/users/${leaver.id}/folders/0`);
    expect(box.stats.tokenRequests).toBe(1);
  });

  it('fails a duplicate folder name with Box’s 409 item_name_in_use, never showing secret or token', async () => {
    box.seed.folder('Existing', box.serviceAccount.id);
    const run = await runCards('duplicate', [card('create', 'box.createFolder', { ...c(), name: lit('existing') })]);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('HTTP_409');
    expect(run.error?.message).toContain('item_name_in_use');
    expect(run.error?.message).toContain('Item with the same name already exists');
    const shown = JSON.stringify(run.error);
    expect(shown).not.toContain(box.clientSecret);
    const tokens = box.requests.map((r) => r.headers.authorization?.replace(/^Bearer /, '')).filter(Boolean);
    for (const token of tokens) expect(shown).not.toContain(token);
  });

  it('fetches a new token once after Box stops accepting the old one', async () => {
    const before = box.stats.tokenRequests;
    box.expireTokens();
    const run = await runCards('after-expiry', [
      card('a', 'box.createFolder', { ...c(), name: lit('After expiry A') }),
      card('b', 'box.createFolder', { ...c(), name: lit('After expiry B') }),
    ]);
    expect(run.error).toBeNull();
    expect(box.stats.tokenRequests - before).toBe(1);
  });
});
