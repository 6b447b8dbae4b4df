import { ApiProperty } from '@nestjs/swagger';

import type { SearchHit, SearchResults, SnippetPart } from '@chat/contracts';

import { MessageResponse, RoomResponse, UserRefResponse } from './schemas';

/* OpenAPI schemas of `GET /api/search`, each implementing its contract interface like those in schemas.ts. */

export class SnippetPartResponse implements SnippetPart {
  @ApiProperty({ description: 'Plain text: render it as text, never as HTML' }) text!: string;
  @ApiProperty({ description: 'A word the query matched (highlight it)' }) match!: boolean;
}

export class SearchHitResponse implements SearchHit {
  @ApiProperty({ type: MessageResponse, description: 'As it is now: edits applied, never a deleted one' })
  message!: MessageResponse;
  @ApiProperty({ type: [SnippetPartResponse], description: 'Up to two fragments of the body, matches marked' })
  snippet!: SnippetPartResponse[];
  @ApiProperty({ description: 'Postgres ts_rank: higher is more relevant' }) rank!: number;
}

export class SearchResultsResponse implements SearchResults {
  @ApiProperty({ type: [SearchHitResponse], description: 'Best first: rank, then newest' })
  hits!: SearchHitResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;
  @ApiProperty({ type: [UserRefResponse], description: 'Username or display name contains q (first page only)' })
  people!: UserRefResponse[];
  @ApiProperty({ type: [RoomResponse], description: 'Public rooms whose name contains q (first page only)' })
  rooms!: RoomResponse[];
}
