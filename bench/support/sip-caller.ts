/**
 * A minimal SIP caller for the telephony benchmark, run as its own process so that nothing else
 * shares its event loop: it places `--calls` calls at `--rate` calls/s from `--from` to `--to`,
 * times each INVITE -> 200 OK with performance.now() (sipp's own figures come in steps of its
 * 4 ms scheduler tick), acknowledges, hangs up at once, and prints {"times": [...ms], "failed": n}.
 *
 * It speaks just enough SIP for that: UDP, one dialog per call, route set from Record-Route,
 * INVITE and BYE retransmitted every 500 ms (loopback rarely needs it).
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '300' },
    rate: { type: 'string', default: '30' },
    from: { type: 'string', default: '127.0.0.2' },
    port: { type: 'string', default: '7000' },
    to: { type: 'string', default: '127.0.0.3:5060' },
    timeout: { type: 'string', default: '30000' },
  },
});
const calls = Number(values.calls);
const rate = Number(values.rate);
const localIp = values.from;
const localPort = Number(values.port);
const [targetHost = '127.0.0.3', targetPortText = '5060'] = values.to.split(':');
const targetPort = Number(targetPortText);

interface Call {
  index: number;
  callId: string;
  fromTag: string;
  invite: string;
  sentAt: number;
  state: 'inviting' | 'hanging-up' | 'done';
  retransmit?: NodeJS.Timeout;
}

const socket = createSocket('udp4');
const byCallId = new Map<string, Call>();
const times: number[] = [];
let failed = 0;
let finished = 0;

const header = (message: string, name: string): string | undefined => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(message)?.[1]?.trim();
const headers = (message: string, name: string): string[] => [...message.matchAll(new RegExp(`^${name}:\\s*(.*)$`, 'gim'))].flatMap((m) => m[1]!.split(/,(?=\s*<)/).map((v) => v.trim()));
const hostPortOf = (uri: string): { host: string; port: number } => {
  const match = /sip:(?:[^@;>]+@)?([^:;>]+)(?::(\d+))?/.exec(uri);
  return { host: match?.[1] ?? targetHost, port: Number(match?.[2] ?? 5060) };
};

function send(text: string, host = targetHost, port = targetPort): void {
  socket.send(Buffer.from(text, 'utf8'), port, host);
}

function repeat(call: Call, text: string, host?: string, port?: number): void {
  send(text, host, port);
  clearInterval(call.retransmit);
  call.retransmit = setInterval(() => { send(text, host, port); }, 500);
}

function done(call: Call, isOk: boolean): void {
  if (call.state === 'done') return;
  clearInterval(call.retransmit);
  call.state = 'done';
  if (!isOk) failed += 1;
  finished += 1;
  if (finished === calls) {
    process.stdout.write(`${JSON.stringify({ times, failed })}\n`);
    socket.close();
    process.exit(0);
  }
}

function place(index: number): void {
  const callId = `bench-${index}-${randomBytes(6).toString('hex')}@${localIp}`;
  const fromTag = randomBytes(6).toString('hex');
  const sdp = ['v=0', `o=bench ${index} 1 IN IP4 ${localIp}`, 's=-', `c=IN IP4 ${localIp}`, 't=0 0', `m=audio ${20000 + (index % 5000) * 2} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
  const invite = [
    `INVITE sip:hotline@${targetHost}:${targetPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${localIp}:${localPort};branch=z9hG4bK-${fromTag}-1;rport`,
    'Max-Forwards: 70',
    `From: <sip:+8613800138000@${localIp}>;tag=${fromTag}`,
    `To: <sip:hotline@${targetHost}:${targetPort}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:caller@${localIp}:${localPort}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n');
  const call: Call = { index, callId, fromTag, invite, sentAt: performance.now(), state: 'inviting' };
  byCallId.set(callId, call);
  repeat(call, invite);
}

/** ACK and BYE of an answered call, along its route set (Record-Route, reversed for the caller). */
function acknowledgeAndHangUp(call: Call, response: string): void {
  const toHeader = header(response, 'To') ?? '';
  const contact = /<([^>]+)>/.exec(header(response, 'Contact') ?? '')?.[1] ?? `sip:${targetHost}:${targetPort}`;
  const routes = headers(response, 'Record-Route').reverse();
  const next = routes.length > 0 ? hostPortOf(routes[0]!) : hostPortOf(contact);
  const common = (method: string, cseq: number, branch: string) =>
    [
      `${method} ${contact} SIP/2.0`,
      `Via: SIP/2.0/UDP ${localIp}:${localPort};branch=${branch};rport`,
      'Max-Forwards: 70',
      ...routes.map((route) => `Route: ${route}`),
      `From: <sip:+8613800138000@${localIp}>;tag=${call.fromTag}`,
      `To: ${toHeader}`,
      `Call-ID: ${call.callId}`,
      `CSeq: ${cseq} ${method}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  send(common('ACK', 1, `z9hG4bK-${call.fromTag}-ack`), next.host, next.port);
  call.state = 'hanging-up';
  repeat(call, common('BYE', 2, `z9hG4bK-${call.fromTag}-bye`), next.host, next.port);
}

/** ACK of a failed INVITE: same branch and Request-URI as the INVITE. */
function acknowledgeFailure(call: Call, response: string): void {
  const ack = [
    `ACK sip:hotline@${targetHost}:${targetPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${localIp}:${localPort};branch=z9hG4bK-${call.fromTag}-1;rport`,
    'Max-Forwards: 70',
    `From: <sip:+8613800138000@${localIp}>;tag=${call.fromTag}`,
    `To: ${header(response, 'To') ?? ''}`,
    `Call-ID: ${call.callId}`,
    'CSeq: 1 ACK',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  send(ack);
}

socket.on('message', (data, remote) => {
  const message = data.toString('utf8');
  const callId = header(message, 'Call-ID') ?? header(message, 'i');
  const call = callId === undefined ? undefined : byCallId.get(callId);
  if (call === undefined) return;
  const status = /^SIP\/2\.0 (\d{3})/.exec(message);
  if (status === null) {
    // A request within the dialog (a BYE from the far end): answer 200 and finish.
    const ok = ['SIP/2.0 200 OK', `Via: ${header(message, 'Via') ?? ''}`, `From: ${header(message, 'From') ?? ''}`, `To: ${header(message, 'To') ?? ''}`, `Call-ID: ${call.callId}`, `CSeq: ${header(message, 'CSeq') ?? ''}`, 'Content-Length: 0', '', ''].join('\r\n');
    send(ok, remote.address, remote.port);
    done(call, call.state !== 'inviting');
    return;
  }
  const code = Number(status[1]);
  const method = (header(message, 'CSeq') ?? '').split(/\s+/)[1];
  if (method === 'INVITE') {
    if (code < 200) {
      // Provisional: the far end heard us; stop retransmitting the INVITE.
      clearInterval(call.retransmit);
      return;
    }
    if (call.state !== 'inviting') return;
    if (code >= 300) {
      acknowledgeFailure(call, message);
      done(call, false);
      return;
    }
    times.push(performance.now() - call.sentAt);
    acknowledgeAndHangUp(call, message);
  } else if (method === 'BYE' && code >= 200) {
    done(call, code < 300);
  }
});

socket.bind(localPort, localIp, () => {
  const startedAt = performance.now();
  for (let i = 0; i < calls; i += 1) setTimeout(() => { place(i); }, Math.max(0, startedAt + (i * 1000) / rate - performance.now()));
  setTimeout(() => {
    failed += calls - finished;
    process.stdout.write(`${JSON.stringify({ times, failed })}\n`);
    process.exit(1);
  }, (calls / rate) * 1000 + Number(values.timeout)).unref();
});
