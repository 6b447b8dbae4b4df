import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';

import { AttachmentUrlsRequest, Limits } from '@chat/contracts';

import { IsCanonicalUuids } from '../../common/uuid.validators';

export class AttachmentUrlsDto implements AttachmentUrlsRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(Limits.ATTACHMENT_URLS_MAX)
  @IsCanonicalUuids()
  attachmentIds!: string[];
}
