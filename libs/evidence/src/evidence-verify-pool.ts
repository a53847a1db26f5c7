/**
 * POST /evidence/verify runs the verifier in worker threads, never on the event loop that serves
 * every other request (and, in `kelisim start`, the jobs and webhooks too): at most
 * EVIDENCE_VERIFY_THREADS at once per process, a bounded queue behind them, and a time budget
 * (EVIDENCE_VERIFY_TIMEOUT_MS) after which the thread is terminated — V8 stops it wherever it is —
 * and the request answered 503. Threads stay up between requests: loading the verifier is paid once.
 *
 * The thread's entry is plain JavaScript (below) that requires the verifier from where this file
 * runs: the compiled .js under dist/ (`kelisim start`), or the .ts sources through ts-node when
 * this file itself runs as TypeScript (ts-jest, ts-node scripts), so tests never run a stale dist/.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HttpStatus, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiError, Environment } from '@kelisim/platform';
import type { EvidenceVerdict } from './evidence-verifier';
import type { SealTrust } from './seal';

/** Requests that may wait for a thread, per thread; more answer 503 at once rather than pile up bodies. */
const WAITING_PER_THREAD = 4;
/** The heap a verification may use: the largest file within the limits needs well under half. */
const THREAD_HEAP_MB = 512;
/** Loading the verifier in a new thread (ts-node compiles it first under tests): not part of the budget. */
const START_TIMEOUT_MS = 120_000;

/**
 * Lower CPU priority for the verifying thread than for the event loop, when CPUs are short (on
 * Linux a thread's nice value is its own; elsewhere the call fails or sets the process's, and is
 * skipped there).
 */
const THREAD_NICE = 10;

