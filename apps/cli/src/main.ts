/**
 * `kelisim <command>`: start the service (api and worker together, or either alone), run
 * migrations, create the first admin, check the environment.
 */
import 'reflect-metadata';
import { Command } from 'commander';
import { kelisimVersion } from '@kelisim/platform/version';
import type { ProcessKind } from './processes';

// Each command loads its code when it runs: a start-up compiles only what the process needs (the
// worker not the API, `verify-evidence` not Nest), and `kelisim --help` answers at once.
const runProcess = async (kind: ProcessKind) => (await import('./processes')).runProcess(kind);

const program = new Command('kelisim')
  .description('Kelisim — workflow engine for multiparty memoranda')
  .version(kelisimVersion(), '-V, --version', 'print the version (package.json) and exit')
  .showHelpAfterError();

program
  .command('start', { isDefault: true })
  .description('start the API and the worker in one process (single-machine default)')
  .action(() => runProcess('all'));
program
  .command('api')
  .description('start only the HTTP API')
  .action(() => runProcess('api'));
program
  .command('worker')
  .description('start only the BullMQ worker')
  .action(() => runProcess('worker'));
program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => (await import('./commands/migrate.command')).migrate());
program
  .command('create-admin')
  .description('create the first admin (and its organisation when there is none)')
  .requiredOption('--email <email>', 'e-mail of the admin')
  .requiredOption('--name <fullName>', 'full name')
  .option('--organisation <name>', 'name of the operator organisation to create when none exists', 'Kelisim operator')
  .option('--language <kk|ru|en>', 'preferred language', 'ru')
  .option('--password-env <VAR>', 'read the password from this environment variable', 'KELISIM_ADMIN_PASSWORD')
  .action(async (options) => (await import('./commands/create-admin.command')).createAdmin(options));
program
  .command('verify-history [memorandumId]')
  .description(
    "recompute a memorandum's history hash chain (or every chain with --all); exit code 1 when one is broken",
  )
  .option('--all', 'verify the history of every memorandum')
  .option(
    '--checkpoint <file>',
    'also check that no chain went back behind the heads of this checkpoint file (or evidence PDF)',
  )
  .action(async (memorandumId, options) =>
    (await import('./commands/verify-history.command')).verifyHistory(memorandumId, options),
  );
program
  .command('history-checkpoint')
  .description("write every history chain's head, sealed with the history key, to a new file kept outside the database")
  .requiredOption('--out <file>', 'the file to create (an existing file is never overwritten)')
  .action(async (options) => (await import('./commands/verify-history.command')).historyCheckpoint(options));
program
  .command('verify-evidence <file>')
  .description(
    'verify an evidence PDF offline (no server, no database): exit code 0 VALID (sealed by a trusted seal), ' +
      '1 NOT VALID, 2 unreadable, 3 intact or unsealed but its origin not proven',
  )
  .option(
    '--trust <seal.pem|fingerprint>',
    "the operator's seal certificate (PEM file) or its SHA-256 fingerprint; repeat for several",
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option(
    '--anchors <bundle.pem>',
    "CA certificates (PEM): each digital signature's certificate must chain to one; without --trust, a seal that chains to one is trusted",
  )
  .action(async (file: string, options: { trust?: string[]; anchors?: string }) =>
    (await import('./commands/verify-evidence.command')).verifyEvidence(file, options),
  );
program
  .command('demo')
  .description('load the Taraz youth memorandum (2021) and walk it through its whole lifecycle through the HTTP API')
  .action(async () => (await import('./commands/demo.command')).demo());
program
  .command('doctor')
  .description('check configuration, database, migrations and the queue backend')
  .action(async () => (await import('./commands/doctor.command')).doctor());

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`kelisim: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
