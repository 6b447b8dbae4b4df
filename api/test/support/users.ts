import { randomUUID } from 'node:crypto';

import type { AuthResponse, Room } from '@chat/contracts';
import { ChatClient } from '@chat/sdk';

export interface TestUser {
  client: ChatClient;
  auth: AuthResponse;
  id: string;
  username: string;
}

/** A unique name per call, so suites sharing the run's database never collide. */
export const uniqueName = (prefix = 'u'): string =>
  `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

export async function registerUser(baseUrl: string, prefix = 'u'): Promise<TestUser> {
  const client = new ChatClient({ baseUrl });
  const username = uniqueName(prefix);
  const auth = await client.http.register({
    username,
    password: 'correct horse battery',
    displayName: username,
  });
  return { client, auth, id: auth.user.id, username };
}

/** A room `owner` creates with `members` in it: they join a public room; the owner adds them to a private one. */
export async function createRoomWith(
  owner: TestUser,
  members: TestUser[],
  name: string,
  visibility: Room['visibility'] = 'public',
): Promise<Room> {
  const room = await owner.client.http.createRoom({ name, visibility });
  for (const member of members) {
    if (visibility === 'public') await member.client.http.joinRoom(room.id);
    else await owner.client.http.addMember(room.id, member.id);
  }
  return room;
}

/** Raw HTTP for what the SDK deliberately cannot send (malformed bodies, missing tokens). */
export async function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: string | Uint8Array; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, text, headers: response.headers };
}
