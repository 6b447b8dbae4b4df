import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, output, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { debounceTime, distinctUntilChanged } from 'rxjs';

import { Limits, User } from '@chat/contracts';

import { ChatApi } from '../shared/chat-api';
import { errorText } from '../shared/error-text';

/** Finds people by name and offers one action per result ("Message", "Add"). */
@Component({
  selector: 'app-user-picker',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <mat-form-field appearance="outline" class="picker__search">
      <mat-label>{{ label() }}</mat-label>
      <input matInput type="search" [formControl]="search" [maxlength]="maxSearch" autocomplete="off" />
    </mat-form-field>
    @if (error(); as message) {
      <p class="picker__error" role="alert">{{ message }}</p>
    }
    <ul class="picker__results" [attr.aria-label]="label() + ': results'">
      @for (user of results(); track user.id) {
        <li class="picker__result">
          <span>
            <strong>{{ user.displayName || user.username }}</strong>
            <span class="picker__username">&#64;{{ user.username }}</span>
          </span>
          <button matButton="filled" type="button" [disabled]="disabled()" (click)="picked.emit(user)">
            {{ actionLabel() }} {{ user.username }}
          </button>
        </li>
      } @empty {
        @if (searched()) {
          <li class="picker__username">Nobody matches.</li>
        }
      }
    </ul>
  `,
  styles: `
    .picker__search {
      width: 100%;
    }
    .picker__results {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .picker__result {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 12px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .picker__username {
      margin-left: 6px;
      color: var(--mat-sys-on-surface-variant);
    }
    .picker__error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserPickerComponent {
  private readonly api = inject(ChatApi);

  readonly label = input('Search people');
  readonly actionLabel = input.required<string>();
  readonly disabled = input(false);
  readonly picked = output<User>();

  protected readonly maxSearch = Limits.SEARCH_MAX;
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly results = signal<User[]>([]);
  protected readonly searched = signal(false);
  protected readonly error = signal<string | null>(null);
  private generation = 0;

  constructor() {
    this.search.valueChanges
      .pipe(debounceTime(200), distinctUntilChanged(), takeUntilDestroyed(inject(DestroyRef)))
      .subscribe((term) => void this.find(term.trim()));
  }

  private async find(term: string): Promise<void> {
    const generation = ++this.generation;
    if (!term) {
      this.results.set([]);
      this.searched.set(false);
      return;
    }
    try {
      const users = await this.api.http.searchUsers(term);
      if (generation !== this.generation) return;
      this.results.set(users);
      this.searched.set(true);
      this.error.set(null);
    } catch (error) {
      if (generation === this.generation) this.error.set(errorText(error));
    }
  }
}
