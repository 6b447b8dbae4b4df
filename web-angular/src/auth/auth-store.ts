import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';

import { AuthResponse, LoginRequest, RegisterRequest, User } from '@chat/contracts';

import { BROWSER_STORAGE, readJson } from '../shared/browser-storage';
import { ChatApi } from '../shared/chat-api';

export interface StoredSession {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user: User;
}

const SESSION_KEY = 'chat.session';
const EXPIRED_NOTICE = 'Your session has expired. Please sign in again.';
/** setTimeout's limit; a longer-lived token is re-checked when the timer fires. */
const MAX_TIMER_MS = 2_147_483_647;
/** A token is renewed when this share of its life is left (at most five minutes before it expires). */
const REFRESH_AHEAD = 0.2;
const REFRESH_AHEAD_MAX_MS = 5 * 60_000;

/**
 * The signed-in user and their token: kept across reloads, dropped on sign-out or when the server
 * stops accepting the token (expiry, revocation), in which case the user is told why.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly storage = inject(BROWSER_STORAGE);
  private readonly router = inject(Router);
  private readonly api = inject(ChatApi);
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly current = signal<StoredSession | null>(null);
  readonly session = this.current.asReadonly();
  readonly user = computed(() => this.current()?.user ?? null);
  readonly token = computed(() => this.current()?.token ?? null);
  readonly isSignedIn = computed(() => this.current() !== null);
  /** Why the user was signed out, shown on the sign-in page. */
  readonly notice = signal<string | null>(null);

  constructor() {
    this.api.tokenRefused.pipe(takeUntilDestroyed()).subscribe(() => this.expire());
    const stored = readJson<StoredSession>(this.storage, SESSION_KEY);
    if (isStoredSession(stored)) {
      if (stored.expiresAt > Date.now()) {
        this.apply(stored);
        this.scheduleRefresh(stored.expiresAt - Date.now());
      } else {
        this.storage.removeItem(SESSION_KEY);
        this.notice.set(EXPIRED_NOTICE);
      }
    }
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.expiryTimer);
      clearTimeout(this.refreshTimer);
    });
  }

  async signIn(request: LoginRequest): Promise<void> {
    this.start(await this.api.http.login(request));
  }

  async register(request: RegisterRequest): Promise<void> {
    this.start(await this.api.http.register(request));
  }

  /** Revokes the token on the server (its sockets close everywhere), then forgets it here either way. */
  signOut(): void {
    if (this.current()) this.api.http.logout().catch(() => undefined);
    this.end(null);
  }

  /** Ends every session of the user on the server (all devices), then forgets the token here. */
  async signOutEverywhere(): Promise<void> {
    await this.api.http.logoutAll();
    this.end(null);
  }

  /** The account's new profile (a display name change), kept with the session across reloads. */
  updateUser(user: User): void {
    const session = this.current();
    if (!session || session.user.id !== user.id) return;
    const next = { ...session, user };
    this.storage.setItem(SESSION_KEY, JSON.stringify(next));
    this.current.set(next);
  }

  /** The account was deleted: nothing of it stays in this browser. */
  forget(reason: string): void {
    this.end(reason);
  }

  /** The server refused the token: back to sign-in, saying why. Safe to call repeatedly. */
  expire(reason = EXPIRED_NOTICE): void {
    if (this.current()) this.end(reason);
  }

  private start(response: AuthResponse): void {
    const session: StoredSession = {
      token: response.accessToken,
      expiresAt: Date.now() + response.expiresIn * 1000,
      user: response.user,
    };
    this.storage.setItem(SESSION_KEY, JSON.stringify(session));
    this.notice.set(null);
    this.apply(session);
    this.scheduleRefresh(response.expiresIn * 1000);
  }

  /**
   * Renews the token before it expires, so a user who keeps the app open is never signed out; the
   * open socket takes the new token in-band (ChatConnection). If renewing fails the session simply
   * runs to its expiry.
   */
  private scheduleRefresh(lifetimeMs: number): void {
    clearTimeout(this.refreshTimer);
    const session = this.current();
    if (!session) return;
    const ahead = Math.min(lifetimeMs * REFRESH_AHEAD, REFRESH_AHEAD_MAX_MS);
    const delay = session.expiresAt - ahead - Date.now();
    if (delay > MAX_TIMER_MS) return;
    this.refreshTimer = setTimeout(
      () => {
        if (this.current() !== session) return;
        this.api.http.refresh().then(
          (response) => {
            if (this.current() === session) this.start(response);
          },
          () => undefined,
        );
      },
      Math.max(delay, 0),
    );
  }

  private apply(session: StoredSession): void {
    this.api.http.setToken(session.token);
    this.current.set(session);
    clearTimeout(this.expiryTimer);
    const remaining = session.expiresAt - Date.now();
    this.expiryTimer = setTimeout(
      () => (Date.now() >= session.expiresAt ? this.expire() : this.apply(session)),
      Math.min(Math.max(remaining, 0), MAX_TIMER_MS),
    );
  }

  private end(reason: string | null): void {
    clearTimeout(this.expiryTimer);
    clearTimeout(this.refreshTimer);
    this.storage.removeItem(SESSION_KEY);
    this.api.http.setToken(null);
    this.current.set(null);
    this.notice.set(reason);
    void this.router.navigateByUrl('/sign-in');
  }
}

function isStoredSession(value: unknown): value is StoredSession {
  const session = value as StoredSession | null;
  return (
    typeof session?.token === 'string' &&
    typeof session.expiresAt === 'number' &&
    typeof session.user?.id === 'string' &&
    typeof session.user.username === 'string'
  );
}
