import type { RouteModule } from '../app';
import { logRoutes } from './log.routes';
import { publicSiteRoutes } from './public-site.routes';
import { apiDocsRoutes } from './registry/docs.routes';
import { registryFeedRoutes } from './registry/feeds.routes';
import { registryPublicRoutes } from './registry/public.routes';
import { registryStaffRoutes } from './registry/staff.routes';

/** Route modules of the registry area, registered in this order. */
export const registryRouteModules: RouteModule[] = [registryPublicRoutes, registryFeedRoutes, registryStaffRoutes, apiDocsRoutes, logRoutes, publicSiteRoutes];
