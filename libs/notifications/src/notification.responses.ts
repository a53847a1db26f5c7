/** Response schemas and list queries of the inbox and webhook endpoints (OpenAPI). */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { EMAIL_MODES } from './notification-preference.entity';
import { NOTICE_TOPICS } from './templates';
import { ApiBool, ApiDateTime, ApiFreeObject, ApiInt, ApiText, ApiUuid, PageOf, PageQuery } from '@kelisim/platform';

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: unread only' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  unread?: 'true' | 'false';
}

@ApiSchema({ name: 'Notification' })
export class NotificationResponse {
  @ApiUuid() id: string;
  @ApiUuid() userId: string;
  @ApiText({ example: 'approval_reminder' }) topic: string;
  @ApiUuid({ nullable: true }) memorandumId: string | null;
  @ApiText() title: string;
  @ApiText() body: string;
  @ApiFreeObject() data: Record<string, unknown>;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime({ nullable: true }) readAt: Date | null;
}

@ApiSchema({ name: 'Inbox' })
export class InboxResponse extends PageOf(NotificationResponse) {
  @ApiInt({ minimum: 0 }) unreadCount: number;
}

@ApiSchema({ name: 'Webhook' })
export class WebhookResponse {
  @ApiUuid() id: string;
  @ApiUuid() organisationId: string;
  @ApiText() url: string;
  @ApiProperty({ type: 'string', isArray: true }) events: string[];
  @ApiBool() active: boolean;
  @ApiUuid({ nullable: true }) createdBy: string | null;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime({ nullable: true }) deletedAt: Date | null;
}

@ApiSchema({ name: 'WebhookCreated' })
export class WebhookCreatedResponse extends WebhookResponse {
  @ApiText({ description: 'The signing secret; shown only in this answer' }) secret: string;
}

@ApiSchema({ name: 'WebhookList' })
export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] }) items: WebhookResponse[];
}

@ApiSchema({ name: 'WebhookAttempt' })
export class WebhookAttemptResponse {
  @ApiInt({ minimum: 1 }) attempt: number;
  @ApiDateTime() at: Date;
  @ApiBool() ok: boolean;
  @ApiInt({ nullable: true }) statusCode: number | null;
  @ApiText({ nullable: true }) error: string | null;
  @ApiInt({ minimum: 0 }) durationMs: number;
}

@ApiSchema({ name: 'WebhookDelivery' })
export class WebhookDeliveryResponse {
  @ApiUuid() id: string;
  @ApiText() event: string;
  @ApiUuid({ nullable: true }) memorandumId: string | null;
  @ApiProperty({ enum: ['pending', 'sent', 'failed', 'skipped'] }) status: string;
  @ApiInt({ minimum: 0 }) attempts: number;
  @ApiText({ nullable: true }) lastError: string | null;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime({ nullable: true }) sentAt: Date | null;
  @ApiProperty({ type: [WebhookAttemptResponse] }) attemptLog: WebhookAttemptResponse[];
}

@ApiSchema({ name: 'NotificationPreferences' })
export class NotificationPreferencesResponse {
  @ApiBool({ description: 'Notices by e-mail, each or in a digest (emailMode is not off); in-app always' })
  email: boolean;
  @ApiProperty({ enum: EMAIL_MODES, description: 'each: an e-mail per notice; digest: one a day; off: in-app only' })
  emailMode: string;
  @ApiInt({ minimum: 0, maximum: 23, description: "The daily digest's local hour (the user's time zone)" })
  digestHour: number;
  @ApiProperty({ type: [String], enum: NOTICE_TOPICS, description: 'Notices of these kinds come in-app only' })
  mutedTopics: string[];
}

@ApiSchema({ name: 'InboxReadAll' })
export class InboxReadAllResponse {
  @ApiInt({ minimum: 0, description: 'Notifications marked read by this request' }) marked: number;
  @ApiInt({ minimum: 0 }) unreadCount: number;
}
