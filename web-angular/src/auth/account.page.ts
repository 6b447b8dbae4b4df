import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';

import { Limits } from '@chat/contracts';

import { ChatApi } from '../shared/chat-api';
import { errorText, fieldError } from '../shared/error-text';
import { AuthStore } from './auth-store';

type Section = 'profile' | 'password' | 'delete';

/** The user's own account: display name, password, and deleting it (behind the password and a confirmation). */
@Component({
  selector: 'app-account-page',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, RouterLink],
  template: `
    <section class="page">
      <h1>Your account</h1>
      <p>Signed in as &#64;{{ auth.user()?.username }}. <a routerLink="/sessions">Your sessions</a></p>

      <form aria-label="Display name" (submit)="$event.preventDefault(); saveName()">
        <mat-form-field appearance="outline">
          <mat-label>Display name</mat-label>
          <input
            matInput
            name="displayName"
            [value]="displayName()"
            (input)="displayName.set(value($event))"
            [attr.maxlength]="limits.DISPLAY_NAME_MAX"
          />
        </mat-form-field>
        <button matButton="filled" type="submit" [disabled]="busy()">Save name</button>
        @if (done() === 'profile') {
          <span role="status">Saved.</span>
        }
        @if (errorIn('profile'); as message) {
          <p class="page__error" role="alert">{{ message }}</p>
        }
      </form>

      <h2>Password</h2>
      <form aria-label="Change password" (submit)="$event.preventDefault(); changePassword()">
        <mat-form-field appearance="outline">
          <mat-label>Current password</mat-label>
          <input
            matInput
            type="password"
            name="currentPassword"
            autocomplete="current-password"
            [value]="currentPassword()"
            (input)="currentPassword.set(value($event))"
          />
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>New password</mat-label>
          <input
            matInput
            type="password"
            name="newPassword"
            autocomplete="new-password"
            [value]="newPassword()"
            (input)="newPassword.set(value($event))"
          />
          <mat-hint
            >At least {{ limits.PASSWORD_MIN }} characters. Your other sessions will be signed out.</mat-hint
          >
        </mat-form-field>
        <button matButton="filled" type="submit" [disabled]="busy()">Change password</button>
        @if (done() === 'password') {
          <span role="status">Password changed; your other sessions were signed out.</span>
        }
        @if (errorIn('password'); as message) {
          <p class="page__error" role="alert">{{ message }}</p>
        }
      </form>

      <h2>Delete account</h2>
      <p>
        Your messages stay, shown as from “Deleted user”. Rooms you own go to their longest-standing admin (or
        member), or are archived if nobody else is in them. You are signed out everywhere.
      </p>
      @if (confirmingDelete()) {
        <form aria-label="Delete account" (submit)="$event.preventDefault(); deleteAccount()">
          <mat-form-field appearance="outline">
            <mat-label>Your password, to confirm</mat-label>
            <input
              matInput
              type="password"
              name="deletePassword"
              autocomplete="current-password"
              [value]="deletePassword()"
              (input)="deletePassword.set(value($event))"
            />
          </mat-form-field>
          <button matButton="filled" type="submit" class="danger" [disabled]="busy()">
            Delete my account
          </button>
          <button matButton type="button" (click)="confirmingDelete.set(false)">Cancel</button>
          @if (errorIn('delete'); as message) {
            <p class="page__error" role="alert">{{ message }}</p>
          }
        </form>
      } @else {
        <button matButton="outlined" type="button" class="danger" (click)="confirmingDelete.set(true)">
          Delete account…
        </button>
      }
    </section>
  `,
  styleUrl: '../rooms/rooms-pages.css',
  styles: `
    form {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 8px 12px;
    }
    h2 {
      margin: 24px 0 8px;
      font: var(--mat-sys-title-medium);
    }
    .danger {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountPage {
  protected readonly auth = inject(AuthStore);
  private readonly api = inject(ChatApi);

  protected readonly limits = Limits;
  protected readonly displayName = signal(this.auth.user()?.displayName ?? '');
  protected readonly currentPassword = signal('');
  protected readonly newPassword = signal('');
  protected readonly deletePassword = signal('');
  protected readonly confirmingDelete = signal(false);
  protected readonly busy = signal(false);
  protected readonly done = signal<Section | null>(null);
  private readonly failure = signal<{ section: Section; error: unknown } | null>(null);

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  protected errorIn(section: Section): string | null {
    const failure = this.failure();
    if (failure?.section !== section) return null;
    const fields = ['displayName', 'currentPassword', 'newPassword', 'password'];
    return fields.map((field) => fieldError(failure.error, field)).find(Boolean) ?? errorText(failure.error);
  }

  protected saveName(): Promise<void> {
    return this.run('profile', async () => {
      this.auth.updateUser(await this.api.http.updateProfile({ displayName: this.displayName().trim() }));
    });
  }

  protected changePassword(): Promise<void> {
    return this.run('password', async () => {
      await this.api.http.changePassword({
        currentPassword: this.currentPassword(),
        newPassword: this.newPassword(),
      });
      this.currentPassword.set('');
      this.newPassword.set('');
    });
  }

  protected deleteAccount(): Promise<void> {
    return this.run('delete', async () => {
      await this.api.http.deleteAccount({ password: this.deletePassword() });
      this.auth.forget('Your account was deleted.');
    });
  }

  private async run(section: Section, action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.done.set(null);
    this.failure.set(null);
    try {
      await action();
      this.done.set(section);
    } catch (error) {
      this.failure.set({ section, error });
    } finally {
      this.busy.set(false);
    }
  }
}
