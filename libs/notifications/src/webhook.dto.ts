import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  Max,
  Min,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Given } from '@kelisim/platform';
import { EMAIL_MODES, EmailMode } from './notification-preference.entity';
import { NOTICE_TOPICS, NoticeTopic } from './templates';

/** `POST /webhooks`: unknown fields are refused like everywhere else; the service re-checks the target. */
export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example.kz/kelisim-events' })
  @IsString()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http or https URL' },
  )
  url: string;

  @ApiProperty({ type: [String], example: ['memorandum.submitted', 'approval_reminder'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^(\*|[a-z_]+(\.[a-z_]+)*)$/, {
    each: true,
    message: 'each value must be an event name such as memorandum.submitted, or "*"',
  })
  @MaxLength(64, { each: true })
  events: string[];

  @ApiPropertyOptional({
    description: 'Signing secret (16–200 characters); generated when absent. Returned only in this answer.',
  })
  @Given()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;
}

/** `PUT /me/notification-preferences`: absent fields keep their value. */
export class NotificationPreferencesDto {
  @ApiPropertyOptional({
    description: 'The older switch: false is emailMode "off"; true turns "off" into "each" and keeps the others',
    example: true,
  })
  @Given()
  @IsBoolean({ message: 'must be true or false' })
  email?: boolean;

  @ApiPropertyOptional({
    enum: EMAIL_MODES,
    description:
      'each: an e-mail per notice; digest: one e-mail a day at digestHour listing the unread notices; off: in-app only. Wins over email.',
    example: 'digest',
  })
  @Given()
  @IsIn(EMAIL_MODES, { message: `must be one of: ${EMAIL_MODES.join(', ')}` })
  emailMode?: EmailMode;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 23,
    description: 'The local hour (0–23) of the daily digest',
    example: 9,
  })
  @Given()
  @IsInt({ message: 'must be a whole hour from 0 to 23' })
  @Min(0, { message: 'must be a whole hour from 0 to 23' })
  @Max(23, { message: 'must be a whole hour from 0 to 23' })
  digestHour?: number;

  @ApiPropertyOptional({
    type: [String],
    enum: NOTICE_TOPICS,
    description: 'Notices of these kinds come in-app only',
    example: ['report_filed'],
  })
  @Given()
  @IsArray({ message: 'must be an array of notice kinds' })
  @ArrayMaxSize(NOTICE_TOPICS.length)
  @IsIn(NOTICE_TOPICS, { each: true, message: `each value must be one of: ${NOTICE_TOPICS.join(', ')}` })
  mutedTopics?: NoticeTopic[];
}
