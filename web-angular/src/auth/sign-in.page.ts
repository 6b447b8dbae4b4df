import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';

import { Limits } from '@chat/contracts';

import { ActionState } from '../shared/action-state';
import { errorText, fieldError } from '../shared/error-text';
import { AuthStore } from './auth-store';

/** Sign in, or create an account: one form, two modes (the route says which). */
@Component({
  selector: 'app-sign-in-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  templateUrl: './sign-in.page.html',
  styleUrl: './sign-in.page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  readonly mode = input<'sign-in' | 'register'>('sign-in');
  protected readonly registering = computed(() => this.mode() === 'register');
  protected readonly notice = this.auth.notice;
  private readonly submitting = new ActionState();
  protected readonly busy = this.submitting.busy;
  protected readonly failure = this.submitting.failure;
  protected readonly limits = Limits;

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: [
      '',
      [
        Validators.required,
        Validators.minLength(Limits.USERNAME_MIN),
        Validators.maxLength(Limits.USERNAME_MAX),
        Validators.pattern(Limits.USERNAME_PATTERN),
      ],
    ],
    displayName: ['', [Validators.maxLength(Limits.DISPLAY_NAME_MAX)]],
    password: [
      '',
      [
        Validators.required,
        Validators.minLength(Limits.PASSWORD_MIN),
        Validators.maxLength(Limits.PASSWORD_MAX),
      ],
    ],
  });

  protected readonly formError = computed(() => {
    const failure = this.failure();
    return failure && !fieldError(failure, 'username') && !fieldError(failure, 'password')
      ? errorText(failure)
      : null;
  });

  protected serverError(field: string): string | null {
    return fieldError(this.failure(), field);
  }

  protected async submit(): Promise<void> {
    // Registration rules are the server's to enforce; signing in only needs both fields filled.
    if (this.registering() ? this.form.invalid : !this.form.value.username || !this.form.value.password) {
      this.form.markAllAsTouched();
      return;
    }
    const { username, password, displayName } = this.form.getRawValue();
    await this.submitting.run(async () => {
      if (this.registering())
        await this.auth.register({ username, password, displayName: displayName || undefined });
      else await this.auth.signIn({ username, password });
      await this.router.navigateByUrl('/');
    });
  }
}
