/**
 * The service's whole configuration, read from environment variables and validated once at start-up.
 * A wrong or missing value stops start-up with one line naming the variable and what it expects.
 */
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? ['true', '1', 'yes', 'on'].includes(value.toLowerCase())
      ? true
      : ['false', '0', 'no', 'off'].includes(value.toLowerCase())
        ? false
        : value
    : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** What evidence files may be by default: photos, PDFs, attendance lists as CSV, text, Word or Excel. */
export const DEFAULT_EVIDENCE_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/pdf',
  'text/csv',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

const escaped = DEFAULT_EVIDENCE_CONTENT_TYPES.map((t) => t.replace(/[.+]/g, '\\$&')).join('|');
const EVIDENCE_CONTENT_TYPES_LIST = new RegExp(`^\\s*(${escaped})\\s*(,\\s*(${escaped})\\s*)*$`, 'i');

export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * HTTP processes `kelisim api` and `kelisim start` run on the one port (node:cluster): one per
   * core the API may use. 1: the API runs in the command's own process.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  API_PROCESSES = 1;

  /** PostgreSQL server; unset: a private embedded PostgreSQL under DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = './data';

  /**
   * The hottest statements as named prepared statements (libs/platform/src/database/prepared-query.ts). false: all
   * unnamed, for a connection pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
   */
  @Transform(toBool)
  @IsBoolean()
  DATABASE_PREPARED_STATEMENTS = true;

  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  /** Redis for BullMQ; unset: BullMQ's PostgreSQL backend on the service's own database. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsString()
  @Matches(/^[a-z0-9_-]+$/i, { message: 'must contain only letters, digits, "_" and "-"' })
  QUEUE_PREFIX = 'kelisim';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool)
  @IsBoolean()
  LOG_PRETTY = false;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  SESSION_TTL_HOURS = 12;

  /**
   * Failed sign-ins from one client address (over every e-mail) in LOGIN_RATE_WINDOW_SECONDS; the
   * next attempt from there answers 429 with Retry-After. Successful sign-ins are not counted.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_RATE_LIMIT = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  LOGIN_RATE_WINDOW_SECONDS = 60;

  /** Failed sign-ins for one e-mail from one client address in LOGIN_ACCOUNT_WINDOW_SECONDS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_ACCOUNT_FAILURE_LIMIT = 5;

  /**
   * Failed sign-ins for one e-mail from every address in LOGIN_ACCOUNT_WINDOW_SECONDS: guessing
   * from many places. Keep it a few times LOGIN_ACCOUNT_FAILURE_LIMIT: then one address alone
   * cannot lock the owner out of the account elsewhere.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_ACCOUNT_TOTAL_FAILURE_LIMIT = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  LOGIN_ACCOUNT_WINDOW_SECONDS = 900;

  /**
   * Whose address is the client's: `false` (the socket's peer), `true` (the left-most of
   * X-Forwarded-For), a number of proxies in front, or their addresses/subnets (comma-separated).
   */
  @Matches(/^(true|false|\d{1,2}|[0-9A-Fa-f:./]+(\s*,\s*[0-9A-Fa-f:./]+)*|loopback|linklocal|uniquelocal)$/, {
    message: 'must be true, false, a number of proxies, or comma-separated proxy addresses or subnets',
  })
  TRUST_PROXY = 'false';

  @IsString()
  @Matches(/^\d+(kb|mb)$/i, { message: 'must be a size such as 1mb or 512kb' })
  BODY_LIMIT = '1mb';

  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Kelisim <no-reply@kelisim.local>';

  /**
   * The address people reach Kelisim at (scheme, host, optional port and path prefix; no trailing slash needed):
   * links in notifications point at its web interface, `<PUBLIC_URL>/app/…`.
   */
  @Matches(/^https?:\/\/[^\s?#]+$/, { message: 'must be an http:// or https:// URL without a query or fragment' })
  PUBLIC_URL = 'http://localhost:3000';

  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE = false;

  /** Seals webhook secrets at rest: 64 hex digits or base64 of 32 bytes. Unset: DATA_DIR/secrets.key. */
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, { message: 'must be 32 bytes as 64 hex digits or base64' })
  SECRETS_KEY?: string;

  /** Key of the history's keyed MACs: 64 hex digits or base64 of 32 bytes. Unset: derived from the secrets key. */
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, { message: 'must be 32 bytes as 64 hex digits or base64' })
  HISTORY_KEY?: string;

  /**
   * PKCS#12 file (.p12/.pfx, RSA key) whose key seals evidence PDFs (PAdES). Unset: the
   * installation's own seal, made on first start, seals them.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  EVIDENCE_SEAL_P12?: string;

  /** Passphrase of EVIDENCE_SEAL_P12. */
  @IsOptional()
  @IsString()
  EVIDENCE_SEAL_PASSPHRASE?: string;

  /** The name (certificate subject CN) of the seal the installation makes on first start. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  EVIDENCE_SEAL_NAME?: string;

  /**
   * Time one verification of POST /evidence/verify may take in its worker thread; longer, the
   * thread is stopped and the request answered 503 evidence_verification_timeout.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600_000)
  EVIDENCE_VERIFY_TIMEOUT_MS = 10_000;

  /** Worker threads an API process verifies evidence PDFs in at once; more requests wait (a bounded queue). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  EVIDENCE_VERIFY_THREADS = 2;

  /** Verifications per client address in EVIDENCE_VERIFY_RATE_WINDOW_SECONDS without sign-in; more answer 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  EVIDENCE_VERIFY_RATE_LIMIT = 20;

  /** Verifications per signed-in user in the window (counted per user, not per address). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  EVIDENCE_VERIFY_RATE_LIMIT_SIGNED_IN = 120;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  EVIDENCE_VERIFY_RATE_WINDOW_SECONDS = 60;

  /**
   * The certificates digital signatures must chain to (docs/signatures.md): a PEM bundle's path, or the
   * PEM itself. Unset: digital signatures are refused.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  SIGNATURE_TRUST_ANCHORS?: string;

  /**
   * Revocation of a digital signature's certificate by OCSP (docs/signatures.md): `off`, `prefer`
   * (refuse a revoked one, accept when no answer can be had) or `require` (also refuse then).
   */
  @IsIn(['off', 'prefer', 'require'], { message: 'must be one of: off, prefer, require' })
  SIGNATURE_OCSP: 'off' | 'prefer' | 'require' = 'off';

  /**
   * An RFC 3161 time-stamping authority (docs/signatures.md): when set, each digital signature gets a
   * signature timestamp (CAdES-T) when it is registered. Unset: none is asked for.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  SIGNATURE_TSA_URL?: string;

  /**
   * When the TSA fails or its reply does not hold: `require` (refuse the signature, nothing written)
   * or `prefer` (store it without a timestamp, logged).
   */
  @IsIn(['prefer', 'require'], { message: 'must be one of: prefer, require' })
  SIGNATURE_TSA: 'prefer' | 'require' = 'require';

  /** The certificates a TSA's certificate must chain to: a PEM bundle's path, or the PEM. Unset: SIGNATURE_TRUST_ANCHORS. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  SIGNATURE_TSA_ANCHORS?: string;

  /** An NCANode service (`…/cms/verify`) that verifies signatures the server cannot (GOST). Unset: they are refused. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  SIGNATURE_VERIFIER_URL?: string;

  @IsString()
  DEFAULT_TIME_ZONE = 'Asia/Almaty';

  /** Largest evidence file an activity report may carry, in bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_073_741_824)
  EVIDENCE_MAX_FILE_BYTES = 10 * 1024 * 1024;

  /**
   * Content types evidence files may have, comma-separated: some of the defaults, whose content
   * Kelisim checks (a type it cannot check would let anything through under its name).
   */
  @IsString()
  @Matches(EVIDENCE_CONTENT_TYPES_LIST, {
    message: `must be comma-separated content types among ${DEFAULT_EVIDENCE_CONTENT_TYPES.join(',')}`,
  })
  EVIDENCE_CONTENT_TYPES = DEFAULT_EVIDENCE_CONTENT_TYPES.join(',');

  /** Evidence uploads one API process receives and stores at a time; more wait EVIDENCE_UPLOAD_WAIT_MS, then 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  EVIDENCE_UPLOADS_CONCURRENT = 4;

  /** How long an upload over EVIDENCE_UPLOADS_CONCURRENT waits for a turn before 429 with Retry-After. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  EVIDENCE_UPLOAD_WAIT_MS = 10_000;

  // Tunables of the worker; the defaults suit production, tests shorten the periods.

  /** Period of the outbox dispatcher job. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  OUTBOX_DISPATCH_EVERY_MS = 2000;

  /** Period of the reconciliation of scheduled items with the queue. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  SCHEDULE_RECONCILE_EVERY_MS = 30_000;

  /** Scheduled items due within this window get a BullMQ delayed job; later ones wait in PostgreSQL. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  SCHEDULE_HORIZON_MS = 600_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SCHEDULE_FIRE_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  SCHEDULE_FIRE_BACKOFF_MS = 5000;

  /** E-mail is held from this hour … */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(23)
  QUIET_HOURS_START = 21;

  /** … until this hour, in the recipient's time zone. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(23)
  QUIET_HOURS_END = 9;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  EMAIL_ATTEMPTS = 6;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_ATTEMPTS = 8;

  /** First retry delay of a delivery; doubles each attempt. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  DELIVERY_BACKOFF_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** BullMQ lock of a running job; a worker that died has its jobs run again after about this long. Unset: 30 s. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  WORKER_LOCK_DURATION_MS?: number;

  /** How often BullMQ looks for stalled jobs. Unset: 30 s. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  WORKER_STALLED_INTERVAL_MS?: number;

  /** Timers (reminders, escalations, timed transitions) a worker process fires at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SCHEDULE_CONCURRENCY = 10;

  /** E-mail and webhook deliveries a worker process sends at once (each holds its row lock and a database connection). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  DELIVERY_CONCURRENCY = 10;

  /** Origins allowed to call the API from a browser, comma-separated; unset: CORS off. */
  @IsOptional()
  @Matches(/^\s*https?:\/\/[^\s,]+(\s*,\s*https?:\/\/[^\s,]+)*\s*$/, {
    message: 'must be comma-separated origins such as https://app.example.kz',
  })
  CORS_ORIGINS?: string;
}

export class ConfigurationError extends Error {}

/** Validates raw variables; empty strings count as unset. Throws one line per wrong variable. */
export function validateEnvironment(raw: Record<string, unknown>, only?: (keyof Environment)[]): Environment {
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== '' && value !== undefined) cleaned[key] = value;
  }
  const env = plainToInstance(Environment, cleaned, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false }).filter(
    (e) => !only || only.includes(e.property as keyof Environment),
  );
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const value = (cleaned as Record<string, unknown>)[e.property];
      const problems = Object.values(e.constraints ?? {}).join('; ');
      return `Configuration error: ${e.property}=${JSON.stringify(value)} ${problems}`;
    });
    throw new ConfigurationError(lines.join('\n'));
  }
  return env;
}
