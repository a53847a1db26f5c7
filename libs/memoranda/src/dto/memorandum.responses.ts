/** Response schemas of the memoranda endpoints (OpenAPI); the views are built in memoranda.service.ts. */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ApiBool, ApiDate, ApiDateTime, ApiInt, ApiSha256, ApiText, ApiUuid } from '@kelisim/platform';
import { LIFECYCLE_ACTIONS, LIFECYCLE_STATES } from '../lifecycle/memorandum-transitions';
import {
  AMENDMENT_STATUSES,
  MEMORANDUM_LANGUAGES,
  MEMORANDUM_STATUSES,
  PARTY_ROLES,
  SIGNATURE_LEVELS,
  SIGNING_MODES,
} from '../vocabulary';
import { TranslationsResponse } from './translations.dto';

@ApiSchema({ name: 'MemorandumSummary' })
export class MemorandumSummaryResponse {
  @ApiUuid() id: string;
  @ApiText() title: string;
  @ApiProperty({ enum: MEMORANDUM_STATUSES }) status: string;
  @ApiProperty({ enum: AMENDMENT_STATUSES, nullable: true, description: 'Progress of an open amendment' })
  amendmentStatus: string | null;
  @ApiProperty({ enum: MEMORANDUM_LANGUAGES }) language: string;
  @ApiText({ example: 'Asia/Almaty', description: 'IANA time zone of its dates' }) timeZone: string;
  @ApiDate({ nullable: true }) effectiveDate: string | null;
  @ApiDate({ nullable: true }) endDate: string | null;
  @ApiUuid() coordinatingOrganisationId: string;
  @ApiInt({ minimum: 1, description: 'Also the ETag; send it back in If-Match' }) version: number;
  @ApiInt({ minimum: 1 }) currentRevisionNumber: number;
  @ApiInt({ nullable: true }) executedRevisionNumber: number | null;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime() updatedAt: Date;
}

@ApiSchema({ name: 'Party' })
export class PartyResponse {
  @ApiUuid() organisationId: string;
  @ApiPropertyOptional({ type: 'string', description: 'Short name of the organisation' }) organisationName?: string;
  @ApiProperty({ enum: PARTY_ROLES }) role: string;
  @ApiInt({ minimum: 1 }) order: number;
  @ApiInt({ minimum: 1 }) requiredSignatures: number;
  @ApiProperty({ type: 'string', format: 'uuid', isArray: true }) signatoryUserIds: string[];
}

@ApiSchema({ name: 'Ceremony' })
export class CeremonyResponse {
  @ApiPropertyOptional({ type: 'string' }) date?: string;
  @ApiPropertyOptional({ type: 'string' }) place?: string;
}

@ApiSchema({ name: 'PendingTermination' })
export class PendingTerminationResponse {
  @ApiDate() date: string;
  @ApiText({ nullable: true }) reason: string | null;
}

@ApiSchema({ name: 'CurrentRevision' })
export class CurrentRevisionResponse {
  @ApiInt({ minimum: 1 }) number: number;
  @ApiSha256({ nullable: true, description: 'Null until the revision is frozen (submitted)' }) hash: string | null;
  @ApiBool() frozen: boolean;
}

@ApiSchema({ name: 'Memorandum' })
export class MemorandumResponse extends MemorandumSummaryResponse {
  @ApiText() purpose: string;
  @ApiText() body: string;
  @ApiProperty({ type: TranslationsResponse, nullable: true, description: 'The text in other languages' })
  translations: TranslationsResponse | null;
  @ApiProperty({
    enum: MEMORANDUM_LANGUAGES,
    isArray: true,
    description:
      'Translations left unchanged by an edit that changed the original: they may be out of date (a warning, not part of the revision)',
  })
  staleTranslations: string[];
  @ApiUuid({ nullable: true, description: 'The template it was made from' }) templateId: string | null;
  @ApiInt({ nullable: true, description: 'The template version it was made from' }) templateVersion: number | null;
  @ApiBool() orderedReview: boolean;
  @ApiProperty({ enum: SIGNATURE_LEVELS, description: 'digital: signatories must sign with their own key (CMS)' })
  signatureLevel: string;
  @ApiProperty({ enum: SIGNING_MODES, nullable: true }) signingMode: string | null;
  @ApiProperty({ type: CeremonyResponse, nullable: true }) ceremony: CeremonyResponse | null;
  @ApiDate({ nullable: true }) terminationDate: string | null;
  @ApiProperty({ type: PendingTerminationResponse, nullable: true })
  pendingTermination: PendingTerminationResponse | null;
  @ApiProperty({ type: CurrentRevisionResponse }) currentRevision: CurrentRevisionResponse;
  @ApiProperty({ type: [PartyResponse] }) parties: PartyResponse[];
  @ApiProperty({ enum: LIFECYCLE_STATES }) lifecycleState: string;
  @ApiProperty({ enum: LIFECYCLE_ACTIONS, isArray: true, description: 'What the caller may do now' })
  allowedActions: string[];
}

