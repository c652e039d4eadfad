import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sipPassword } from '../../src/telephony/sip/credentials';
import { waitUntil } from '../../src/telephony/sip/sip-stack';
import { startBaresip } from './support/baresip';
import { SIP_SECRET, type SipHarness, callHotline, net, registerPhone, startSipHarness } from './support/harness';
import { expectSuccess, killAll } from './support/processes';
import { ngCommand } from './support/rtpengine-ng';

let harness: SipHarness;

beforeAll(async () => {
  harness = await startSipHarness();
});
afterAll(async () => {
  killAll();
  await harness?.close();
});

/** Whether Kamailio holds a registration for this volunteer (JSON-RPC ul.dump). */
async function isRegistered(volunteerId: string): Promise<boolean> {
  const response = await fetch(`http://${net.edge}:${net.wsPort}/RPC`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'ul.dump', id: 1 }),
  });
  return (await response.text()).includes(`"${volunteerId}"`);
}

/** The RTP legs of the one call rtpengine holds, about two seconds into it (ng `list` and `query`). */
async function anchoredLegs(): Promise<{ localPort: number; peer: string; packets: number }[]> {
  let callId: string | undefined;
  await waitUntil('rtpengine to anchor the call', async () => {
    callId = ((await ngCommand(net.rtpengineNg, { command: 'list' })).calls as string[] | undefined)?.[0];
    return callId !== undefined;
  }, 8000);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const query = await ngCommand(net.rtpengineNg, { command: 'query', 'call-id': callId! });
  type Stream = { 'local port': number; endpoint: { address: string; port: number }; flags: string[]; stats: { packets: number } };
  const tags = Object.values(query.tags as Record<string, { medias: { streams: Stream[] }[] }>);
  return tags.flatMap((tag) =>
    tag.medias.flatMap((media) => media.streams.filter((stream) => stream.flags.includes('RTP')).map((stream) => ({
      localPort: stream['local port'],
      peer: `${stream.endpoint.address}:${stream.endpoint.port}`,
      packets: stream.stats.packets,
    }))),
  );
}

/** sox's rough frequency estimate of a WAV file, and its RMS amplitude. */
function toneOf(file: string): { hz: number; rms: number } {
  // sox prints its statistics on stderr.
  const stat = execFileSync('sh', ['-c', 'sox "$0" -n stat 2>&1', file], { encoding: 'utf8' });
  const hz = Number(/Rough\s+frequency:\s+(\d+)/.exec(stat)?.[1] ?? 0);
  const rms = Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(stat)?.[1] ?? 0);
  return { hz, rms };
}

describe('audio through rtpengine', () => {
  it('carries the caller tone to the volunteer and the volunteer tone back', async () => {
    const session = await harness.staff('volunteer');
    const volunteerId = session.userId;
    await harness.setPresence(session, 'available');
    const volunteer = startBaresip({
      name: 'volunteer',
      dir: harness.dir,
      listen: `${net.phones}:6500`,
      interfaceAddress: net.phones,
      account: `<sip:${volunteerId}@${net.edge};transport=udp>;auth_pass=${sipPassword(SIP_SECRET, volunteerId)};regint=600;answermode=auto;audio_codecs=PCMU`,
      toneHz: 880,
      seconds: 9,
    });
    await waitUntil('the volunteer phone to register', () => isRegistered(volunteerId), 8000);

    const caller = startBaresip({
      name: 'caller',
      dir: harness.dir,
      listen: `${net.trunk}:6600`,
      interfaceAddress: net.trunk,
      account: `<sip:caller@${net.trunk};transport=udp>;regint=0;audio_codecs=PCMU`,
      toneHz: 440,
      seconds: 5,
      commands: [`/dial sip:hotline@${net.edge}`],
    });
    // While they talk, rtpengine holds the call: both phones send their RTP to its ports, and it
    // forwards it (direct media between the phones would leave these counters at zero).
    const legs = await anchoredLegs();
    expect(legs).toHaveLength(2);
    for (const leg of legs) {
      expect(leg.localPort).toBeGreaterThanOrEqual(30000);
      expect(leg.localPort).toBeLessThanOrEqual(30999);
      expect(leg.packets).toBeGreaterThan(20);
    }
    expect(legs[0]!.peer).not.toBe(legs[1]!.peer);
    // Both quit by themselves (-t), which closes the recordings properly.
    await Promise.all([caller.child.exited, volunteer.child.exited]);

    const heardByVolunteer = volunteer.files().received;
    const heardByCaller = caller.files().received;
    expect(heardByVolunteer.length, `volunteer recordings: ${volunteer.child.output()}\n${caller.child.output()}`).toBeGreaterThan(0);
    expect(heardByCaller.length, `caller recordings: ${caller.child.output()}`).toBeGreaterThan(0);
    const atVolunteer = toneOf(heardByVolunteer[0]!);
    const atCaller = toneOf(heardByCaller[0]!);
    if (process.env.HOTLINE_TEST_SIP_LOG === '1') process.stderr.write(`tones: volunteer heard ${JSON.stringify(atVolunteer)}, caller heard ${JSON.stringify(atCaller)}\n`);
    expect(atVolunteer.rms).toBeGreaterThan(0.05);
    expect(atCaller.rms).toBeGreaterThan(0.05);
    expect(Math.abs(atVolunteer.hz - 440)).toBeLessThan(40);
    expect(Math.abs(atCaller.hz - 880)).toBeLessThan(40);
  });

  it('fails the call with a clear SIP error when rtpengine cannot anchor its media, instead of ringing with direct media', async () => {
    const session = await harness.staff('volunteer');
    const phone = await registerPhone(session.userId, 'answer');
    await harness.setPresence(session, 'available');
    const rtpengine = harness.stack.pids.rtpengine!;
    process.kill(rtpengine, 'SIGSTOP');
    try {
      // caller-media-failed.xml passes only on a 503 (Kamailio's "Media relay unavailable").
      await expectSuccess(callHotline({ scenario: 'caller-media-failed' }));
    } finally {
      process.kill(rtpengine, 'SIGCONT');
    }
    // The volunteer's phone never rang.
    expect(phone.uas.process.exitCode).toBeNull();
    await harness.app.telephony.flush();
    const [failed] = await harness.runtime.store.telephony.callEvents.ofKind('ring-failed', 1);
    expect(failed).toMatchObject({ volunteer_id: session.userId, reason: 'unavailable' });
  });
});
