import { DynamicModule, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MemorandaModule } from '@kelisim/memoranda';
import { EvidenceCommitments } from './evidence-commitments.port';
import { EVIDENCE_ENTITIES } from './evidence-document.entity';
import { EvidenceRecords } from './evidence-records';
import { EvidenceService } from './evidence.service';
import { EvidenceSeal } from './evidence-seal.service';
import { EvidenceVerifyPool } from './evidence-verify-pool';

/** Evidence PDFs. `register({ commitments })` binds the commitments section's provider (none: no section). */
@Module({})
export class EvidenceModule {
  static register(options: { commitments?: Type<EvidenceCommitments> } = {}): DynamicModule {
    return {
      module: EvidenceModule,
      imports: [TypeOrmModule.forFeature(EVIDENCE_ENTITIES), MemorandaModule],
      providers: [
        EvidenceService,
        EvidenceRecords,
        EvidenceSeal,
        EvidenceVerifyPool,
        ...(options.commitments ? [{ provide: EvidenceCommitments, useClass: options.commitments }] : []),
      ],
      exports: [EvidenceService, EvidenceRecords, EvidenceSeal, EvidenceVerifyPool],
    };
  }
}
