/** Every HTTP route of a running test app, read from Nest's own metadata (no hand-kept list). */
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { TestApp } from './test-app';

export interface RouteInfo {
  method: string;
  /** With `:param` placeholders, e.g. `/memoranda/:id/withdraw`. */
  path: string;
  controller: string;
  controllerType: new (...args: unknown[]) => unknown;
  methodName: string;
  handler: (...args: unknown[]) => unknown;
}

const join = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

export function listRoutes(t: TestApp): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const mod of t.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...a: unknown[]) => unknown) | null;
      if (!type) continue;
      const bases: string[] = [Reflect.getMetadata(PATH_METADATA, type) ?? ''].flat();
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = type.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler);
        const verb = Reflect.getMetadata(METHOD_METADATA, handler);
        if (sub === undefined || verb === undefined) continue;
        for (const base of bases) {
          for (const p of [sub].flat())
            out.push({
              method: RequestMethod[verb as RequestMethod],
              path: join(base, p),
              controller: type.name,
              controllerType: type,
              methodName: name,
              handler,
            });
        }
      }
    }
  }
  return out;
}
