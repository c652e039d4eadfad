import type { RouteModule } from '../app';
import { auditRoutes } from './audit.routes';
import { authRoutes } from './auth.routes';
import { callsRouteModules } from './calls';
import { healthRoutes } from './health.routes';
import { operationsRouteModules } from './operations';
import { registryRouteModules } from './registry';
import { reportRoutes } from './reports.routes';
import { telephonyRouteModules } from './telephony';
import { userRoutes } from './users.routes';

/** Every route module, foundation first; each area lists its own in `routes/<area>.ts`. */
export const routeModules: RouteModule[] = [
  healthRoutes,
  authRoutes,
  userRoutes,
  auditRoutes,
  ...registryRouteModules,
  ...callsRouteModules,
  ...operationsRouteModules,
  ...telephonyRouteModules,
  reportRoutes,
];
