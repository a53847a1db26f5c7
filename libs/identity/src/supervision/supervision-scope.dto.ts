import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ApiDateTime, ApiUuid, Given, PageQuery } from '@kelisim/platform';

export class CreateSupervisionScopeDto {
  @ApiProperty({ format: 'uuid', description: 'A user with the supervisor role' })
  @IsUUID('all', { message: 'must be a UUID' })
  supervisorUserId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Every memorandum this organisation coordinates or is party to' })
  @Given()
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One memorandum (give this or organisationId)' })
  @Given()
  @IsUUID('all', { message: 'must be a UUID' })
  memorandumId?: string;
}

export class ListSupervisionScopesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  supervisorUserId?: string;
}

@ApiSchema({ name: 'SupervisionScope' })
export class SupervisionScopeResponse {
  @ApiUuid() id: string;
  @ApiUuid() supervisorUserId: string;
  @ApiUuid({ nullable: true }) organisationId: string | null;
  @ApiUuid({ nullable: true }) memorandumId: string | null;
  @ApiDateTime() createdAt: Date;
}
