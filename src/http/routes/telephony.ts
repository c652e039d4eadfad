import type { RouteModule } from '../app';

/** Route modules of the telephony area, registered in this order. */
export const telephonyRouteModules: RouteModule[] = [];
