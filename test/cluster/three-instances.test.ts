import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStatements } from '../../bench/generate-statements';
import { EntryAuditor } from '../../src/domain/transparency/entry-audit';
import { verifyLog } from '../../src/tlog/monitor';
import { type Cluster, type HttpSession, type Instance, startCluster } from './support/cluster';

// nginx serves a self-signed certificate made for this test.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

/** How long an offer rings before it moves on (short, so the failover case finishes quickly). */
const RING_SECONDS = 4;

let cluster: Cluster;
let a: Instance;
let b: Instance;
let c: Instance;
let coordinator: HttpSession;

beforeAll(async () => {
  cluster = await startCluster({ env: { HOTLINE_DEMO_CALLS: 'true', HOTLINE_SIP_RING_SECONDS: String(RING_SECONDS), HOTLINE_QUEUE_WAIT_SECONDS: '300' } });
  [a, b, c] = cluster.instances as [Instance, Instance, Instance];
  coordinator = await cluster.signUp('coordinator');
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

/** A volunteer's console channel on one instance: every offer, cancelled offer and presence change it is sent. */
function channel(session: HttpSession, on: Instance): Promise<{ events: { type: string; callId?: string; at: number }[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: { type: string; callId?: string; at: number }[] = [];
    const socket = new WebSocket(`ws://127.0.0.1:${on.port}/api/operations/my-channel`, { headers: { cookie: session.cookie(), origin: cluster.url } });
    socket.on('message', (data: Buffer) => events.push({ ...(JSON.parse(data.toString()) as { type: string; callId?: string }), at: Date.now() }));
    socket.on('open', () => resolve({ events, close: () => socket.close() }));
    socket.on('error', reject);
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function onDuty(session: HttpSession, on: Instance): Promise<void> {
  const response = await session.request(on.url, 'POST', '/api/operations/presence', { presence: 'available' });
  expect(response.status, response.text).toBe(200);
}

async function simulate(on: Instance, event: string, callId: string): Promise<void> {
  const response = await coordinator.request(on.url, 'POST', '/api/operations/queue/simulate', { event, callId });
  expect(response.status, response.text).toBe(200);
}

describe('three instances on one PostgreSQL and Redis, behind nginx', () => {
  it('started A first, so A holds the lease and B and C do not', async () => {
    expect((await a.health())?.lease).toBe(true);
    expect((await b.health())?.lease).toBe(false);
    expect((await c.health())?.lease).toBe(false);
  });

  it('offers a call that arrives at instance B to a volunteer connected to instance A, who takes it through A', async () => {
    const volunteer = await cluster.signUp('volunteer');
    const desk = await channel(volunteer, a);
    await onDuty(volunteer, a);
    const sent = Date.now();
    await simulate(b, 'arrive', 'across-1');
    const offer = await until('the offer on A', () => desk.events.find((event) => event.type === 'offer' && event.callId === 'across-1'), 2000);
    expect(offer.at - sent).toBeLessThan(1000);
    const accepted = await volunteer.request(a.url, 'POST', '/api/operations/offers/across-1/accept', { clientId: 'cluster-test-call-1' });
    expect(accepted.status, accepted.text).toBe(200);
    // Instance C's board shows the volunteer on that call.
    const board = (await coordinator.request(c.url, 'GET', '/api/operations/board')).json() as { agents: { agentId: string; presence: string }[] };
    expect(board.agents.find((agent) => agent.agentId === volunteer.userId)?.presence).toBe('on_call');
    await simulate(c, 'end', 'across-1');
    expect((await volunteer.request(b.url, 'POST', '/api/operations/presence', { presence: 'offline' })).status).toBe(200);
    desk.close();
  });

  it('moves the counters on A and B within a second of a statement registered through C', async () => {
    const volunteer = await cluster.signUp('volunteer');
    const total = async (on: Instance) => ((await (await fetch(`${on.url}/api/public/counters`)).json()) as { total: { people: number } }).total.people;
    const before = { a: await total(a), b: await total(b) };
    const registered = await volunteer.request(c.url, 'POST', '/api/statements', {
      statements: [{ nameKind: 'pseudonym', name: '万顺', cohorts: [{ count: 8, organizations: ['party'] }, { count: 11, organizations: ['league', 'pioneers'] }], region: '430121', channel: 'outbound', text: '', provenance: { kind: 'volunteer', consent: 'personal' } }],
    });
    expect(registered.status, registered.text).toBe(201);
    const stored = Date.now();
    await until('A and B to count 19 more people', async () => (await total(a)) === before.a + 19 && (await total(b)) === before.b + 19, 1000);
    expect(Date.now() - stored).toBeLessThan(1000);
  });

  it('moves the counters on A, B and C within a second of `hotline import statements` finishing', async () => {
    const total = async (on: Instance) => ((await (await fetch(`${on.url}/api/public/counters`)).json()) as { total: { people: number } }).total.people;
    const before = await Promise.all([a, b, c].map(total));
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-cluster-import-'));
    const file = path.join(dir, 'statements.csv');
    await writeStatements(file, 20);
    const run = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../bin/hotline.js'), 'import', 'statements', file], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...cluster.env, HOTLINE_AUDIT_HEAD_FILE: path.join(dir, 'audit-head') },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/20 imported/);
    const finished = Date.now();
    await until('every instance to count the imported people', async () => (await Promise.all([a, b, c].map(total))).every((people, index) => people > (before[index] ?? 0)), 1000);
    expect(Date.now() - finished).toBeLessThan(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('has one sequencer: A, B and C serve the same signed checkpoint, which verifies entry by entry and adds up to the counters', async () => {
    const fetchFrom = (on: Instance) => async (logPath: string) => {
      const response = await fetch(`${on.url}/log/${logPath}`);
      return response.status === 200 ? Buffer.from(await response.arrayBuffer()) : undefined;
    };
    const key = (await (await fetch(`${a.url}/log/key`)).text()).trim();
    const notes = await until(
      'the same checkpoint on A, B and C',
      async () => {
        const served = await Promise.all([a, b, c].map(async (on) => (await fetchFrom(on)('checkpoint'))?.toString()));
        return served.every((note) => note === served[0]) ? served : undefined;
      },
      3000,
    );
    expect(notes[0]).toBeDefined();
    const auditor = new EntryAuditor();
    const verified = await verifyLog({ fetch: fetchFrom(b), verifierKey: key, onEntry: (index, entry) => auditor.add(index, entry) });
    const counters = (await (await fetch(`${c.url}/api/public/counters`)).json()) as { total: { people: number }; checkpointSize: number };
    expect(counters.checkpointSize).toBe(verified.checkpoint.size);
    expect(counters.total.people).toBe(auditor.totals.people);
  });

  it('limits a flood from one client across all three instances together, whatever X-Forwarded-For it writes', async () => {
    // Receipt lookups: 20 a minute per client. nginx spreads the requests over A, B and C.
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 24; attempt++) {
      const response = await fetch(`${cluster.url}/api/public/receipts/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${attempt}.0.1` },
        body: JSON.stringify({ code: 'ABCD-EFGH-JKMN' }),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 404)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
  });

  it('after kill -9 of the lease holder (A) while a call rings, B or C takes over within 5 s and the call is offered to the next volunteer', async () => {
    const first = await cluster.signUp('volunteer');
    const second = await cluster.signUp('volunteer');
    const firstConsole = await channel(first, b);
    const secondConsole = await channel(second, c);
    await onDuty(first, b);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await onDuty(second, c);
    await simulate(c, 'arrive', 'failover-1');
    await until('the offer to the first volunteer (idle longest)', () => firstConsole.events.find((event) => event.type === 'offer' && event.callId === 'failover-1'), 2000);
    await a.kill();
    const killedAt = Date.now();
    const leader = await until('a new lease holder', async () => ((await b.health())?.lease ? b : (await c.health())?.lease ? c : undefined), 5000);
    const takeover = Date.now() - killedAt;
    expect(takeover).toBeLessThan(5000);
    // Nobody answered the first ring: the new leader times the offer out and offers the call on.
    const offered = await until('the offer to the second volunteer', () => secondConsole.events.find((event) => event.type === 'offer' && event.callId === 'failover-1'), RING_SECONDS * 1000 + 5000);
    expect(firstConsole.events.some((event) => event.type === 'cancel-offer' && event.callId === 'failover-1')).toBe(true);
    expect(offered.at - killedAt).toBeLessThan(RING_SECONDS * 1000 + 5000);
    console.info(`lease taken over by ${leader.name} ${takeover} ms after kill -9; call offered again ${offered.at - killedAt} ms after`);
    // Through nginx the hotline still answers, A being dead.
    for (let attempt = 0; attempt < 4; attempt++) expect((await fetch(`${cluster.url}/healthz`)).status).toBe(200);
    firstConsole.close();
    secondConsole.close();
  });
});
