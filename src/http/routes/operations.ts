import type { RouteModule } from '../app';

/** Route modules of the operations area, registered in this order. */
export const operationsRouteModules: RouteModule[] = [];
