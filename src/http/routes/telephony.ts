import { type TelephonyServices, createTelephonyServices } from '../../telephony/services';
import type { RouteModule } from '../app';
import { revealTaskNumber } from '../presenters/call-task.presenter';
import { sipRoutes } from './telephony-sip.routes';
import { twilioRoutes } from './telephony-twilio.routes';

declare module 'fastify' {
  interface FastifyInstance {
    /** The telephony ports (router, authorizer, event sink) the provider routes use. */
    telephony: TelephonyServices;
  }
}

/** Builds the telephony services once per app; adapters (and tests) may replace their fields. */
const telephonyServices: RouteModule = (app, ctx) => {
  const services = createTelephonyServices(ctx.deps, ctx.config, { revealNumber: revealTaskNumber });
  app.decorate('telephony', services);
  app.addHook('onClose', async () => {
    services.close();
  });
};

/** Route modules of the telephony area, registered in this order. */
export const telephonyRouteModules: RouteModule[] = [telephonyServices, twilioRoutes, sipRoutes];
