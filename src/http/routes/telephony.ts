import type { TelephonyServices } from '../../telephony/services';
import type { RouteModule } from '../app';
import { sipRoutes } from './telephony-sip.routes';
import { twilioRoutes } from './telephony-twilio.routes';

declare module 'fastify' {
  interface FastifyInstance {
    /** The telephony ports (router, authorizer, event sink) the provider routes use. */
    telephony: TelephonyServices;
  }
}

/** The telephony services the app was built with; adapters (and tests) may replace their fields. */
const telephonyServices: RouteModule = (app, ctx) => {
  app.decorate('telephony', ctx.services.telephony);
};

/** Route modules of the telephony area, registered in this order. */
export const telephonyRouteModules: RouteModule[] = [telephonyServices, twilioRoutes, sipRoutes];
