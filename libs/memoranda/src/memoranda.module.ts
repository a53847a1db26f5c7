import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '@kelisim/history';
import { MEMORANDA_ENTITIES } from './entities';
import { HistoryAudit } from './history-audit';
import { MemorandaService } from './memoranda.service';
import { MemorandumTransitionsService } from './memorandum-transitions.service';

/** Memoranda: drafting, review of a frozen revision, signing, and the rest of the lifecycle. */
@Module({
  imports: [TypeOrmModule.forFeature(MEMORANDA_ENTITIES), HistoryModule],
  providers: [MemorandaService, MemorandumTransitionsService, HistoryAudit],
  exports: [MemorandaService, MemorandumTransitionsService, HistoryAudit],
})
export class MemorandaModule {}
