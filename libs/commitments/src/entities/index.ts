import { AmendmentCommitmentDraft, DraftCommitment } from './amendment-draft.entity';
import { Commitment } from './commitment.entity';
import { EvidenceBlob, EvidenceBlobChunk, EvidenceFile } from './evidence.entity';
import { CommitmentOccurrence } from './occurrence.entity';
import { ActivityReport } from './report.entity';
import { RevisionCommitmentsRow } from './revision-commitments.entity';
import { FeedToken } from '../exports/feed-token.entity';

export type { DraftCommitment };
export {
  AmendmentCommitmentDraft,
  Commitment,
  CommitmentOccurrence,
  ActivityReport,
  EvidenceBlob,
  EvidenceBlobChunk,
  EvidenceFile,
  RevisionCommitmentsRow,
  FeedToken,
};
export const COMMITMENT_ENTITIES = [
  AmendmentCommitmentDraft,
  Commitment,
  CommitmentOccurrence,
  ActivityReport,
  EvidenceBlob,
  EvidenceBlobChunk,
  EvidenceFile,
  RevisionCommitmentsRow,
  FeedToken,
];
