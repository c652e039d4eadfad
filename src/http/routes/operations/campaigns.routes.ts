import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../domain/deps';
import {
  campaignIdOf,
  campaignProgress,
  claimedTasks,
  listCampaigns,
  withEntries,
  claimNextAcrossCampaigns,
  claimNextNumbers,
  createCampaign,
  recordAttempt,
  releaseNumbers,
  setCampaignStatus,
  taskForDialing,
} from '../../../domain/operations/campaigns';
import type { CallTaskRow } from '../../../db/repositories/operations/campaigns.repository';
import { ClaimBatchInput, CreateCampaignInput, RecordAttemptInput, ReleaseInput } from '../../../shared/schemas/operations';
import type { RouteModule } from '../../app';
import { presentTask, revealTaskNumber } from '../../presenters/call-task.presenter';
import { actorOf } from '../../session-auth';

const tags = ['operations'];
const CampaignParams = z.object({ id: z.string().min(1).max(64) });
const TaskParams = z.object({ id: z.string().min(1).max(200) });
/** A claimed number as volunteers see it: masked, with its organization and attempts. */
export const TaskOut = z.object({
  id: z.string(),
  kind: z.string(),
  campaignId: z.string().nullable(),
  maskedNumber: z.string(),
  organization: z.string().nullable(),
  category: z.string().nullable(),
  regionCode: z.string().nullable(),
  attempts: z.number(),
  maxAttempts: z.number(),
  claimExpiresAt: z.number().nullable(),
  lastOutcome: z.string().nullable(),
});
/** A campaign as the console lists it. */
export const CampaignOut = z.object({
  id: z.string(),
  name: z.string(),
  listIds: z.array(z.string()),
  scriptId: z.string().nullable(),
  windowStartMinute: z.number(),
  windowEndMinute: z.number(),
  maxAttempts: z.number(),
  retrySpacingMinutes: z.number(),
  priority: z.number(),
  status: z.string(),
  createdAt: z.number(),
});

export type TaskOut = z.infer<typeof TaskOut>;
export type CampaignOut = z.infer<typeof CampaignOut>;
/** What claiming numbers answered: the tasks, or why there are none (and when the window opens). */
export const ClaimOut = z.object({ tasks: z.array(TaskOut), reason: z.string().optional(), windowOpensAt: z.number().optional() });
export type ClaimOut = z.infer<typeof ClaimOut>;

async function presentTasks(deps: Deps, tasks: CallTaskRow[]) {
  return (await withEntries(deps, tasks)).map(({ task, entry }) => presentTask(task, entry, deps.keyring));
}

/** Campaigns, claiming numbers (and callback requests), dialing, attempts and progress. */
export const campaignRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.get('/api/operations/campaigns', { config: { auth: 'staff' }, schema: { tags, response: { 200: z.object({ campaigns: z.array(CampaignOut) }) } } }, async (request) => {
    return {
      campaigns: (await listCampaigns(deps, actorOf(request))).map(({ campaign: row, listIds }) => ({
        id: row.id,
        name: row.name,
        listIds,
        scriptId: row.script_id,
        windowStartMinute: row.window_start_minute,
        windowEndMinute: row.window_end_minute,
        maxAttempts: row.max_attempts,
        retrySpacingMinutes: row.retry_spacing_minutes,
        priority: row.priority,
        status: row.status,
        createdAt: row.created_at,
      })),
    };
  });

  app.post(
    '/api/operations/campaigns',
    { config: { auth: 'staff' }, schema: { tags, body: CreateCampaignInput, response: { 201: z.object({ id: z.string(), tasks: z.number() }) } } },
    async (request, reply) => {
      const { campaign, tasks } = await createCampaign(deps, { actor: actorOf(request), input: request.body });
      return reply.status(201).send({ id: campaign.id, tasks });
    },
  );

  app.post(
    '/api/operations/campaigns/:id/status',
    { config: { auth: 'staff' }, schema: { tags, params: CampaignParams, body: z.object({ status: z.enum(['active', 'paused']) }) } },
    async (request, reply) => {
      await setCampaignStatus(deps, { actor: actorOf(request), campaignId: request.params.id, status: request.body.status });
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/operations/campaigns/:id/claim',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        params: CampaignParams,
        body: ClaimBatchInput,
        response: { 200: ClaimOut },
      },
    },
    async (request) => {
      const result = await claimNextNumbers(deps, { actor: actorOf(request), campaignId: campaignIdOf(request.params.id), size: request.body.size });
      return { ...result, tasks: await presentTasks(deps, result.tasks) };
    },
  );

  // "The next numbers": across every active campaign whose window is open, and the callback
  // requests, highest priority first.
  app.post(
    '/api/operations/claim-next',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        body: ClaimBatchInput,
        response: { 200: ClaimOut },
      },
    },
    async (request) => {
      const result = await claimNextAcrossCampaigns(deps, { actor: actorOf(request), size: request.body.size });
      return { ...result, tasks: await presentTasks(deps, result.tasks) };
    },
  );

  app.get(
    '/api/operations/campaigns/:id/progress',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        params: CampaignParams,
        response: { 200: z.object({ tasks: z.record(z.string(), z.number()), days: z.array(z.object({ day: z.string(), outcomes: z.record(z.string(), z.number()) })) }) },
      },
    },
    async (request) => campaignProgress(deps, { actor: actorOf(request), campaignId: campaignIdOf(request.params.id) }),
  );

  app.get('/api/operations/my-tasks', { config: { auth: 'staff' }, schema: { tags, response: { 200: z.object({ tasks: z.array(TaskOut) }) } } }, async (request) => {
    return { tasks: await presentTasks(deps, await claimedTasks(deps, actorOf(request))) };
  });

  app.post(
    '/api/operations/tasks/release',
    { config: { auth: 'staff' }, schema: { tags, body: ReleaseInput, response: { 200: z.object({ released: z.number() }) } } },
    async (request) => ({ released: await releaseNumbers(deps, { actor: actorOf(request), taskIds: request.body.taskIds }) }),
  );

  app.post(
    '/api/operations/tasks/:id/dial',
    { config: { auth: 'staff' }, schema: { tags, params: TaskParams, response: { 200: z.object({ taskId: z.string(), number: z.string() }) } } },
    async (request, reply) => {
      const task = await taskForDialing(deps, { actor: actorOf(request), taskId: request.params.id });
      const [{ entry } = { entry: undefined }] = await withEntries(deps, [task]);
      void reply.header('cache-control', 'no-store');
      return { taskId: task.id, number: revealTaskNumber(task, entry, deps.keyring) };
    },
  );

  app.post(
    '/api/operations/tasks/:id/attempts',
    { config: { auth: 'staff' }, schema: { tags, params: TaskParams, body: RecordAttemptInput, response: { 201: z.object({ status: z.string(), attempts: z.number() }) } } },
    async (request, reply) => {
      const result = await recordAttempt(deps, {
        actor: actorOf(request),
        taskId: request.params.id,
        outcome: request.body.outcome,
        ...(request.body.callId ? { callId: request.body.callId } : {}),
      });
      return reply.status(201).send(result);
    },
  );
};
