import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Role } from '../vocabulary';
import { Access } from './access.decorator';
import { AccessPolicyVerifier } from './access-policy.verifier';

@Controller('open')
class DeclaredController {
  @Get() @Access.public() a() {
    return 1;
  }
  @Post() @Access.roles(Role.Admin) b() {
    return 2;
  }
}

@Controller('forgotten')
class ForgottenController {
  @Get() @Access.authenticated() a() {
    return 1;
  }
  @Post() b() {
    return 2;
  }
}

@Access.authenticated()
@Controller('class-level')
class ClassLevelController {
  @Get() a() {
    return 1;
  }
}

async function boot(...controllers: Array<new () => unknown>) {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    controllers,
    providers: [AccessPolicyVerifier],
  }).compile();
  await moduleRef.init();
  await moduleRef.close();
}

describe('AccessPolicyVerifier', () => {
  it('accepts routes that all declare a rule, on the method or the class', async () => {
    await expect(boot(DeclaredController, ClassLevelController)).resolves.toBeUndefined();
  });

  it('refuses to start when a route has no access rule, naming it', async () => {
    await expect(boot(DeclaredController, ForgottenController)).rejects.toThrow(
      'Routes without an access rule (add @Access.*): ForgottenController.b',
    );
  });
});
