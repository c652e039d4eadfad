import type { RouteModule } from '../app';

/** Route modules of the registry area, registered in this order. */
export const registryRouteModules: RouteModule[] = [];
