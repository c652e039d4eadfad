import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readDashboard } from '../../domain/reports/dashboard';
import { readMySummary } from '../../domain/reports/my-summary';
import { approveStory, createStoryDraft, editStory, getStory, listStories, MAX_STORY_CALLS, publishStory, withdrawStory } from '../../domain/reports/stories';
import type { RouteModule } from '../app';
import { actorOf } from '../session-auth';

const tags = ['reports'];
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const CountsOut = { people: z.number(), party: z.number(), league: z.number(), pioneers: z.number() };
const QueueFiguresOut = {
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  callbacks: z.number(),
  averageSpeedOfAnswerSeconds: z.number().nullable(),
  abandonRate: z.number().nullable(),
  serviceLevel: z.number().nullable(),
  occupancy: z.number().nullable(),
};
const StoryTextIn = z.object({ title: z.string().trim().min(1).max(200), body: z.string().trim().min(1).max(20_000) });
const StoryContentIn = z.object({ 'zh-Hans': StoryTextIn, 'zh-Hant': StoryTextIn, en: StoryTextIn });
const StoryOut = z.object({
  id: z.string(),
  status: z.enum(['draft', 'approved', 'published', 'withdrawn']),
  callIds: z.array(z.string()),
  content: z.object({ 'zh-Hans': z.object({ title: z.string(), body: z.string() }), 'zh-Hant': z.object({ title: z.string(), body: z.string() }), en: z.object({ title: z.string(), body: z.string() }) }),
  /** Personal details the text holds; publishing needs each one kept on purpose. */
  findings: z.array(z.object({ kind: z.enum(['real_name', 'phone', 'followup', 'place', 'number']), text: z.string(), locale: z.string() })),
  keptDetails: z.array(z.string()),
  createdBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  publishedBy: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  publishedAt: z.number().nullable(),
});
const StoryParams = z.object({ id: z.string().min(1).max(64) });
const DashboardOut = z.object({
  from: z.string(),
  to: z.string(),
  zone: z.string(),
  statementDays: z.array(z.object({ day: z.string(), ...CountsOut, channels: z.record(z.string(), z.number()) })),
  provinces: z.array(z.object({ code: z.string(), ...CountsOut })),
  channels: z.array(z.object({ channel: z.string(), ...CountsOut })),
  totals: z.object(CountsOut),
  callDays: z.array(
    z.object({
      day: z.string(),
      calls: z.number(),
      outbound: z.number(),
      inbound: z.number(),
      answered: z.number(),
      talkMinutes: z.number(),
      people: z.number(),
      outcomes: z.record(z.string(), z.number()),
    }),
  ),
  callHours: z.array(z.object({ hour: z.number(), calls: z.number(), answered: z.number() })),
  campaigns: z.array(z.object({ campaignId: z.string(), name: z.string(), calls: z.number(), answered: z.number(), registered: z.number(), people: z.number(), conversion: z.number().nullable() })),
  queueDays: z.array(z.object({ day: z.string(), ...QueueFiguresOut })),
  queueHours: z.array(z.object({ hour: z.number(), ...QueueFiguresOut })),
  serviceLevelSeconds: z.number(),
  dutyDays: z.array(z.object({ day: z.string(), plannedHours: z.number(), dutyHours: z.number(), availableHours: z.number(), volunteers: z.number() })),
  coverageGaps: z.array(z.object({ at: z.number(), minimum: z.number(), planned: z.number(), onDuty: z.number() })),
  coverageGapCount: z.number(),
});

/** The coordinators' dashboard, a volunteer's own figures, and story drafts from calls. */
export const reportRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.get(
    '/api/reports/dashboard',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'Statements, calls and campaigns over a period (days in `zone`; statements by China day)',
        querystring: z.object({ from: Day, to: Day, zone: z.string().min(1).max(64).default('Asia/Shanghai') }),
        response: { 200: DashboardOut },
      },
    },
    async (request) => readDashboard(deps, { actor: actorOf(request), ...request.query }),
  );

  app.get(
    '/api/reports/mine',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: "The signed-in volunteer's own calls, talk time, registrations and follow-ups due",
        response: {
          200: z.object({
            periods: z.array(z.object({ days: z.number(), calls: z.number(), answered: z.number(), talkMinutes: z.number(), people: z.number(), registeredCalls: z.number(), dutyMinutes: z.number() })),
            followups: z.object({ open: z.number(), due: z.number() }),
            weeklyShiftMinutes: z.number(),
          }),
        },
      },
    },
    async (request) => readMySummary(deps, { actor: actorOf(request) }),
  );

  app.get('/api/stories', { config: { auth: 'staff' }, schema: { tags, response: { 200: z.object({ stories: z.array(StoryOut) }) } } }, async (request) => ({
    stories: await listStories(deps, { actor: actorOf(request) }),
  }));

  app.post(
    '/api/stories',
    {
      config: { auth: 'staff' },
      schema: { tags, summary: 'Drafts a story from calls', body: z.object({ callIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_STORY_CALLS) }), response: { 201: StoryOut } },
    },
    async (request, reply) => reply.status(201).send(await createStoryDraft(deps, { actor: actorOf(request), callIds: request.body.callIds })),
  );

  app.get('/api/stories/:id', { config: { auth: 'staff' }, schema: { tags, params: StoryParams, response: { 200: StoryOut } } }, async (request) =>
    await getStory(deps, { actor: actorOf(request), id: request.params.id }),
  );

  app.put(
    '/api/stories/:id',
    { config: { auth: 'staff' }, schema: { tags, summary: 'Saves an edited text (back to draft)', params: StoryParams, body: z.object({ content: StoryContentIn }), response: { 200: StoryOut } } },
    async (request) => await editStory(deps, { actor: actorOf(request), id: request.params.id, content: request.body.content }),
  );

  app.post('/api/stories/:id/approve', { config: { auth: 'staff' }, schema: { tags, params: StoryParams, response: { 200: StoryOut } } }, async (request) =>
    await approveStory(deps, { actor: actorOf(request), id: request.params.id }),
  );

  app.post(
    '/api/stories/:id/publish',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'Publishes an approved story; every personal detail in it must be listed in `keep`',
        params: StoryParams,
        body: z.object({ keep: z.array(z.string().max(200)).max(50).default([]) }),
        response: { 200: StoryOut },
      },
    },
    async (request) => await publishStory(deps, { actor: actorOf(request), id: request.params.id, keep: request.body.keep }),
  );

  app.post('/api/stories/:id/withdraw', { config: { auth: 'staff' }, schema: { tags, params: StoryParams, response: { 200: StoryOut } } }, async (request) =>
    await withdrawStory(deps, { actor: actorOf(request), id: request.params.id }),
  );
};
