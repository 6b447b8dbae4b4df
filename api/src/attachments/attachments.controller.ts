import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import parseRange from 'range-parser';

import type { Attachment, AttachmentUrls } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/current-user.decorator';
import { AttachmentResponse, AttachmentUrlsResponse, ErrorResponse } from '../common/openapi/schemas';
import { Public } from '../common/public.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { AttachmentReaderGuard, AttachmentReaderRequest } from './attachment-reader.guard';
import { AttachmentsService, Download } from './attachments.service';
import { AttachmentUrlsDto } from './dto/attachment-urls.dto';
import type { AttachmentVariant } from './signed-urls';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('rooms/:id/attachments')
  @ApiOperation({ summary: 'Upload a file to a room (members); send it with message:send attachmentIds' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: AttachmentResponse })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'Larger than ATTACHMENT_MAX_BYTES' })
  upload(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Req() request: Request,
  ): Promise<Attachment> {
    return this.attachments.upload(user, roomId, request);
  }

  @Post('attachments/signed-urls')
  @HttpCode(200)
  @ApiOperation({ summary: 'Short-lived download links for <img> and plain links (no bearer header needed)' })
  @ApiOkResponse({ type: AttachmentUrlsResponse })
  signedUrls(@CurrentUser() user: AuthUser, @Body() dto: AttachmentUrlsDto): Promise<AttachmentUrls> {
    return this.attachments.signedUrls(user.id, dto.attachmentIds);
  }

  @Get('attachments/:id')
  @Public()
  @UseGuards(AttachmentReaderGuard)
  @ApiOperation({ summary: 'Download (Bearer token or a signed URL); supports Range' })
  download(
    @Req() request: AttachmentReaderRequest,
    @Res() response: Response,
    @Param('id', UuidParam('id')) id: string,
  ): Promise<void> {
    return this.send(request, response, id, 'file');
  }

  @Get('attachments/:id/thumbnail')
  @Public()
  @UseGuards(AttachmentReaderGuard)
  @ApiOperation({ summary: 'Thumbnail of an image attachment (WebP)' })
  thumbnail(
    @Req() request: AttachmentReaderRequest,
    @Res() response: Response,
    @Param('id', UuidParam('id')) id: string,
  ): Promise<void> {
    return this.send(request, response, id, 'thumbnail');
  }

  private async send(
    request: AttachmentReaderRequest,
    response: Response,
    id: string,
    variant: AttachmentVariant,
  ): Promise<void> {
    const file = await this.attachments.download(request.readerId, id, variant);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'private, max-age=300');
    const redirect = await file.redirect();
    if (redirect) return response.redirect(302, redirect);
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Disposition', file.disposition);
    response.setHeader('Accept-Ranges', 'bytes');
    // An attachment is never a page: no script, no plugin, no frame even if a browser rendered it.
    response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    await this.stream(request, response, file);
  }

  private async stream(request: Request, response: Response, file: Download): Promise<void> {
    let range = { start: 0, end: file.size - 1 };
    const header = request.headers.range;
    if (header && file.size > 0) {
      const ranges = parseRange(file.size, header, { combine: true });
      if (ranges === -1) {
        response.status(416).setHeader('Content-Range', `bytes */${file.size}`).end();
        return;
      }
      // One range (the first of several): what browsers and media players ask for.
      if (ranges !== -2 && ranges.type === 'bytes') {
        range = { start: ranges[0].start, end: ranges[0].end };
        response.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
      }
    }
    response.setHeader('Content-Length', String(range.end - range.start + 1));
    if (file.size === 0 || request.method === 'HEAD') {
      response.end();
      return;
    }
    try {
      await pipeline(await file.open(range), response);
    } catch (error) {
      // Once bytes are on their way there is no error answer to give: the response is cut (the
      // client sees a short body); a client that went away is no error at all.
      if (!response.headersSent) throw error;
      response.destroy();
    }
  }
}
