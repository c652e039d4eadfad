import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { removeShift, setShiftMinimums, shiftCoverage, signUpForShift } from '../../../domain/operations/shifts';
import { ShiftMinimumInput, ShiftSlotInput } from '../../../shared/schemas/operations';
import type { RouteModule } from '../../app';
import { actorOf } from '../../session-auth';

const tags = ['operations'];
const CoverageOut = z.object({
  slots: z.array(
    z.object({
      id: z.string(),
      userId: z.string(),
      displayName: z.string(),
      weekday: z.number(),
      startMinute: z.number(),
      durationMinutes: z.number(),
      timeZone: z.string(),
      startMinuteUtc: z.number(),
      assignedBy: z.string().nullable(),
    }),
  ),
  weekStartUtc: z.number(),
  counts: z.array(z.number()),
  minimums: z.array(z.number()),
  gapHoursUtc: z.array(z.number()),
});

/** The 24x7 shift calendar: coverage, signing up, assigning, minimums. */
export const shiftRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.get('/api/operations/shifts', { config: { auth: 'staff' }, schema: { tags, response: { 200: CoverageOut } } }, async (request) =>
    shiftCoverage(deps, { actor: actorOf(request) }),
  );

  app.post(
    '/api/operations/shifts',
    { config: { auth: 'staff' }, schema: { tags, body: ShiftSlotInput, response: { 201: z.object({ id: z.string(), startMinuteUtc: z.number() }) } } },
    async (request, reply) => reply.status(201).send(await signUpForShift(deps, { actor: actorOf(request), input: request.body })),
  );

  app.delete('/api/operations/shifts/:id', { config: { auth: 'staff' }, schema: { tags, params: z.object({ id: z.string().min(1).max(64) }) } }, async (request, reply) => {
    await removeShift(deps, { actor: actorOf(request), slotId: request.params.id });
    return reply.status(204).send();
  });

  app.put('/api/operations/shifts/minimums', { config: { auth: 'staff' }, schema: { tags, body: ShiftMinimumInput } }, async (request, reply) => {
    await setShiftMinimums(deps, { actor: actorOf(request), input: request.body });
    return reply.status(204).send();
  });
};
