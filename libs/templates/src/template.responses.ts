/** Response schemas of /templates (OpenAPI); the views are built in templates.service.ts. */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { MEMORANDUM_LANGUAGES, MemorandumResponse, TranslationTextsDto } from '@kelisim/memoranda';
import { ApiBool, ApiDate, ApiDateTime, ApiInt, ApiText, ApiUuid } from '@kelisim/platform';
import { CommitmentBlueprintDto, PlaceholderDto, TemplateDefaultsDto } from './template.dto';

@ApiSchema({ name: 'TemplateSummary' })
export class TemplateSummaryResponse {
  @ApiUuid() id: string;
  @ApiText() name: string;
  @ApiUuid({ nullable: true, description: 'Owner; null: shipped with Kelisim' }) organisationId: string | null;
  @ApiBool({ description: 'Visible to every organisation' }) shared: boolean;
  @ApiInt({ minimum: 1 }) currentVersion: number;
  @ApiProperty({ enum: MEMORANDUM_LANGUAGES, isArray: true, description: 'Languages of its texts' })
  languages: string[];
  @ApiDateTime() createdAt: Date;
  @ApiDateTime() updatedAt: Date;
}

@ApiSchema({ name: 'Template' })
export class TemplateResponse extends TemplateSummaryResponse {
  @ApiInt({ minimum: 1, description: 'The version shown' }) version: number;
  @ApiProperty({ enum: MEMORANDUM_LANGUAGES, description: 'The original language' }) language: string;
  @ApiProperty({ type: TranslationTextsDto }) texts: TranslationTextsDto;
  @ApiProperty({ type: [PlaceholderDto] }) placeholders: PlaceholderDto[];
  @ApiProperty({ type: TemplateDefaultsDto }) defaults: TemplateDefaultsDto;
  @ApiProperty({ type: [CommitmentBlueprintDto] }) commitmentBlueprints: CommitmentBlueprintDto[];
  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true }) createdByUserId: string | null;
  @ApiDateTime({ description: 'When this version was made' }) versionCreatedAt: Date;
}

@ApiSchema({ name: 'TemplateCommitment' })
export class TemplateCommitmentResponse {
  @ApiText({ description: 'The blueprint it was made from' }) blueprintKey: string;
  @ApiUuid() id: string;
  @ApiText() title: string;
  @ApiUuid() leadOrganisationId: string;
  @ApiUuid({ isArray: true }) organisationIds: string[];
  @ApiDate({ nullable: true }) dueDate: string | null;
  @ApiProperty({ type: 'string', nullable: true }) rrule: string | null;
}

@ApiSchema({ name: 'MemorandumFromTemplate' })
export class MemorandumFromTemplateResponse extends MemorandumResponse {
  @ApiProperty({
    type: [TemplateCommitmentResponse],
    description: "The draft's text commitments made from the template's blueprints (none when no parties were given)",
  })
  commitments: TemplateCommitmentResponse[];
}
