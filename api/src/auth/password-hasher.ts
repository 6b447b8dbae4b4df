import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as argon2 from 'argon2';

import { AllConfig } from '../config/config.type';
import { HashSlots } from './hash-slots';

/** OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB, t=2, p=1. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Every hash and verification goes through one HashSlots, so their number at once is capped. */
@Injectable()
export class PasswordHasher {
  /** Verified against when the user does not exist, so both failures cost the same time. */
  private readonly decoyHash = argon2.hash('decoy password that matches nothing', ARGON2_OPTIONS);
  private readonly slots: HashSlots;

  constructor(config: ConfigService<AllConfig, true>) {
    this.slots = new HashSlots(
      config.get('auth.passwordHashConcurrency', { infer: true }),
      config.get('auth.passwordHashQueue', { infer: true }),
    );
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  /** UNAVAILABLE when too many hashes are already waiting; otherwise whether the password matches. */
  async verify(hash: string | null, password: string): Promise<boolean> {
    const against = hash ?? (await this.decoyHash);
    const matches = await this.slots.run(() => argon2.verify(against, password).catch(() => false));
    return hash !== null && matches;
  }
}
