import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryEvent } from './history-event.entity';
import { HistoryHead } from './history-head.entity';
import { HistoryService } from './history.service';

export const HISTORY_ENTITIES = [HistoryEvent, HistoryHead];

/** The tamper-evident history of memoranda: append inside a transition, list, verify. */
@Module({
  imports: [TypeOrmModule.forFeature(HISTORY_ENTITIES)],
  providers: [HistoryService],
  exports: [HistoryService],
})
export class HistoryModule {}
