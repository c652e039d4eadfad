import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { LightMyRequestResponse } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { generate } from 'otplib';
import { loadConfig } from '../src/config/config';
import { Store } from '../src/db/store';
import { createInvitation } from '../src/domain/auth/create-invitation';
import { buildApp, type RouteModule } from '../src/http/app';
import { createLogger } from '../src/logging';
import { openRuntime } from '../src/runtime';
import { RegisterStatementInput } from '../src/shared/schemas/statements';
import { z } from 'zod';

/**
 * The server the HTTP benchmarks load: the real app (every route module, SQLite with WAL and
 * synchronous=FULL) plus three bench-only routes on the same Fastify instance:
 * - `GET /bench/static/counters.json`: a static file (served by @fastify/static) with exactly the
 *   bytes `/api/public/counters` answers, the baseline of (c);
 * - `POST /bench/validate`: parses and validates the same body as `POST /api/statements` and
 *   answers 201 without storing it, the baseline of (b);
 * - `GET /bench/queries`: how many database queries the app has run (a Kysely plugin counts them),
 *   to prove the counter endpoint never touches the database.
 * It signs a volunteer in the way a person does and prints `READY {port, cookie, csrf}`.
 */

let queries = 0;
const countQueries: KyselyPlugin = {
  transformQuery: (args) => {
    queries += 1;
    return args.node;
  },
  transformResult: (args) => Promise.resolve(args.result),
};

const config = loadConfig();
const runtime = await openRuntime(config, { createKeysIfNew: true, migrate: true });
const store = new Store(runtime.connection.db.withPlugin(countQueries), runtime.connection.dialect);
const deps = { ...runtime, store };
const staticDir = path.join(config.dataDir, 'bench-static');
mkdirSync(staticDir, { recursive: true });

const benchRoutes: RouteModule = async (app) => {
  await app.register(fastifyStatic, { root: staticDir, prefix: '/bench/static/', decorateReply: false });
  app.get('/bench/queries', { schema: { hide: true } }, async () => ({ queries }));
  app.get('/bench/statements', { schema: { hide: true } }, async () => ({ count: await runtime.store.registry.statements.count() }));
  const Body = z.object({ statements: z.array(RegisterStatementInput).min(1).max(500) });
  app.post('/bench/validate', { schema: { hide: true } }, async (request, reply) => {
    const body = Body.parse(request.body);
    return reply.status(201).send({ statements: body.statements.map(() => ({ status: 'published' })) });
  });
};

const app = await buildApp({ deps, config, logger: createLogger('warn', { pretty: false }), routes: [benchRoutes] });
await app.ready();

// The static baseline holds the very bytes the counter endpoint answers.
const counters = await app.inject({ method: 'GET', url: '/api/public/counters' });
writeFileSync(path.join(staticDir, 'counters.json'), counters.rawPayload);

// A volunteer, signed in with a password and TOTP as a person would be.
const jar: Record<string, string> = {};
const keep = (response: LightMyRequestResponse) => {
  for (const cookie of response.cookies as { name: string; value: string }[]) jar[cookie.name] = cookie.value;
};
const cookieHeader = () =>
  Object.entries(jar)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
const invitation = await createInvitation(runtime, { actor: null, role: 'volunteer' });
const password = 'correct horse battery staple';
const accepted = await app.inject({ method: 'POST', url: '/api/invitations/accept', payload: { token: invitation.token, username: 'bench', displayName: 'Bench', password } });
if (accepted.statusCode !== 201) throw new Error(`accept failed: ${accepted.body}`);
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench', password } });
keep(login);
const enrollment = await app.inject({ method: 'POST', url: '/api/auth/enrollment', headers: { cookie: cookieHeader(), 'x-csrf-token': jar.hotline_csrf ?? '' } });
const { secret } = enrollment.json<{ secret: string }>();
const confirm = await app.inject({
  method: 'POST',
  url: '/api/auth/enrollment/confirm',
  headers: { cookie: cookieHeader(), 'x-csrf-token': jar.hotline_csrf ?? '' },
  payload: { code: await generate({ secret }) },
});
if (confirm.statusCode !== 200) throw new Error(`enrolment failed: ${confirm.body}`);
keep(confirm);

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`READY ${JSON.stringify({ port, cookie: cookieHeader(), csrf: jar.hotline_csrf ?? '', counterBytes: counters.rawPayload.length })}\n`);

const stop = () => {
  void app.close().then(() => runtime.close().then(() => process.exit(0)));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
