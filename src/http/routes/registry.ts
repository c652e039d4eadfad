import type { RouteModule } from '../app';
import { publicSiteRoutes } from './public-site.routes';

/** Route modules of the registry area, registered in this order. */
export const registryRouteModules: RouteModule[] = [publicSiteRoutes];