const THREAD_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
if (process.platform === 'linux') try { require('node:os').setPriority(w.nice); } catch {}
if (w.tsNode) require(w.tsNode).register({ transpileOnly: true, project: w.tsconfig });
require(w.tsconfigPaths).register({ baseUrl: w.baseUrl, paths: w.paths, addMatchAll: false });
const { verifyEvidencePdf } = require(w.verifier);
parentPort.on('message', ({ bytes, trust }) => {
  let answer;
  try {
    const anchors = (trust.anchors || []).map((a) => Buffer.from(a));
    const signerAnchors = (trust.signerAnchors || []).map((a) => Buffer.from(a));
    const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    answer = { verdict: verifyEvidencePdf(pdf, { fingerprints: trust.fingerprints, anchors, signerAnchors }) };
  } catch (e) {
    answer = e && e.name === 'EvidenceLimitExceeded'
      ? { limit: { field: e.field, size: e.size, limit: e.limit, unit: e.unit, message: e.message } }
      : { error: String((e && e.message) || e) };
  }
  parentPort.postMessage(answer);
});
parentPort.postMessage({ ready: true });
`;

type Answer =
  | { verdict: EvidenceVerdict }
  | { limit: { field: string; size: number | null; limit: number; unit: string; message: string } }
  | { error: string };

interface Thread {
  worker: Worker;
  ready: Promise<void>;
}

/** Where the thread finds the verifier and the @kelisim/* aliases, for sources and for dist/ alike. */
function threadData() {
  const typescript = __filename.endsWith('.ts');
  let dir = __dirname;
  while (!existsSync(join(dir, 'tsconfig.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const tsconfig = join(dir, 'tsconfig.json');
  const { compilerOptions } = JSON.parse(readFileSync(tsconfig, 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return {
    tsNode: typescript ? require.resolve('ts-node') : null,
    tsconfig,
    tsconfigPaths: require.resolve('tsconfig-paths'),
    // libs/evidence/src sits three levels below the aliases' base: the sources' root, or dist/.
    baseUrl: join(__dirname, '..', '..', '..'),
    paths: compilerOptions.paths,
    verifier: join(__dirname, `evidence-verifier${typescript ? '.ts' : '.js'}`),
  };
}

@Injectable()
export class EvidenceVerifyPool implements OnModuleDestroy {
  private readonly logger = new Logger('EvidenceVerify');
  private readonly idle: Thread[] = [];
  private readonly all = new Set<Thread>();
  /** Threads discarded (past the budget, failed) and still being stopped. */
  private readonly stopping = new Set<Promise<number | undefined>>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private data?: ReturnType<typeof threadData>;
  private readonly threads: number;
  private readonly timeoutMs: number;

  constructor(config: ConfigService<Environment, true>) {
    this.threads = config.get('EVIDENCE_VERIFY_THREADS', { infer: true });
    this.timeoutMs = config.get('EVIDENCE_VERIFY_TIMEOUT_MS', { infer: true });
  }

  /**
   * The verdict on `pdf`, computed in a worker thread, with the seals `trust` names trusted;
   * `pdf`'s memory is handed to the thread.
   */
  async verify(pdf: Buffer, trust: SealTrust = {}): Promise<EvidenceVerdict> {
    if (this.running >= this.threads) {
      if (this.waiting.length >= this.threads * WAITING_PER_THREAD)
        throw new ApiError(
          HttpStatus.SERVICE_UNAVAILABLE,
          'evidence_verification_busy',
          'Every verification thread is busy and the queue is full; try again shortly',
          { retryAfterSeconds: 2 },
        );
      // A finishing request hands its slot over directly: `running` does not drop in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await this.run(pdf, trust);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private async run(pdf: Buffer, trust: SealTrust): Promise<EvidenceVerdict> {
    const thread = this.idle.pop() ?? this.start();
    await thread.ready;
    // Transferred, not copied, when the Buffer owns its whole ArrayBuffer; a slice of Node's shared
    // pool (small bodies) is copied into memory of its own first.
    const owned =
      pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : new Uint8Array(pdf.byteLength);
    if (owned !== pdf) owned.set(pdf);
    const answer = await new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.discard(thread);
        reject(
          new ApiError(
            HttpStatus.SERVICE_UNAVAILABLE,
            'evidence_verification_timeout',
            `The verification took longer than ${this.timeoutMs} ms and was stopped`,
            { timeoutMs: this.timeoutMs },
          ),
        );
      }, this.timeoutMs);
      const onMessage = (m: Answer) => {
        cleanup();
        resolve(m);
      };
      const onError = (e: Error & { code?: string }) => {
        cleanup();
        this.discard(thread);
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? ApiError.unprocessable(
                'evidence_limit_exceeded',
                `Verifying the file needs more than ${THREAD_HEAP_MB} MB of memory`,
                [{ field: 'file', message: `needs more than ${THREAD_HEAP_MB} MB of memory to verify` }],
                { field: 'file', size: null, limit: THREAD_HEAP_MB, unit: 'megabytes of memory' },
              )
            : this.failed(e.message),
        );
      };
      const onExit = () => onError(new Error('the verification thread stopped'));
      const cleanup = () => {
        clearTimeout(timer);
        thread.worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      thread.worker.on('message', onMessage).once('error', onError).once('exit', onExit);
      thread.worker.postMessage({ bytes: owned, trust }, [owned.buffer as ArrayBuffer]);
    });
    this.idle.push(thread);
    if ('verdict' in answer) return answer.verdict;
    if ('limit' in answer) {
      const { field, size, limit, unit, message } = answer.limit;
      throw ApiError.unprocessable(
        'evidence_limit_exceeded',
        `The file is beyond a limit of the verifier: ${message}`,
        [{ field, message }],
        { field, size, limit, unit },
      );
    }
    throw this.failed(answer.error);
  }

  private failed(reason: string): ApiError {
    this.logger.error(`evidence verification failed: ${reason}`);
    return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'evidence_verification_failed', 'The verification failed', {
      retryAfterSeconds: 2,
    });
  }

  private start(): Thread {
    this.data ??= threadData();
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { ...this.data, nice: THREAD_NICE },
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
      stdout: false,
      stderr: false,
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(this.failed('the verification thread did not start')), START_TIMEOUT_MS);
      const settle = (e?: Error) => {
        clearTimeout(timer);
        worker.off('message', onReady).off('error', settle).off('exit', onExit);
        if (e) reject(this.failed(`the verification thread did not start: ${e.message}`));
        else resolve();
      };
      const onReady = () => settle();
      const onExit = () => settle(new Error('it stopped'));
      worker.once('message', onReady).once('error', settle).once('exit', onExit);
    });
    const thread = { worker, ready };
    // Caught here too so that a thread that failed to start is not an unhandled rejection; callers await it.
    ready.catch(() => this.discard(thread));
    this.all.add(thread);
    return thread;
  }

  private discard(thread: Thread): void {
    this.all.delete(thread);
    const at = this.idle.indexOf(thread);
    if (at >= 0) this.idle.splice(at, 1);
    // Awaited on shutdown: a process that exits while a thread is still being stopped can abort.
    const stopped = thread.worker.terminate().catch(() => undefined);
    this.stopping.add(stopped);
    void stopped.finally(() => this.stopping.delete(stopped));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...[...this.all].map((t) => t.worker.terminate()), ...this.stopping]);
    this.all.clear();
    this.idle.length = 0;
  }
}
