import { Module } from '@nestjs/common';

import { AttachmentsRepository } from './attachments.repository';

/** The attachment queries, on their own so messages can read and claim attachments without the upload rules. */
@Module({
  providers: [AttachmentsRepository],
  exports: [AttachmentsRepository],
})
export class AttachmentsDataModule {}
