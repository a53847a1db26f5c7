import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '@kelisim/history';
import { MEMORANDA_ENTITIES } from './entities';
import { MemorandaService } from './memoranda.service';
import { MemorandumTransitionsService } from './memorandum-transitions.service';

/** Memoranda: drafting, review of a frozen revision, signing, and the rest of the lifecycle. */
@Module({
  imports: [TypeOrmModule.forFeature(MEMORANDA_ENTITIES), HistoryModule],
  providers: [MemorandaService, MemorandumTransitionsService],
  exports: [MemorandaService, MemorandumTransitionsService],
})
export class MemorandaModule {}
