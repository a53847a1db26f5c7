/**
 * Every schema migration, in order. Schema comes only from here (never `synchronize`).
 * Add a new file as <epochMs>-<PascalName>.ts (`npm run migration:generate -- migrations/<Name>`),
 * read it, and list its class below.
 */
import { Identity1795000000000 } from './1795000000000-Identity';
import { Outbox1795000100000 } from './1795000100000-Outbox';
import { Memoranda1795000200000 } from './1795000200000-Memoranda';
import { History1795000300000 } from './1795000300000-History';
import { Idempotency1795000310000 } from './1795000310000-Idempotency';
import { Reminders1795000400000 } from './1795000400000-Reminders';
import { UserTimeZone1795000500000 } from './1795000500000-UserTimeZone';
import { SealedWebhookSecrets1795000600000 } from './1795000600000-SealedWebhookSecrets';
import { ScheduledTermination1795000700000 } from './1795000700000-ScheduledTermination';
import { LoginThrottling1795002100000 } from './1795002100000-LoginThrottling';
import { HistoryMac1795002200000 } from './1795002200000-HistoryMac';
import { TextsTemplatesEvidence1795004000000 } from './1795004000000-TextsTemplatesEvidence';
import { Commitments1795003000000 } from './1795003000000-Commitments';
import { FollowUpSchedule1795003100000 } from './1795003100000-FollowUpSchedule';
import { FeedTokens1795003200000 } from './1795003200000-FeedTokens';
import { MemorandaListOrder1795005200000 } from './1795005200000-MemorandaListOrder';
import { AmendmentCommitments1795005100000 } from './1795005100000-AmendmentCommitments';
import { DashboardScale1795005000000 } from './1795005000000-DashboardScale';
import { MemorandaSearch1795005700000 } from './1795005700000-MemorandaSearch';
import { MemorandaTotal1795006000000 } from './1795006000000-MemorandaTotal';
import { CredentialGeneration1795007200000 } from './1795007200000-CredentialGeneration';
import { TarazTemplateText1795009000000 } from './1795009000000-TarazTemplateText';
import { EvidenceChunks1795007100000 } from './1795007100000-EvidenceChunks';
import { GlobalSupervision1795007000000 } from './1795007000000-GlobalSupervision';
import { NotificationPreferences1795008500000 } from './1795008500000-NotificationPreferences';
import { StaleTranslations1795009500000 } from './1795009500000-StaleTranslations';
import { DigitalSignatures1795008000000 } from './1795008000000-DigitalSignatures';
import { EvidenceSealKey1795009600000 } from './1795009600000-EvidenceSealKey';
import { EvidenceIssues1795011000000 } from './1795011000000-EvidenceIssues';
import { PasswordResetSystemOrganisations1795013000000 } from './1795013000000-PasswordResetSystemOrganisations';
import { SignatureTimestamps1795016000000 } from './1795016000000-SignatureTimestamps';
import { NotificationDigest1795017000000 } from './1795017000000-NotificationDigest';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: Function[] = [
  Identity1795000000000,
  Outbox1795000100000,
  Memoranda1795000200000,
  History1795000300000,
  Idempotency1795000310000,
  Reminders1795000400000,
  UserTimeZone1795000500000,
  SealedWebhookSecrets1795000600000,
  ScheduledTermination1795000700000,
  LoginThrottling1795002100000,
  HistoryMac1795002200000,
  TextsTemplatesEvidence1795004000000,
  Commitments1795003000000,
  FollowUpSchedule1795003100000,
  FeedTokens1795003200000,
  MemorandaListOrder1795005200000,
  AmendmentCommitments1795005100000,
  DashboardScale1795005000000,
  MemorandaSearch1795005700000,
  MemorandaTotal1795006000000,
  CredentialGeneration1795007200000,
  TarazTemplateText1795009000000,
  EvidenceChunks1795007100000,
  GlobalSupervision1795007000000,
  NotificationPreferences1795008500000,
  DigitalSignatures1795008000000,
  StaleTranslations1795009500000,
  EvidenceSealKey1795009600000,
  EvidenceIssues1795011000000,
  PasswordResetSystemOrganisations1795013000000,
  SignatureTimestamps1795016000000,
  NotificationDigest1795017000000,
];
