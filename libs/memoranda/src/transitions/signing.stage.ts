/** Signing: opening it, each signature, execution when the last required one is in. Functions over the locked memorandum. */
import { createHash, randomUUID } from 'node:crypto';
import { Actor, Organisation, User } from '@kelisim/identity';
import { ApiError, zonedDate } from '@kelisim/platform';
import { MemorandumEventType } from '../memorandum-events';
import { OpenSigningDto } from '../dto/memorandum.dto';
import { SignatureDto } from '../dto/signature.dto';
import { MemorandumRevision, MemorandumSignature } from '../entities';
import {
  checkGuards,
  decide,
  isAmendmentState,
  LifecycleAction,
  LifecycleState,
  TransitionRule,
} from '../lifecycle/memorandum-transitions';
import { foldName, sameName } from '../names';
import { PartyRole, SignatureMethod } from '../vocabulary';
import {
  appendHistory,
  currentFrozenRevision,
  enforceGuards,
  insertRow,
  LockedMemorandum,
  moveTo,
  recordEvent,
} from './locked-memorandum';
import { flushWrites, frozenRevisionFacts } from './locked-row';
import { VerifiedSignature } from '../signatures/signature-verifier';

/** A digital signature verified before the transaction (memorandum-transitions.service.ts), on the revision it names. */
export interface VerifiedDigital {
  cms: Buffer;
  revisionHash: string;
  verified: VerifiedSignature;
  /** The RFC 3161 signature timestamp (SIGNATURE_TSA_URL), when one was had; `cms` then carries it too. */
  timestamp: { token: Buffer; genTime: Date } | null;
}

const cmsRefusal = (message: string) =>
  ApiError.unprocessable('signature_refused', `cms: ${message}`, [{ field: 'cms', message }]);

/** How far a ceremony signature may be dated ahead of the server clock (clock skew of the recording device). */
const CEREMONY_CLOCK_SKEW_MS = 5 * 60_000;

export async function openSigning(locked: LockedMemorandum, rule: TransitionRule, dto: OpenSigningDto): Promise<void> {
  const ceremony = dto.ceremony ? { date: dto.ceremony.date, place: dto.ceremony.place } : null;
  const from = locked.state;
  const revisionNumber = locked.memorandum.currentRevisionNumber;
  await moveTo(locked, rule.to, { signingMode: dto.mode, ceremony });
  await appendHistory(locked, 'open_signing', from, rule.to, { revisionNumber, data: { mode: dto.mode, ceremony } });
  await recordEvent(locked, MemorandumEventType.SigningOpened, { revisionNumber, mode: dto.mode });
}

/**
 * The certificate names the signatory and, when it is an organisation's, the party: its IIN must be
 * the user's, its BIN (if any) the party's as frozen with the revision (or the organisation's, for a
 * revision frozen before parties carried their BIN).
 */
async function bindCertificate(
  locked: LockedMemorandum,
  actor: Actor,
  organisationId: string,
  revisionNumber: number,
  digital: VerifiedDigital,
): Promise<void> {
  const cert = digital.verified.certificate;
  const user = await locked.manager.getRepository(User).findOneByOrFail({ id: actor.userId });
  if (!cert.iin) throw cmsRefusal('certificate carries no IIN (subject serialNumber IIN…)');
  if (!user.iin) throw cmsRefusal(`certificate IIN ${cert.iin} cannot be matched: the signatory has no IIN on record`);
  if (cert.iin !== user.iin) throw cmsRefusal(`certificate IIN ${cert.iin} is not the signatory's IIN`);
  if (!cert.bin) return;
  const revision = await locked.manager
    .getRepository(MemorandumRevision)
    .findOneByOrFail({ memorandumId: locked.memorandum.id, number: revisionNumber });
  const frozen = revision.parties?.find((p) => p.organisationId === organisationId);
  const bin =
    frozen && frozen.bin !== undefined
      ? frozen.bin
      : ((await locked.manager.getRepository(Organisation).findOneBy({ id: organisationId }))?.bin ?? null);
  if (cert.bin !== bin)
    throw cmsRefusal(`certificate BIN ${cert.bin} is not the party's BIN (${bin ?? 'none on record'})`);
}

/** Who signs: the actor (electronic, digital), or the person the coordinator records (in person). */
function signerOf(
  locked: LockedMemorandum,
  actor: Actor,
  dto: SignatureDto,
): { signerKey: string; signerName: string } {
  if (dto.method === SignatureMethod.Digital) return { signerKey: `user:${actor.userId}`, signerName: actor.fullName };
  if (dto.method === SignatureMethod.Electronic) {
    if (!sameName(dto.typedName!, actor.fullName)) {
      throw ApiError.unprocessable('typed_name_mismatch', 'The typed name must be your full name', [
        { field: 'typedName', message: 'does not match your full name' },
      ]);
    }
    return { signerKey: `user:${actor.userId}`, signerName: actor.fullName };
  }
  if (new Date(dto.signedAt!).getTime() > locked.now.getTime() + CEREMONY_CLOCK_SKEW_MS) {
    throw ApiError.unprocessable('signed_in_future', 'A ceremony signature cannot be dated in the future', [
      { field: 'signedAt', message: 'is in the future' },
    ]);
  }
  return { signerKey: `name:${foldName(dto.signerName!)}`.slice(0, 300), signerName: dto.signerName! };
}

