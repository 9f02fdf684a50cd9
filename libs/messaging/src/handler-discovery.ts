import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { EventType } from '@shelfwatch/contracts';
import { EVENT_HANDLER_METADATA, RPC_HANDLER_METADATA } from './decorators';
import { EventHandlerFn } from './event-handler';
import { RpcHandlerFn } from './rpc';

/** Finds the `@OnEvent` and `@OnRequest` methods of every provider in the application. */
@Injectable()
export class HandlerDiscovery {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  eventHandlers(): Map<EventType, EventHandlerFn> {
    return this.collect<EventType, EventHandlerFn>(EVENT_HANDLER_METADATA);
  }

  rpcHandlers(): Map<string, RpcHandlerFn> {
    return this.collect<string, RpcHandlerFn>(RPC_HANDLER_METADATA);
  }

  private collect<K extends string, F>(metadataKey: string): Map<K, F> {
    const found = new Map<K, F>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') {
        continue;
      }
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[name];
        if (typeof method !== 'function') {
          continue;
        }
        const key = this.reflector.get<K | undefined>(metadataKey, method);
        if (key === undefined) {
          continue;
        }
        if (found.has(key)) {
          throw new Error(`two handlers for ${key}`);
        }
        found.set(key, (method as (...args: unknown[]) => unknown).bind(instance) as F);
      }
    }
    return found;
  }
}
