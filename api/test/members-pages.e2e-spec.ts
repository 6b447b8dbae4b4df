import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

import { Limits, type MemberPage } from '@chat/contracts';

import { TestApp, startTestApp } from './support/test-app';
import { RUN_DATABASE_URL_VAR } from './support/test-env';
import { TestUser, rawRequest, registerUser } from './support/users';

/** Enough members for more than one page at the largest page size. */
const EXTRA_MEMBERS = Limits.MEMBERS_PAGE_MAX + 50;

/** `GET /api/rooms/:id/members` answers in bounded pages, whatever the size of the room. */
describe('room members in pages', () => {
  let app: TestApp;
  let db: Client;
  let owner: TestUser;
  let roomId: string;

  beforeAll(async () => {
    app = await startTestApp();
    db = new Client({ connectionString: process.env[RUN_DATABASE_URL_VAR] });
    await db.connect();
    owner = await registerUser(app.url, 'owner');
    roomId = (await owner.client.http.createRoom({ name: 'Crowded', visibility: 'public' })).id;
    // Straight into the database: hundreds of sign-ups would spend minutes hashing passwords.
    const tag = randomUUID().slice(0, 8);
    await db.query(
      `WITH added AS (
         INSERT INTO users (username, password_hash, display_name)
         SELECT 'm' || $2 || '_' || n, 'not-a-hash', 'Member ' || n FROM generate_series(1, $3::int) n
         RETURNING id
       )
       INSERT INTO memberships (room_id, user_id, role) SELECT $1, id, 'member' FROM added`,
      [roomId, tag, EXTRA_MEMBERS],
    );
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const page = (query = '') =>
    rawRequest(app.url, 'GET', `/api/rooms/${roomId}/members${query}`, { token: owner.auth.accessToken });

  it('never answers with more than a page, and the pages hold every member exactly once', async () => {
    const first = await page();
    expect(first.status).toBe(200);
    const body = first.body as MemberPage;
    expect(body.members).toHaveLength(Limits.MEMBERS_PAGE_DEFAULT);
    expect(body.nextCursor).toEqual(expect.any(String));

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const answer = await page(`?limit=${Limits.MEMBERS_PAGE_MAX}${after ? `&after=${after}` : ''}`);
      const next = answer.body as MemberPage;
      expect(next.members.length).toBeLessThanOrEqual(Limits.MEMBERS_PAGE_MAX);
      seen.push(...next.members.map((member) => member.user.id));
      after = next.nextCursor;
    } while (after);

    expect(seen).toHaveLength(EXTRA_MEMBERS + 1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(owner.id);
    // The SDK's convenience reads every page.
    expect(await owner.client.http.members(roomId)).toHaveLength(EXTRA_MEMBERS + 1);
  });

  it('refuses a page larger than the maximum, or a cursor that is not one, with VALIDATION', async () => {
    for (const query of [`?limit=${Limits.MEMBERS_PAGE_MAX + 1}`, '?limit=0', '?after=not-a-cursor']) {
      const answer = await page(query);
      expect({ query, status: answer.status, code: answer.body?.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION',
      });
    }
  });
});
