import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config/config';
import { buildApp } from '../../../src/http/app';
import { createLogger } from '../../../src/logging';
import { type Runtime, openRuntime } from '../../../src/runtime';
import { systemClock } from '../../../src/shared/clock';
import { type CallSummary, summarizeCall } from '../../../src/telephony/call-events';
import { CoreCallRouter } from '../../../src/telephony/core-call-router';
import type { OutboundAuthorizer } from '../../../src/telephony/provider';
import { sipPassword } from '../../../src/telephony/sip/credentials';
import { type RunningSipStack, startSipStack, waitUntil, writeSipStackConfig } from '../../../src/telephony/sip/sip-stack';
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

/** Hotline, Kamailio and rtpengine running together for one test file. */
export interface SipHarness {
  dir: string;
  app: FastifyInstance;
  runtime: Runtime;
  router: CoreCallRouter;
  stack: RunningSipStack;
  appUrl: string;
  /** Lets tests decide outbound calls. */
  setAuthorizer(authorizer: OutboundAuthorizer): void;
  summary(callId: string): Promise<CallSummary | null>;
  /** The SIP Call-IDs Hotline has events for, in arrival order. */
  callIds(): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts Hotline on a real socket, then Kamailio and rtpengine configured to ask it. */
export async function startSipHarness(): Promise<SipHarness> {
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
  };
  const config = loadConfig(env, dir);
  const runtime = await openRuntime(config, { createKeysIfNew: true, migrate: true, clock: systemClock });
  const app = await buildApp({ deps: runtime, config, logger: createLogger(process.env.HOTLINE_TEST_APP_LOG === '1' ? 'info' : 'silent', { pretty: false }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const appUrl = `http://127.0.0.1:${address.port}`;

  const router = new CoreCallRouter(systemClock, { offerTimeoutSeconds: RING_SECONDS, wrapUpSeconds: 0, reofferSameAgentAfterSeconds: 60 });
  app.telephony.router = router;
  // Phones named v-... or coord-... may register (no staff accounts needed for SIP tests).
  app.telephony.directory = { isVolunteer: async (id) => /^(v|coord)-[a-z0-9-]+$/.test(id) };

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
    router,
    stack,
    appUrl,
    setAuthorizer: (authorizer) => {
      app.telephony.authorizer = authorizer;
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
      router.close();
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

/** A sipp caller from the trunk to the hotline; resolves with its exit code (0 = scenario passed). */
export function callHotline(options: { scenario?: 'caller' | 'caller-refused' } = {}): Child {
  const { sip, media } = ports();
  return start(
    'caller',
    'sipp',
    [`${net.edge}:${net.edgePort}`, '-sf', path.join(scenarios, `${options.scenario ?? 'caller'}.xml`), '-s', 'hotline', '-d', '1000', '-i', net.trunk, '-p', String(sip), '-mp', String(media), '-m', '1', '-nostdin'],
    { timeoutMs: 30_000 },
  );
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

/** A volunteer's sipp phone dialing `target` through the edge (digest auth as `volunteerId`). */
export function dialOut(volunteerId: string, target: string, options: { scenario: 'dial-out' | 'dial-out-refused' | 'dial-out-bad-password'; password?: string }): Child {
  const { sip, media } = ports();
  return start(
    `dial-out ${volunteerId}`,
    'sipp',
    [`${net.edge}:${net.edgePort}`, '-sf', path.join(scenarios, `${options.scenario}.xml`), '-s', volunteerId, '-au', volunteerId, '-ap', options.password ?? sipPassword(SIP_SECRET, volunteerId), '-set', 'target', target, '-i', net.phones, '-p', String(sip), '-mp', String(media), '-m', '1', '-nostdin'],
    { timeoutMs: 20_000 },
  );
}

/** A sipp trunk on the trunk address that answers one call. */
export function startTrunk(): Child {
  const { media } = ports();
  return start('trunk', 'sipp', ['-sf', path.join(scenarios, 'answer.xml'), '-i', net.trunk, '-p', String(net.trunkPort), '-mp', String(media), '-m', '1', '-nostdin'], { timeoutMs: 30_000 });
}
