import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config/config';
import type { Actor } from '../../../src/domain/auth/policy';
import { createCampaign } from '../../../src/domain/operations/campaigns';
import { importCallList } from '../../../src/domain/operations/import-call-list';
import type { RoutingConfig, RoutingSnapshot } from '../../../src/domain/routing/routing.types';
import { buildApp } from '../../../src/http/app';
import { createLogger } from '../../../src/logging';
import { type Runtime, openRuntime } from '../../../src/runtime';
import { systemClock } from '../../../src/shared/clock';
import { type CallSummary, summarizeCall } from '../../../src/telephony/call-events';
import { sipPassword } from '../../../src/telephony/sip/credentials';
import { type RunningSipStack, startSipStack, waitUntil, writeSipStackConfig } from '../../../src/telephony/sip/sip-stack';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type Child, killAll, start } from './processes';

/** Addresses of the test network (all loopback, inside the test's own network namespace). */
export const net = {
  edge: '127.0.0.3',
  edgePort: 5060,
  wsPort: 5066,
  /** The trunk: callers come from here, outbound calls go to trunkPort here. */
  trunk: '127.0.0.2',
  trunkPort: 5080,
  phones: '127.0.0.1',
  rtpengineNg: '127.0.0.1:2223',
};

export const SIP_SECRET = 'telephony-test-secret-0123456789';
export const RING_SECONDS = 2;
export const scenarios = path.join(import.meta.dirname, '..', 'scenarios');

/** A claimed campaign number as the volunteer's console lists it (masked). */
export interface ClaimedTask {
  id: string;
  maskedNumber: string;
  organization: string | null;
}

