export * from './placeholders';
export * from './template.entity';
export * from './template.dto';
export * from './template.responses';
export * from './template-rules';
export * from './templates.service';
export * from './templates.module';
export * from './taraz-template';
