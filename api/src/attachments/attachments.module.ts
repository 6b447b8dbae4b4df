import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';

import { AuthModule } from '../auth/auth.module';
import { JWT_SECRET, JwtKey, jwtSecretProvider } from '../auth/jwt-secret.provider';
import { AllConfig } from '../config/config.type';
import { RoomsModule } from '../rooms/rooms.module';
import { AttachmentCollector } from './attachment-collector';
import { AttachmentReaderGuard } from './attachment-reader.guard';
import { AttachmentsDataModule } from './attachments-data.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { SignedUrls } from './signed-urls';
import { BlobStorage } from './storage/blob-storage';
import { PostgresBlobStorage } from './storage/postgres-blob-storage';
import { S3BlobStorage } from './storage/s3-blob-storage';
import { UploadBudget } from './upload-budget';

/** Uploads, downloads (bearer or signed URL), and the collection of files nobody may read any more. */
@Module({
  imports: [AuthModule, RoomsModule, AttachmentsDataModule],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    AttachmentCollector,
    AttachmentReaderGuard,
    UploadBudget,
    jwtSecretProvider,
    { provide: SignedUrls, inject: [JWT_SECRET], useFactory: (key: JwtKey) => new SignedUrls(key) },
    {
      provide: BlobStorage,
      inject: [ConfigService, DataSource],
      useFactory: (config: ConfigService<AllConfig, true>, dataSource: DataSource): BlobStorage => {
        const s3 = config.get('attachments.s3', { infer: true });
        return s3 ? new S3BlobStorage(s3) : new PostgresBlobStorage(dataSource);
      },
    },
  ],
  exports: [AttachmentCollector],
})
export class AttachmentsModule {}
