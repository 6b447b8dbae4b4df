import { Module } from '@nestjs/common';

import { RoomsDataModule } from '../rooms/rooms-data.module';
import { SearchBudget } from './search-budget';
import { SearchController } from './search.controller';
import { SearchRepository } from './search.repository';
import { SearchService } from './search.service';

@Module({
  imports: [RoomsDataModule],
  controllers: [SearchController],
  providers: [SearchService, SearchRepository, SearchBudget],
})
export class SearchModule {}
