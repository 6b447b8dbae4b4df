import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { debounceTime, distinctUntilChanged, startWith } from 'rxjs';

import { Limits, Room } from '@chat/contracts';

import { ActionState } from '../shared/action-state';
import { ChatApi } from '../shared/chat-api';
import { errorText } from '../shared/error-text';
import { RoomsStore } from './rooms-store';

/** Public rooms anyone can join, searchable by name. */
@Component({
  selector: 'app-browse-rooms-page',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <section class="page">
      <h1>Public rooms</h1>
      <mat-form-field appearance="outline" class="page__search">
        <mat-label>Search rooms</mat-label>
        <input matInput type="search" [formControl]="search" [maxlength]="maxSearch" />
      </mat-form-field>
      @if (error(); as message) {
        <p class="page__error" role="alert">{{ message }}</p>
      }
      <ul class="results" aria-label="Public rooms">
        @for (room of results(); track room.id) {
          <li class="result">
            <span class="result__text">
              <strong># {{ room.name }}</strong>
              <span class="result__meta">
                {{ room.memberCount }} {{ room.memberCount === 1 ? 'member' : 'members' }}
                @if (room.capacity !== null) {
                  · capacity {{ room.capacity }}
                }
              </span>
            </span>
            @if (isMember(room)) {
              <button matButton="outlined" type="button" (click)="open(room)">Open {{ room.name }}</button>
            } @else {
              <button
                matButton="filled"
                type="button"
                [disabled]="joining() === room.id"
                (click)="join(room)"
              >
                Join {{ room.name }}
              </button>
            }
          </li>
        } @empty {
          @if (!loading()) {
            <li class="result__empty">No public rooms match.</li>
          }
        }
      </ul>
    </section>
  `,
  styleUrl: './rooms-pages.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BrowseRoomsPage {
  private readonly api = inject(ChatApi);
  private readonly rooms = inject(RoomsStore);
  private readonly router = inject(Router);

  protected readonly maxSearch = Limits.SEARCH_MAX;
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly results = signal<Room[]>([]);
  protected readonly loading = signal(true);
  private readonly joiner = new ActionState<string>();
  protected readonly joining = this.joiner.running;
  private readonly searchError = signal<string | null>(null);
  protected readonly error = computed(() => this.joiner.error() ?? this.searchError());
  private searchGeneration = 0;

  constructor() {
    this.search.valueChanges
      .pipe(startWith(''), debounceTime(200), distinctUntilChanged(), takeUntilDestroyed(inject(DestroyRef)))
      .subscribe((term) => void this.find(term.trim()));
  }

  protected isMember(room: Room): boolean {
    return this.rooms.byId(room.id) !== undefined;
  }

  protected async join(room: Room): Promise<void> {
    this.searchError.set(null);
    await this.joiner.run(async () => {
      await this.rooms.join(room.id);
      await this.open(room);
    }, room.id);
  }

  protected async open(room: Room): Promise<void> {
    await this.router.navigate(['/rooms', room.id]);
  }

  private async find(term: string): Promise<void> {
    const generation = ++this.searchGeneration;
    this.loading.set(true);
    try {
      const rooms = await this.api.http.publicRooms(term || undefined);
      if (generation === this.searchGeneration) {
        this.results.set(rooms);
        this.searchError.set(null);
      }
    } catch (error) {
      if (generation === this.searchGeneration) this.searchError.set(errorText(error));
    } finally {
      if (generation === this.searchGeneration) this.loading.set(false);
    }
  }
}
