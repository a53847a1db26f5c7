/**
 * `kelisim <command>`: start the service (api and worker together, or either alone), run
 * migrations, create the first admin, check the environment.
 */
import 'reflect-metadata';
import { Command } from 'commander';
import { createAdmin } from './commands/create-admin.command';
import { demo } from './commands/demo.command';
import { doctor } from './commands/doctor.command';
import { migrate } from './commands/migrate.command';
import { verifyHistory } from './commands/verify-history.command';
import { verifyEvidence } from './commands/verify-evidence.command';
import { runProcess } from './processes';

const program = new Command('kelisim')
  .description('Kelisim — workflow engine for multiparty memoranda')
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
program.command('migrate').description('apply pending database migrations').action(migrate);
program
  .command('create-admin')
  .description('create the first admin (and its organisation when there is none)')
  .requiredOption('--email <email>', 'e-mail of the admin')
  .requiredOption('--name <fullName>', 'full name')
  .option('--organisation <name>', 'name of the operator organisation to create when none exists', 'Kelisim operator')
  .option('--language <kk|ru|en>', 'preferred language', 'ru')
  .option('--password-env <VAR>', 'read the password from this environment variable', 'KELISIM_ADMIN_PASSWORD')
  .action(createAdmin);
program
  .command('verify-history [memorandumId]')
  .description(
    "recompute a memorandum's history hash chain (or every chain with --all); exit code 1 when one is broken",
  )
  .option('--all', 'verify the history of every memorandum')
  .action(verifyHistory);
program
  .command('verify-evidence <file>')
  .description('verify an evidence PDF offline (no server, no database); exit code 1 when a check fails')
  .action(verifyEvidence);
program
  .command('demo')
  .description('load the Taraz youth memorandum (2021) and walk it through its whole lifecycle through the HTTP API')
  .action(demo);
program.command('doctor').description('check configuration, database, migrations and the queue backend').action(doctor);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`kelisim: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
