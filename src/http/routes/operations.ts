import type { RouteModule } from '../app';
import { campaignRoutes } from './operations/campaigns.routes';
import { callListRoutes } from './operations/lists.routes';
import { presenceRoutes } from './operations/presence.routes';
import { shiftRoutes } from './operations/shifts.routes';

/** Route modules of the operations area, registered in this order. */
export const operationsRouteModules: RouteModule[] = [callListRoutes, campaignRoutes, shiftRoutes, presenceRoutes];
