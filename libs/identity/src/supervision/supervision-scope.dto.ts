import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ApiDateTime, ApiUuid, Given, PageQuery } from '@kelisim/platform';
import { SUPERVISION_SCOPE_KINDS, SupervisionScopeKind } from './supervision-scope.entity';

export class CreateSupervisionScopeDto {
  @ApiProperty({ format: 'uuid', description: 'A user with the supervisor role' })
  @IsUUID('all', { message: 'must be a UUID' })
  supervisorUserId: string;

  @ApiPropertyOptional({
    enum: SUPERVISION_SCOPE_KINDS,
    description:
      '`global`: every memorandum (national supervision; give neither id); `organisation`: give organisationId; ' +
      '`memorandum`: give memorandumId. Left out, it follows from the id given.',
  })
  @Given()
  @IsIn(SUPERVISION_SCOPE_KINDS, { message: `must be one of: ${SUPERVISION_SCOPE_KINDS.join(', ')}` })
  kind?: SupervisionScopeKind;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Every memorandum this organisation coordinates or is party to (kind organisation)',
  })
  @Given()
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One memorandum (kind memorandum)' })
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
  @ApiProperty({ enum: SUPERVISION_SCOPE_KINDS }) kind: SupervisionScopeKind;
  @ApiUuid({ nullable: true }) organisationId: string | null;
  @ApiUuid({ nullable: true }) memorandumId: string | null;
  @ApiDateTime() createdAt: Date;
}