/** Hotline, Kamailio and rtpengine running together for one test file. */
export interface SipHarness {
  dir: string;
  app: FastifyInstance;
  runtime: Runtime;
  stack: RunningSipStack;
  appUrl: string;
  /** A new staff member signed in through Hotline's API (their id is their SIP username). */
  staff(role?: 'volunteer' | 'coordinator'): Promise<StaffSession>;
  /** Presence through the console's API: on duty and available, on break, or off duty. */
  setPresence(session: StaffSession, presence: 'available' | 'break' | 'offline'): Promise<void>;
  /** The inbound queue as the coordinators' board sees it. */
  queue(): Promise<RoutingSnapshot>;
  /**
   * A call list of `numbers` (organizations "Org 0", "Org 1", ...) in a new campaign whose
   * calling window is `window` in China time (default all day, so tests pass at any hour).
   */
  campaign(numbers: string[], window?: { startMinute: number; endMinute: number }): Promise<string>;
  /** Claims numbers of a campaign through the API, as the console's Claim button does. */
  claim(session: StaffSession, campaignId: string, size: number): Promise<ClaimedTask[]>;
  summary(callId: string): Promise<CallSummary | null>;
  /** The SIP Call-IDs Hotline has events for, in arrival order. */
  callIds(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Starts Hotline on a real socket, then Kamailio and rtpengine configured to ask it. `routing`
 * tunes the inbound queue (by default no wrap-up, so a volunteer takes calls back to back).
 */
export async function startSipHarness(options: { routing?: Partial<RoutingConfig>; env?: Record<string, string>; port?: number } = {}): Promise<SipHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-sip-'));
  const env = {
    HOTLINE_DATA_DIR: path.join(dir, 'data'),
    HOTLINE_KEY_FILE: path.join(dir, 'secrets', 'hotline.keys'),
    HOTLINE_LOG_LEVEL: 'silent',
    HOTLINE_SIP_SECRET: SIP_SECRET,
    HOTLINE_SIP_LISTEN_IP: net.edge,
    HOTLINE_SIP_DOMAIN: net.edge,
    HOTLINE_SIP_PORT: String(net.edgePort),
    HOTLINE_SIP_WS_PORT: String(net.wsPort),
    HOTLINE_SIP_TRUNK: `${net.trunk}:${net.trunkPort}`,
    HOTLINE_SIP_RING_SECONDS: String(RING_SECONDS),
    HOTLINE_RTPENGINE_NG: net.rtpengineNg,
    HOTLINE_CALL_RECORDING: process.env.HOTLINE_TEST_RECORDING ?? 'false',
    ...options.env,
  };
  const config = loadConfig(env, dir);
  const runtime = await openRuntime(config, { createKeysIfNew: true, migrate: true, clock: systemClock });
  const app = await buildApp({
    deps: runtime,
    config,
    logger: createLogger(process.env.HOTLINE_TEST_APP_LOG === '1' ? 'info' : 'silent', { pretty: false }),
    services: { queue: { config: { wrapUpSeconds: 0, reofferSameAgentAfterSeconds: 60, ...options.routing } } },
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const appUrl = `http://127.0.0.1:${address.port}`;
  const host = { app, runtime, clock: runtime.clock };
  const coordinator: Actor = { id: 'harness-coordinator', role: 'coordinator', username: 'harness' };

  const files = writeSipStackConfig(config, path.join(dir, 'sip'), { appUrl });
  let stack: RunningSipStack;
  const kamailioLog: string[] = [];
  try {
    stack = await startSipStack(files, {
      rtpengineNg: net.rtpengineNg,
      sipAddress: { host: net.edge, port: net.edgePort },
      log: (name, line) => {
        if (process.env.HOTLINE_TEST_SIP_LOG === '1') process.stderr.write(`[${name}] ${line}\n`);
        else if (name === 'kamailio' && /ERROR|CRITICAL/.test(line)) kamailioLog.push(line);
      },
    });
  } catch (error) {
    await app.close();
    await runtime.close();
    throw error;
  }
  // A test run killed from outside (CI timeout) must not leave Kamailio, rtpengine or sipp behind.
  const killEverything = () => {
    stack.kill();
    killAll();
  };
  process.once('exit', killEverything);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      killEverything();
      process.exit(1);
    });
  }
  return {
    dir,
    app,
    runtime,
    stack,
    appUrl,
    staff: (role = 'volunteer') => signUpStaff(host, role),
    setPresence: async (session, presence) => {
      const response = await session.request('POST', '/api/operations/presence', { presence });
      if (response.statusCode !== 200) throw new Error(`presence ${presence} failed: ${response.body}`);
    },
    queue: async () => app.services.queue.snapshot(),
    campaign: async (numbers, window = { startMinute: 0, endMinute: 1440 }) => {
      const csv = ['number,organization,category\n', ...numbers.map((number, i) => `${number},Org ${i},police\n`)];
      const report = await importCallList(runtime, { actor: null, name: `List ${Date.now()}`, source: Readable.from(csv), commit: true });
      if (report.listId === null) throw new Error(`import failed: ${JSON.stringify(report)}`);
      const { campaign } = await createCampaign(runtime, {
        actor: coordinator,
        input: { name: 'Telephony test', listIds: [report.listId], windowStartMinute: window.startMinute, windowEndMinute: window.endMinute },
      });
      return campaign.id;
    },
    claim: async (session, campaignId, size) => {
      const response = await session.request('POST', `/api/operations/campaigns/${campaignId}/claim`, { size });
      if (response.statusCode !== 200) throw new Error(`claim failed: ${response.body}`);
      return (response.json() as { tasks: ClaimedTask[] }).tasks;
    },
    summary: async (callId) => {
      await app.telephony.flush();
      return summarizeCall(await runtime.store.telephony.callEvents.forCall('sip', callId));
    },
    callIds: async () => {
      await app.telephony.flush();
      const rows = await runtime.store.telephony.callEvents.ofKind('arrived', 1000);
      return rows.reverse().map((row) => row.call_id);
    },
    close: async () => {
      process.removeListener('exit', killEverything);
      killAll();
      await stack.stop();
      await app.close();
      await runtime.close();
      if (kamailioLog.length > 0) process.stderr.write(`kamailio errors:\n${kamailioLog.join('\n')}\n`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let nextPort = 6100;
/** A free-by-convention UDP port pair on the phones' address (each test gets new ones). */
export function ports(): { sip: number; media: number } {
  nextPort += 4;
  return { sip: nextPort, media: nextPort + 2000 };
}

/** How a simulated volunteer phone behaves when the call rings. */
export type PhoneBehaviour = 'answer' | 'busy' | 'no-answer';

/** A sipp phone registered as a volunteer; `handled` resolves when it has dealt with one call. */
export interface Phone {
  volunteerId: string;
  uas: Child;
}

/** Starts a sipp phone that behaves as told, then registers it as `volunteerId` (digest auth). */
export async function registerPhone(volunteerId: string, behaviour: PhoneBehaviour, options: { calls?: number; timeoutMs?: number } = {}): Promise<Phone> {
  const { sip, media } = ports();
  const uas = start(
    `phone ${volunteerId} (${behaviour})`,
    'sipp',
    ['-sf', path.join(scenarios, `${behaviour}.xml`), '-i', net.phones, '-p', String(sip), '-mp', String(media), '-m', String(options.calls ?? 1), '-nostdin'],
    { timeoutMs: options.timeoutMs ?? 60_000 },
  );
  const password = sipPassword(SIP_SECRET, volunteerId);
  const register = start(
    `register ${volunteerId}`,
    'sipp',
    [`${net.edge}:${net.edgePort}`, '-sf', path.join(scenarios, 'register.xml'), '-s', volunteerId, '-au', volunteerId, '-ap', password, '-set', 'contact_port', String(sip), '-i', net.phones, '-p', String(sip + 1), '-mp', String(media + 1), '-m', '1', '-nostdin', ...(process.env.HOTLINE_TEST_SIP_LOG === '1' ? ['-trace_msg', '-message_file', `/tmp/sipp-register-${volunteerId}.log`] : [])],
    { timeoutMs: 10_000 },
  );
  const code = await register.exited;
  if (code !== 0) throw new Error(`registering ${volunteerId} failed (${code}):\n${register.output()}`);
  return { volunteerId, uas };
}

/** A sipp caller; `log()` is what its scenario logged (-trace_logs), such as a transfer target. */
export interface Caller extends Child {
  log(): string;
}

/**
 * A sipp caller from the trunk to the hotline (or to `service`, another request-user such as a
 * transfer target), talking `talkMs` once answered; `exited` resolves with its exit code (0 =
 * scenario passed).
 */
export function callHotline(
  options: { scenario?: 'caller' | 'caller-refused' | 'caller-queued' | 'caller-gives-up' | 'caller-media-failed' | 'caller-with-audio' | 'caller-transferred'; talkMs?: number; service?: string } = {},
): Caller {
  const { sip, media } = ports();
  const log = path.join(mkdtempSync(path.join(tmpdir(), 'caller-')), 'scenario.log');
  const child = start(
    'caller',
    'sipp',
    [`${net.edge}:${net.edgePort}`, '-sf', path.join(scenarios, `${options.scenario ?? 'caller'}.xml`), '-s', options.service ?? 'hotline', '-d', String(options.talkMs ?? 1000), '-i', net.trunk, '-p', String(sip), '-mp', String(media), '-m', '1', '-nostdin', '-trace_logs', '-log_file', log],
    { timeoutMs: 30_000 },
  );
  return { ...child, log: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
}

/** Waits until Hotline has recorded the end of the call. */
export async function waitForEnd(harness: SipHarness, callId: () => Promise<string | undefined>): Promise<CallSummary> {
  let summary: CallSummary | null = null;
  await waitUntil('the call record to be complete', async () => {
    const id = await callId();
    summary = id === undefined ? null : await harness.summary(id);
    return summary !== null && summary.endedAt !== null;
  }, 10_000);
  return summary!;
}

/** A volunteer's phone dialing out; `refusal()` is the X-Hotline-Refusal code of a refused call. */
export interface DialOut extends Child {
  refusal(): string | undefined;
}

/** A volunteer's sipp phone dialing `target` through the edge (digest auth as `volunteerId`). */
export function dialOut(volunteerId: string, target: string, options: { scenario: 'dial-out' | 'dial-out-refused' | 'dial-out-refused-by-far-end' | 'dial-out-bad-password'; password?: string }): DialOut {
  const { sip, media } = ports();
  const log = path.join(mkdtempSync(path.join(tmpdir(), 'dial-out-')), 'scenario.log');
  const child = start(
    `dial-out ${volunteerId}`,
    'sipp',
    [`${net.edge}:${net.edgePort}`, '-sf', path.join(scenarios, `${options.scenario}.xml`), '-s', volunteerId, '-au', volunteerId, '-ap', options.password ?? sipPassword(SIP_SECRET, volunteerId), '-set', 'target', target, '-i', net.phones, '-p', String(sip), '-mp', String(media), '-m', '1', '-nostdin', '-trace_logs', '-log_file', log],
    { timeoutMs: 20_000 },
  );
  return {
    ...child,
    refusal: () => (existsSync(log) ? /refusal=([A-Z_]+)/.exec(readFileSync(log, 'utf8'))?.[1] : undefined),
  };
}

/** A sipp trunk on the trunk address that takes one call (answers, or says busy). */
export interface Trunk extends Child {
  /** The Request-URIs of the INVITEs the trunk received (the numbers Kamailio sent out). */
  invitedUris(): string[];
  /** Every message the trunk sent and received, as sipp logged them. */
  messages(): string;
  /** The INVITEs the trunk received (the call's and any re-INVITEs in it), each in full. */
  invites(): string[];
}

/** Starts a sipp trunk on the trunk address; it logs every message, so a test reads what it was sent. */
export function startTrunk(behaviour: 'answer' | 'answer-with-hold' | 'busy' = 'answer', dir = tmpdir()): Trunk {
  const { media } = ports();
  const log = path.join(mkdtempSync(path.join(dir, 'trunk-')), 'messages.log');
  const child = start(
    'trunk',
    'sipp',
    ['-sf', path.join(scenarios, `${behaviour}.xml`), '-i', net.trunk, '-p', String(net.trunkPort), '-mp', String(media), '-m', '1', '-nostdin', '-trace_msg', '-message_file', log],
    { timeoutMs: 30_000 },
  );
  const messages = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  // sipp separates the messages it logs with a line of dashes and a header line.
  const invites = () => messages().split(/^-{10,}.*$/m).map((chunk) => chunk.slice(chunk.search(/^INVITE /m))).filter((chunk) => chunk.startsWith('INVITE '));
  return {
    ...child,
    invitedUris: () => invites().map((invite) => /^INVITE (\S+) SIP\/2\.0/.exec(invite)![1]!),
    messages,
    invites,
  };
}