export async function sign(
  locked: LockedMemorandum,
  rule: TransitionRule,
  actor: Actor,
  dto: SignatureDto,
  digital: VerifiedDigital | null = null,
): Promise<MemorandumSignature & { memorandumStatus: string }> {
  const m = locked.memorandum;
  if (m.signatureLevel === 'digital' && dto.method === SignatureMethod.Electronic) {
    throw ApiError.unprocessable(
      'digital_signature_required',
      'This memorandum requires digital signatures (signatureLevel digital): sign with method digital',
      [{ field: 'method', message: 'must be digital: the memorandum requires signatureLevel digital' }],
    );
  }
  const isDigital = dto.method === SignatureMethod.Digital;
  const electronic = dto.method === SignatureMethod.Electronic || isDigital;
  const organisationId = electronic ? actor.organisationId : dto.organisationId!;
  const party = locked.parties.find((p) => p.organisationId === organisationId);
  if (!party) {
    throw ApiError.unprocessable('not_a_party', `Organisation ${organisationId} is not a party to this memorandum`, [
      { field: 'organisationId', message: 'not a party' },
    ]);
  }
  const revision = await frozenRevisionFacts(locked);
  const signatures: Array<{ organisationId: string; signerKey: string }> =
    locked.review?.signatures ??
    (await locked.manager
      .getRepository(MemorandumSignature)
      .findBy({ memorandumId: m.id, revisionNumber: revision.number }));
  const count = (orgId: string) => signatures.filter((s) => s.organisationId === orgId).length;
  const signatories = locked.parties.filter((p) => p.role === PartyRole.Signatory);
  const turnReached =
    m.signingMode !== 'sequential' ||
    signatories.filter((p) => p.order < party.order).every((p) => count(p.organisationId) >= p.requiredSignatures);
  enforceGuards(rule, {
    partyRole: party.role,
    givenRevisionHash: dto.revisionHash,
    currentRevisionHash: revision.hash,
    turnReached,
    endDate: revision.endDate,
    today: zonedDate(locked.now, m.timeZone),
  });

  if (isDigital) {
    if (!digital || digital.revisionHash !== revision.hash) {
      throw cmsRefusal(`signature does not cover revision ${revision.hash}`);
    }
    await bindCertificate(locked, actor, organisationId, revision.number, digital);
  }
  const cert = digital?.verified.certificate ?? null;
  const cmsSha256 = digital ? createHash('sha256').update(digital.cms).digest('hex') : null;
  const { signerKey, signerName } = signerOf(locked, actor, dto);
  if (signatures.some((s) => s.organisationId === organisationId && s.signerKey === signerKey)) {
    throw ApiError.conflict('already_signed', 'This signer has already signed this revision for the party', {
      organisationId,
    });
  }
  if (count(organisationId) >= party.requiredSignatures) {
    throw ApiError.conflict('party_signatures_complete', 'This party already has all its required signatures', {
      organisationId,
      requiredSignatures: party.requiredSignatures,
    });
  }
  const signature: MemorandumSignature = {
    id: randomUUID(),
    memorandumId: m.id,
    revisionNumber: revision.number,
    revisionHash: revision.hash,
    organisationId,
    method: dto.method as SignatureMethod,
    slot: count(organisationId) + 1,
    requiredSignatures: party.requiredSignatures,
    signerKey,
    signerName,
    signerUserId: electronic ? actor.userId : null,
    typedName: electronic && !isDigital ? dto.typedName! : null,
    consent: electronic && !isDigital ? true : null,
    signedAt: isDigital
      ? (digital!.verified.signingTime ?? locked.now)
      : electronic
        ? locked.now
        : new Date(dto.signedAt!),
    recordedAt: locked.now,
    recordedByUserId: actor.userId,
    ipAddress: electronic ? (locked.meta.ip ?? null) : null,
    userAgent: electronic ? (locked.meta.userAgent?.slice(0, 500) ?? null) : null,
    place: electronic ? null : dto.place!,
    evidenceReference: electronic ? null : dto.evidence!.reference,
    evidenceSha256: electronic ? null : dto.evidence!.sha256,
    cms: digital?.cms ?? null,
    cmsSha256,
    certificateFingerprint: cert?.fingerprint ?? null,
    certificateSubject: cert?.subject.slice(0, 1000) ?? null,
    certificateIssuer: cert?.issuer.slice(0, 1000) ?? null,
    certificateSerial: cert?.serialNumber.slice(0, 100) ?? null,
    certificateIin: cert?.iin ?? null,
    certificateBin: cert?.bin ?? null,
    timestampToken: digital?.timestamp?.token ?? null,
    timestampGenTime: digital?.timestamp?.genTime ?? null,
  };
  await insertRow(locked, MemorandumSignature, 'memorandum_signatures', signature);
  signatures.push(signature);
  const on = { organisationId, revisionNumber: revision.number, revisionHash: revision.hash! };
  const from = locked.state;
  await moveTo(locked, rule.to);
  await appendHistory(locked, 'sign', from, rule.to, {
    ...on,
    data: {
      signatureId: signature.id,
      method: dto.method,
      signerName,
      ...(cert ? { certificateFingerprint: cert.fingerprint, cmsSha256 } : {}),
      ...(digital?.timestamp ? { timestampGenTime: digital.timestamp.genTime.toISOString() } : {}),
    },
  });
  await recordEvent(locked, MemorandumEventType.SignatureRecorded, { ...on, signatureId: signature.id });

  if (rule.whenComplete && signatories.every((p) => count(p.organisationId) >= p.requiredSignatures)) {
    await execute(locked, from, rule.whenComplete, await currentFrozenRevision(locked));
  }
  return { ...signature, memorandumStatus: m.status };
}

