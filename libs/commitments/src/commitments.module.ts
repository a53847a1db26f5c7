import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '@kelisim/history';
import { RevisionCommitments } from '@kelisim/memoranda';
import { CommitmentFollowUp } from '@kelisim/reminders';
import { AmendmentCommitmentsService } from './amendment-commitments.service';
import { AmendmentEffect } from './amendment-effect';
import { CommitmentFollowUpAdapter } from './follow-up.adapter';
import { DashboardService } from './dashboard/dashboard.service';
import { TimelineService } from './dashboard/timeline.service';
import { WaitingService } from './dashboard/waiting.service';
import { ExportsService } from './exports/exports.service';
import { FeedTokensService } from './exports/feed-tokens.service';
import { CommitmentReadsService } from './commitment-reads.service';
import { CommitmentTimersService } from './commitment-timers.service';
import { CommitmentsService } from './commitments.service';
import { COMMITMENT_ENTITIES } from './entities';
import { EvidenceSettings } from './evidence-settings';
import { ReportsService } from './reports.service';
import { CommitmentsOfRevision } from './revision-commitments.binding';

/**
 * Follow-up: commitments, occurrences, activity reports and evidence. Global so that the memoranda
 * lifecycle (which must not import this library) finds `RevisionCommitments` when it freezes a revision.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(COMMITMENT_ENTITIES), HistoryModule],
  providers: [
    CommitmentsService,
    AmendmentCommitmentsService,
    AmendmentEffect,
    CommitmentReadsService,
    CommitmentTimersService,
    ReportsService,
    EvidenceSettings,
    DashboardService,
    TimelineService,
    WaitingService,
    ExportsService,
    FeedTokensService,
    { provide: RevisionCommitments, useClass: CommitmentsOfRevision },
    { provide: CommitmentFollowUp, useClass: CommitmentFollowUpAdapter },
  ],
  exports: [
    CommitmentsService,
    AmendmentCommitmentsService,
    CommitmentReadsService,
    CommitmentTimersService,
    ReportsService,
    EvidenceSettings,
    DashboardService,
    TimelineService,
    WaitingService,
    ExportsService,
    FeedTokensService,
    RevisionCommitments,
    CommitmentFollowUp,
  ],
})
export class CommitmentsModule {}
