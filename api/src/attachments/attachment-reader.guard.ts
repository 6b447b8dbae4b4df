import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

import type { AuthUser } from '../auth/auth-user';
import { BearerAuth } from '../auth/bearer-auth';
import { AppError } from '../common/app-error';
import { AttachmentsService } from './attachments.service';

export interface AttachmentReaderRequest extends Request {
  user?: AuthUser;
  /** Who reads: the bearer's user, or the user a valid signed URL was made for. */
  readerId: string;
}

/**
 * For the download routes (marked @Public() so the global JWT guard stands aside): a request with
 * `sig` in its query must carry a valid, unexpired signature for this attachment and variant;
 * anything else needs a Bearer token as on every other route. Membership is checked after, by the service.
 */
@Injectable()
export class AttachmentReaderGuard implements CanActivate {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly bearer: BearerAuth,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AttachmentReaderRequest>();
    if (request.query.sig === undefined) {
      request.user = await this.bearer.authenticate(request);
      request.readerId = request.user.id;
      return true;
    }
    const id = String(request.params.id ?? '').toLowerCase();
    const variant = request.path.endsWith('/thumbnail') ? 'thumbnail' : 'file';
    const readerId = this.attachments.verifySignedUrl(id, variant, request.query);
    if (!readerId) throw AppError.unauthorized('Invalid or expired download link');
    request.readerId = readerId;
    return true;
  }
}