@ApiSchema({ name: 'RevisionParty' })
export class RevisionPartyResponse {
  @ApiUuid() organisationId: string;
  @ApiProperty({ enum: PARTY_ROLES }) role: string;
  @ApiInt() order: number;
  @ApiInt() requiredSignatures: number;
  @ApiText({ required: false, description: 'Canonical form 2: the organisation as it was at submission' })
  name?: string;
  @ApiText({ required: false }) shortName?: string;
  @ApiText({ required: false, nullable: true, pattern: '^[0-9]{12}$' }) bin?: string | null;
}

@ApiSchema({ name: 'Revision' })
export class RevisionResponse {
  @ApiInt({ minimum: 1 }) number: number;
  @ApiInt({
    minimum: 1,
    description:
      'The canonical form the hash is taken in (docs/signatures.md); GET …/revisions/{number}/canonical gives the bytes',
  })
  canonicalVersion: number;
  @ApiProperty({ enum: ['original', 'amendment'] }) kind: string;
  @ApiSha256({ nullable: true }) hash: string | null;
  @ApiDateTime({ nullable: true }) frozenAt: Date | null;
  @ApiUuid({ nullable: true }) frozenByUserId: string | null;
  @ApiText() title: string;
  @ApiText() purpose: string;
  @ApiText() body: string;
  @ApiProperty({ enum: MEMORANDUM_LANGUAGES }) language: string;
  @ApiText() timeZone: string;
  @ApiDate({ nullable: true }) effectiveDate: string | null;
  @ApiDate({ nullable: true }) endDate: string | null;
  @ApiProperty({ type: TranslationsResponse, nullable: true, description: 'The text in other languages, hashed too' })
  translations: TranslationsResponse | null;
  @ApiProperty({ type: [RevisionPartyResponse], nullable: true }) parties: RevisionPartyResponse[] | null;
}

@ApiSchema({ name: 'RevisionList' })
export class RevisionListResponse {
  @ApiProperty({ type: [RevisionResponse] }) items: RevisionResponse[];
}

@ApiSchema({ name: 'RevisionRef' })
export class RevisionRefResponse {
  @ApiInt() number: number;
  @ApiSha256({ nullable: true }) hash: string | null;
}

@ApiSchema({ name: 'RevisionDiffSection' })
export class RevisionDiffSectionResponse {
  @ApiProperty({
    enum: ['terms', 'title', 'purpose', 'body'],
    description: 'terms: dates, language and parties; title, purpose, body: the text in `language`',
  })
  section: string;
  @ApiProperty({ enum: MEMORANDUM_LANGUAGES, nullable: true, description: 'null for the terms' })
  language: string | null;
  @ApiBool({ description: 'false: the section is the same in both revisions' }) changed: boolean;
  @ApiInt({ minimum: 0 }) added: number;
  @ApiInt({ minimum: 0 }) removed: number;
  @ApiBool({ description: 'false: too different to show line by line' }) lineByLine: boolean;
  @ApiText({
    nullable: true,
    description: 'Unified diff of this section alone (no labels or language markers in it); null when not line by line',
  })
  patch: string | null;
}

@ApiSchema({ name: 'RevisionDiff' })
export class RevisionDiffResponse {
  @ApiProperty({ type: RevisionRefResponse }) from: RevisionRefResponse;
  @ApiProperty({ type: RevisionRefResponse }) to: RevisionRefResponse;
  @ApiBool() identical: boolean;
  @ApiInt({ minimum: 0, description: 'Lines added' }) added: number;
  @ApiInt({ minimum: 0, description: 'Lines removed' }) removed: number;
  @ApiBool({ description: 'false: too different to show line by line (only the counts are given)' })
  lineByLine: boolean;
  @ApiText({ nullable: true, description: 'Unified diff of the rendered terms; null when not line by line' })
  patch: string | null;
  @ApiProperty({
    type: [RevisionDiffSectionResponse],
    description: 'The same diff in labelled sections: the terms, then title, purpose and body of each language',
  })
  sections: RevisionDiffSectionResponse[];
}