/** All required signatures exist: executed (and active at once if the effective date has come), or an amendment takes effect. */
async function execute(
  locked: LockedMemorandum,
  from: LifecycleState,
  to: LifecycleState,
  revision: MemorandumRevision,
): Promise<void> {
  const ids = { revisionNumber: revision.number, revisionHash: revision.hash! };
  if (isAmendmentState(from)) {
    // The amendment replaces what it changed. A term it left as it found it keeps the memorandum's own, which a
    // renewal made while the amendment was open may have moved (else taking effect would silently undo it).
    const m = locked.memorandum;
    // The term as the amendment found it, recorded when it was opened (older amendments: the executed revision's).
    const [opened] = (await locked.manager.query(
      `SELECT data FROM history_events WHERE memorandum_id = $1 AND action = 'amend' ORDER BY seq DESC LIMIT 1`,
      [m.id],
    )) as Array<{ data: { effectiveDate?: string | null; endDate?: string | null } }>;
    const base =
      opened && 'endDate' in opened.data
        ? { endDate: opened.data.endDate ?? null, effectiveDate: opened.data.effectiveDate ?? null }
        : await locked.manager
            .getRepository(MemorandumRevision)
            .findOneByOrFail({ memorandumId: m.id, number: m.executedRevisionNumber! });
    const endDate = revision.endDate !== base.endDate ? revision.endDate : m.endDate;
    const effectiveDate = revision.effectiveDate !== base.effectiveDate ? revision.effectiveDate : m.effectiveDate;
    await moveTo(locked, to, {
      executedRevisionNumber: revision.number,
      title: revision.title,
      purpose: revision.purpose,
      body: revision.body,
      language: revision.language,
      timeZone: revision.timeZone,
      effectiveDate,
      endDate,
      translations: revision.translations,
    });
    const kept = endDate !== revision.endDate ? { keptEndDate: endDate } : {};
    await appendHistory(locked, 'executed', from, to, {
      ...ids,
      system: true,
      data: { amendment: true, ...kept },
    });
    await recordEvent(locked, MemorandumEventType.MemorandumExecuted, { ...ids, amendment: true });
    // The live text commitments follow the amended revision in this transaction; their events bump the
    // version and extend the history chain, so the frame's queued writes go first.
    await flushWrites(locked);
    const events = await locked.writers.commitments?.takeEffect(locked.manager, m.id, revision.number, {
      actor: null,
      now: locked.now,
      requestId: locked.meta.requestId,
    });
    m.version += events ?? 0;
    return;
  }
  await moveTo(locked, to, { executedRevisionNumber: revision.number });
  await appendHistory(locked, 'executed', from, to, { ...ids, system: true });
  await recordEvent(locked, MemorandumEventType.MemorandumExecuted, ids);
  await activateIfDue(locked);
}

/** Executed → active when the effective date (in the memorandum's time zone) has come; false otherwise. */
export async function activateIfDue(locked: LockedMemorandum): Promise<boolean> {
  const m = locked.memorandum;
  const d = decide(locked.state, LifecycleAction.Activate);
  if (!d.ok) return false;
  if (checkGuards(d.rule, { effectiveDate: m.effectiveDate, today: zonedDate(locked.now, m.timeZone) })) return false;
  const from = locked.state;
  await moveTo(locked, d.rule.to);
  await appendHistory(locked, 'activated', from, d.rule.to, {
    revisionNumber: m.executedRevisionNumber,
    system: true,
    data: { effectiveDate: m.effectiveDate },
  });
  await recordEvent(locked, MemorandumEventType.MemorandumActivated, {
    revisionNumber: m.executedRevisionNumber ?? undefined,
  });
  return true;
}
