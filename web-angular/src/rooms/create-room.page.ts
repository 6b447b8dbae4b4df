import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { Router } from '@angular/router';

import { Limits, RoomVisibility } from '@chat/contracts';

import { ActionState } from '../shared/action-state';
import { errorText, fieldError } from '../shared/error-text';
import { RoomsStore } from './rooms-store';

/** A new group room: public (anyone can join) or private (the owner adds people), optionally capped. */
@Component({
  selector: 'app-create-room-page',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatRadioModule],
  template: `
    <section class="page">
      <h1>Create a room</h1>
      <form [formGroup]="form" (ngSubmit)="create()" novalidate>
        <mat-form-field appearance="outline">
          <mat-label>Room name</mat-label>
          <input matInput formControlName="name" [maxlength]="limits.ROOM_NAME_MAX" required />
          @if (serverError('name'); as message) {
            <mat-hint class="page__error">{{ message }}</mat-hint>
          }
          <mat-error>Give the room a name (at most {{ limits.ROOM_NAME_MAX }} characters).</mat-error>
        </mat-form-field>

        <fieldset>
          <legend>Who can join</legend>
          <mat-radio-group formControlName="visibility" aria-label="Who can join">
            <mat-radio-button value="public">Public: anyone can find and join it</mat-radio-button>
            <mat-radio-button value="private">Private: only people you add</mat-radio-button>
          </mat-radio-group>
        </fieldset>

        <mat-form-field appearance="outline">
          <mat-label>Capacity (optional)</mat-label>
          <input matInput type="number" formControlName="capacity" min="1" [max]="limits.ROOM_CAPACITY_MAX" />
          <mat-hint>Maximum number of members; empty for no limit.</mat-hint>
          @if (serverError('capacity'); as message) {
            <mat-hint class="page__error">{{ message }}</mat-hint>
          }
          <mat-error>Between 1 and {{ limits.ROOM_CAPACITY_MAX }}.</mat-error>
        </mat-form-field>

        @if (formError(); as message) {
          <p class="page__error" role="alert">{{ message }}</p>
        }
        <div class="form-actions">
          <button matButton="filled" type="submit" [disabled]="busy()">Create room</button>
        </div>
      </form>
    </section>
  `,
  styleUrl: './rooms-pages.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateRoomPage {
  private readonly rooms = inject(RoomsStore);
  private readonly router = inject(Router);

  protected readonly limits = Limits;
  private readonly creating = new ActionState();
  protected readonly busy = this.creating.busy;
  protected readonly failure = this.creating.failure;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(Limits.ROOM_NAME_MAX), Validators.pattern(/\S/)]],
    visibility: ['public' as RoomVisibility],
    capacity: [null as number | null, [Validators.min(1), Validators.max(Limits.ROOM_CAPACITY_MAX)]],
  });

  protected serverError(field: string): string | null {
    return fieldError(this.failure(), field);
  }

  protected formError(): string | null {
    const failure = this.failure();
    return failure && !this.serverError('name') && !this.serverError('capacity') ? errorText(failure) : null;
  }

  protected async create(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, visibility, capacity } = this.form.getRawValue();
    await this.creating.run(async () => {
      const room = await this.rooms.create({ name: name.trim(), visibility, capacity: capacity ?? null });
      await this.router.navigate(['/rooms', room.id]);
    });
  }
}
