import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '@kelisim/platform';

/** Limits of evidence uploads (EVIDENCE_MAX_FILE_BYTES, EVIDENCE_CONTENT_TYPES, EVIDENCE_UPLOADS_CONCURRENT, EVIDENCE_UPLOAD_WAIT_MS). */
@Injectable()
export class EvidenceSettings {
  constructor(private readonly config: ConfigService<Environment, true>) {}

  get maxFileBytes(): number {
    return this.config.get('EVIDENCE_MAX_FILE_BYTES', { infer: true });
  }
  get maxFiles(): number {
    return 20;
  }
  get contentTypes(): string[] {
    return this.config
      .get('EVIDENCE_CONTENT_TYPES', { infer: true })
      .split(',')
      .map((t) => t.trim().toLowerCase());
  }
  get uploadsConcurrent(): number {
    return this.config.get('EVIDENCE_UPLOADS_CONCURRENT', { infer: true });
  }
  get uploadWaitMs(): number {
    return this.config.get('EVIDENCE_UPLOAD_WAIT_MS', { infer: true });
  }
}
