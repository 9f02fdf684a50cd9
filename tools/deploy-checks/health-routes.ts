import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { HealthModule } from '@shelfwatch/platform';

/** The probe routes every service serves, read from the routing metadata of the shared health module. */
export interface HealthRoutes {
  /** `GET` path of the liveness handler (`live`). */
  live: string;
  /** `GET` path of the readiness handler (`ready`). */
  ready: string;
}

function join(...parts: string[]): string {
  return `/${parts.map((part) => part.replace(/^\/+|\/+$/g, '')).join('/')}`;
}

function getPath(controller: Type<unknown>, handler: 'live' | 'ready'): string {
  const method: unknown = (controller.prototype as Record<string, unknown>)[handler];
  if (typeof method !== 'function') {
    throw new Error(`${controller.name} has no ${handler} handler`);
  }
  if (Reflect.getMetadata(METHOD_METADATA, method) !== RequestMethod.GET) {
    throw new Error(`${controller.name}.${handler} is not a GET route`);
  }
  return join(
    String(Reflect.getMetadata(PATH_METADATA, controller)),
    String(Reflect.getMetadata(PATH_METADATA, method)),
  );
}

/** Reads the liveness and readiness paths the services serve (libs/platform health module). */
export function healthRoutes(): HealthRoutes {
  const controllers = Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, HealthModule) as Type<unknown>[];
  const controller = controllers.find((candidate) => typeof candidate.prototype === 'object');
  if (!controller) {
    throw new Error('the health module declares no controller');
  }
  return { live: getPath(controller, 'live'), ready: getPath(controller, 'ready') };
}
