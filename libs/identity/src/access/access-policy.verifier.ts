import { Injectable, OnModuleInit } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA } from './access.decorator';

/** Refuses to start an app that has a route without an explicit access rule. */
@Injectable()
export class AccessPolicyVerifier implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit() {
    const missing: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const proto = Object.getPrototypeOf(instance);
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = proto[name];
        if (
          Reflect.getMetadata(PATH_METADATA, handler) === undefined ||
          Reflect.getMetadata(METHOD_METADATA, handler) === undefined
        )
          continue;
        const rule = this.reflector.getAllAndOverride(ACCESS_METADATA, [handler, metatype]);
        if (!rule) missing.push(`${metatype.name}.${name}`);
      }
    }
    if (missing.length) throw new Error(`Routes without an access rule (add @Access.*): ${missing.join(', ')}`);
  }
}
