import { Module } from '@nestjs/common';

import { MessagesModule } from '../messages/messages.module';
import { RoomsDataModule } from '../rooms/rooms-data.module';
import { SearchBudget } from './search-budget';
import { SearchController } from './search.controller';
import { SearchRepository } from './search.repository';
import { SearchService } from './search.service';

@Module({
  imports: [RoomsDataModule, MessagesModule],
  controllers: [SearchController],
  providers: [SearchService, SearchRepository, SearchBudget],
})
export class SearchModule {}
