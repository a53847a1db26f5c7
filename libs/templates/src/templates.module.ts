import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MemorandaModule } from '@kelisim/memoranda';
import { TEMPLATE_ENTITIES } from './template.entity';
import { TemplatesService } from './templates.service';

/** Memorandum templates with placeholders, versions and commitment blueprints. */
@Module({
  imports: [TypeOrmModule.forFeature(TEMPLATE_ENTITIES), MemorandaModule],
  providers: [TemplatesService],
  exports: [TemplatesService],
})
export class TemplatesModule {}
