import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Operator endpoints answer only to `Authorization: Bearer <ADMIN_TOKEN>`; without ADMIN_TOKEN set
 * they do not exist (404). Compared as digests in constant time, so timing says nothing of the token.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(config: ConfigService<AllConfig, true>) {
    const token = config.get('app.adminToken', { infer: true });
    this.expected = token ? digest(token) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new NotFoundException();
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const presented = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
    if (!timingSafeEqual(digest(presented), this.expected))
      throw AppError.unauthorized('Invalid admin token');
    return true;
  }
}
