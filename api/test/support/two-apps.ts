import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

import { ChatClient, ChatSocket, ChatSocketSettings } from '@chat/sdk';

import { TestApp, startTestApp } from './test-app';
import { RUN_DATABASE_URL_VAR, RUN_REDIS_PREFIX_VAR } from './test-env';
import { TestUser } from './users';

/** Two instances sharing a Redis key prefix, a Postgres client to look under them, and sockets that close after each test. */
export interface TwoApps {
  readonly apps: TestApp[];
  readonly db: Client;
  /** A connected socket of `user` (or of an access token) on `app`, disconnected after the test. */
  connect(user: TestUser | string, app: TestApp, settings?: ChatSocketSettings): Promise<ChatSocket>;
}

/** Starts the two instances (`env` on both) before the suite's tests and closes them after. Call it in the `describe`. */
export function useTwoApps(tag: string, env: Record<string, string> = {}): TwoApps {
  const sockets: ChatSocket[] = [];
  const state = { apps: [] as TestApp[], db: undefined as unknown as Client };

  beforeAll(async () => {
    const appEnv = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:${tag}-${randomUUID().slice(0, 8)}`,
      ...env,
    };
    state.apps = [await startTestApp(appEnv), await startTestApp(appEnv)];
    state.db = new Client({ connectionString: process.env[RUN_DATABASE_URL_VAR] });
    await state.db.connect();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await state.db.end();
    await Promise.all(state.apps.map((app) => app.close()));
  });

  return {
    get apps() {
      return state.apps;
    },
    get db() {
      return state.db;
    },
    async connect(user, app, settings = {}) {
      const token = typeof user === 'string' ? user : user.auth.accessToken;
      const socket = new ChatClient({ baseUrl: app.url, token }).socket(settings);
      sockets.push(socket);
      await socket.connect();
      return socket;
    },
  };
}
