import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import {
  Language,
  Organisation,
  OrganisationKind,
  OrganisationsService,
  Role,
  User,
  UsersService,
} from '@kelisim/identity';
import { CliModule } from '../cli.module';
import { bootLog, loadEnvironment, withInfrastructure } from '../processes';

interface Options {
  email: string;
  name: string;
  organisation: string;
  language: string;
  passwordEnv: string;
}

/** Creates the first admin; refuses when an admin exists already (further admins come through the API). */
export async function createAdmin(options: Options): Promise<void> {
  const env = loadEnvironment();
  if (!['kk', 'ru', 'en'].includes(options.language)) {
    process.stderr.write('create-admin: --language must be one of kk, ru, en\n');
    process.exit(2);
  }
  await withInfrastructure(env, async (infra) => {
    const app = await NestFactory.createApplicationContext(
      CliModule.forRoot({ ...infra.overrides, LOG_LEVEL: 'warn' }),
      { logger: ['error', 'warn'] },
    );
    try {
      await app.init();
      const db = app.get(DataSource);
      if (await db.getRepository(User).createQueryBuilder('u').where(`'admin' = ANY(u.roles)`).getExists()) {
        process.stderr.write('create-admin: an admin exists already; create further admins through POST /users\n');
        process.exitCode = 4;
        return;
      }
      let organisation = await db.getRepository(Organisation).findOne({ where: {}, order: { createdAt: 'ASC' } });
      organisation ??= await app.get(OrganisationsService).create({
        name: options.organisation,
        shortName: options.organisation.slice(0, 100),
        kind: OrganisationKind.Other,
        system: true,
        language: options.language as Language,
      });
      const given = process.env[options.passwordEnv];
      const password = given && given.length > 0 ? given : randomBytes(12).toString('base64url');
      if (password.length < 10) {
        process.stderr.write(
          `create-admin: the password in ${options.passwordEnv} must be at least 10 characters long\n`,
        );
        process.exitCode = 2;
        return;
      }
      const user = await app.get(UsersService).create({
        email: options.email,
        fullName: options.name,
        password,
        organisationId: organisation.id,
        roles: [Role.Admin],
        language: options.language as Language,
      });
      bootLog(`Admin ${user.email} created (id ${user.id}, organisation "${organisation.name}")`);
      if (!given) process.stdout.write(`Generated password (shown once): ${password}\n`);
    } finally {
      await app.close();
    }
  });
}
