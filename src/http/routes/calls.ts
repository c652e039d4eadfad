import type { RouteModule } from '../app';

/** Route modules of the calls area, registered in this order. */
export const callsRouteModules: RouteModule[] = [];
