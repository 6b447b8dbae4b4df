import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { AuthResponse } from '@chat/contracts';

import { BROWSER_STORAGE, MemoryStorage } from '../shared/browser-storage';
import { API_FETCH } from '../shared/chat-api';
import { AuthStore } from './auth-store';

const user = { id: 'u1', username: 'alice', displayName: 'Alice', createdAt: '2026-01-01T00:00:00.000Z' };
const auth = (accessToken: string, expiresIn: number): AuthResponse => ({ accessToken, expiresIn, user });
/** What the SDK reads of a fetch Response (jsdom has no Response class). */
const json = (status: number, body: unknown) =>
  ({
    status,
    ok: status >= 200 && status < 300,
    headers: { get: () => null },
    text: async () => (body === undefined ? '' : JSON.stringify(body)),
  }) as unknown as Response;

describe('AuthStore token renewal', () => {
  let calls: { url: string; token: string | null }[];
  let refreshAnswer: () => Response;

  function createStore(): AuthStore {
    calls = [];
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'sign-in', children: [] }]),
        { provide: BROWSER_STORAGE, useValue: new MemoryStorage() },
        {
          provide: API_FETCH,
          useValue: async (input: RequestInfo | URL, init?: RequestInit) => {
            const url = String(input);
            const headers = (init?.headers ?? {}) as Record<string, string>;
            const token = headers.authorization?.replace('Bearer ', '') ?? null;
            calls.push({ url, token });
            if (url.endsWith('/auth/login')) return json(200, auth('first', 100));
            if (url.endsWith('/auth/refresh')) return refreshAnswer();
            if (url.endsWith('/auth/logout')) return json(204, undefined);
            return json(404, { statusCode: 404, code: 'NOT_FOUND', message: 'nothing here' });
          },
        },
      ],
    });
    return TestBed.inject(AuthStore);
  }

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('renews the token when a fifth of its life is left, keeping the user signed in', async () => {
    refreshAnswer = () => json(200, auth('second', 100));
    const store = createStore();
    await store.signIn({ username: 'alice', password: 'secret-password' });
    expect(store.token()).toBe('first');

    await jest.advanceTimersByTimeAsync(79_000);
    expect(calls.some((call) => call.url.endsWith('/auth/refresh'))).toBe(false);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(calls.find((call) => call.url.endsWith('/auth/refresh'))?.token).toBe('first');
    expect(store.token()).toBe('second');
    expect(store.isSignedIn()).toBe(true);
  });

  it('lets the session run to its expiry when renewing fails, then signs out with the reason', async () => {
    refreshAnswer = () => json(503, { statusCode: 503, code: 'UNAVAILABLE', message: 'down' });
    const store = createStore();
    await store.signIn({ username: 'alice', password: 'secret-password' });

    await jest.advanceTimersByTimeAsync(81_000);
    expect(store.token()).toBe('first');
    await jest.advanceTimersByTimeAsync(20_000);
    expect(store.isSignedIn()).toBe(false);
    expect(store.notice()).toMatch(/expired/);
  });

  it('revokes the token on the server when the user signs out', async () => {
    const store = createStore();
    await store.signIn({ username: 'alice', password: 'secret-password' });
    store.signOut();
    await jest.advanceTimersByTimeAsync(0);
    expect(calls.find((call) => call.url.endsWith('/auth/logout'))?.token).toBe('first');
    expect(store.isSignedIn()).toBe(false);
  });
});
