import { PickType } from '@nestjs/swagger';

import { PostMessageRequest } from '@chat/contracts';

import { MessageSendDto } from '../../chat/dto/socket-payloads.dto';

/** The body, clientMsgId, threadRootId and attachmentIds rules of `message:send`, inherited so REST and sockets cannot drift apart. */
export class PostMessageDto
  extends PickType(MessageSendDto, ['body', 'clientMsgId', 'threadRootId', 'attachmentIds'])
  implements PostMessageRequest {}
