import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ApiDateTime, ApiUuid } from '@kelisim/platform';

export class CreateFeedTokenDto {
  @ApiProperty({ maxLength: 100, example: 'Календарь Outlook' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

@ApiSchema({ name: 'FeedToken' })
export class FeedTokenResponse {
  @ApiUuid() id: string;
  @ApiProperty() name: string;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime({ nullable: true }) revokedAt: Date | null;
  @ApiDateTime({ nullable: true }) lastUsedAt: Date | null;
}

@ApiSchema({ name: 'NewFeedToken' })
export class NewFeedTokenResponse extends FeedTokenResponse {
  @ApiProperty({ description: 'Shown once: put it in the feed URL as `?token=`' }) token: string;
}

@ApiSchema({ name: 'FeedTokenList' })
export class FeedTokenListResponse {
  @ApiProperty({ type: [FeedTokenResponse] }) items: FeedTokenResponse[];
}

@ApiSchema({ name: 'FeedOrganisation' })
export class FeedOrganisationResponse {
  @ApiUuid() id: string;
  @ApiProperty() name: string;
  @ApiProperty() shortName: string;
}

@ApiSchema({ name: 'FeedOrganisationList' })
export class FeedOrganisationListResponse {
  @ApiProperty({ type: [FeedOrganisationResponse] }) items: FeedOrganisationResponse[];
}
