import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '@kelisim/platform';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '@kelisim/history';
import { MEMORANDA_ENTITIES } from './entities';
import { HistoryAudit } from './history-audit';
import { MemorandaService } from './memoranda.service';
import { MemorandumTransitionsService } from './memorandum-transitions.service';
import { PkijsSignatureVerifier, readTrustAnchors } from './signatures/pkijs-signature-verifier';
import { NcanodeSignatureVerifier } from './signatures/ncanode-signature-verifier';
import { RoutingSignatureVerifier } from './signatures/routing-signature-verifier';
import { SignatureVerifier } from './signatures/signature-verifier';
import { SignatureTimestamper } from './signatures/timestamp';

/** Memoranda: drafting, review of a frozen revision, signing, and the rest of the lifecycle. */
@Module({
  imports: [TypeOrmModule.forFeature(MEMORANDA_ENTITIES), HistoryModule],
  providers: [
    MemorandaService,
    MemorandumTransitionsService,
    HistoryAudit,
    {
      provide: SignatureVerifier,
      inject: [ConfigService],
      // The bundle is read per verification, so replacing it needs no restart.
      useFactory: (config: ConfigService<Environment, true>) => {
        const url = config.get('SIGNATURE_VERIFIER_URL', { infer: true });
        return new RoutingSignatureVerifier(
          new PkijsSignatureVerifier(
            () => readTrustAnchors(config.get('SIGNATURE_TRUST_ANCHORS', { infer: true }) ?? undefined),
            () => config.get('SIGNATURE_OCSP', { infer: true }),
          ),
          url ? new NcanodeSignatureVerifier(url) : null,
        );
      },
    },
    {
      provide: SignatureTimestamper,
      inject: [ConfigService],
      // Read per signature, like the anchors; the TSA's own bundle, else the signers' anchors.
      useFactory: (config: ConfigService<Environment, true>) => {
        const logger = new Logger('SignatureTimestamper');
        return new SignatureTimestamper(
          () => ({
            url: config.get('SIGNATURE_TSA_URL', { infer: true }) ?? undefined,
            policy: config.get('SIGNATURE_TSA', { infer: true }),
            anchors: () =>
              readTrustAnchors(
                config.get('SIGNATURE_TSA_ANCHORS', { infer: true }) ??
                  config.get('SIGNATURE_TRUST_ANCHORS', { infer: true }) ??
                  undefined,
              ),
          }),
          (message) => logger.warn(message),
        );
      },
    },
  ],
  exports: [MemorandaService, MemorandumTransitionsService, HistoryAudit, SignatureVerifier, SignatureTimestamper],
})
export class MemorandaModule {}
