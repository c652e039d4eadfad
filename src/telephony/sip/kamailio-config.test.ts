import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { RTPENGINE_FLAGS, kamailioConfig, sipEdgeSettings, sipWebsocketUrl } from './kamailio-config';
import { ringFailureOf } from './edge-api';

const base = { HOTLINE_SIP_SECRET: 'abcdefghijklmnopqrstuvwxyz012345', HOTLINE_DATA_DIR: '/tmp/x', PORT: '8090' };

describe('kamailioConfig', () => {
  it('asks Hotline at its own address with the shared secret, and treats the trunk address as the hotline', () => {
    const cfg = kamailioConfig(sipEdgeSettings(loadConfig({ ...base, HOTLINE_SIP_TRUNK: '192.0.2.10:5060' }, '/tmp')));
    expect(cfg).toContain('#!define APP_URL "http://127.0.0.1:8090"');
    expect(cfg).toContain('#!define HOTLINE_HDR "X-Hotline-Sip-Secret: abcdefghijklmnopqrstuvwxyz012345"');
    expect(cfg).toContain('if ($si == TRUNK_ADDR) { route(INBOUND); exit; }');
    expect(cfg).toContain('#!define TRUNK_ADDR "192.0.2.10"');
    expect(cfg).toContain('listen=udp:127.0.0.3:5060');
    expect(cfg).toContain('listen=tcp:127.0.0.3:5066');
    expect(cfg).toContain('modparam("tm", "fr_inv_timer", 15000)');
  });

  it('records calls only when HOTLINE_CALL_RECORDING is on', () => {
    const off = kamailioConfig(sipEdgeSettings(loadConfig(base, '/tmp')));
    const on = kamailioConfig(sipEdgeSettings(loadConfig({ ...base, HOTLINE_CALL_RECORDING: 'true' }, '/tmp')));
    expect(off).not.toContain('record-call=yes');
    expect(on).toContain('record-call=yes');
  });

  it('refuses outbound calls when no trunk is configured, and authenticates to a trunk only with credentials', () => {
    const noTrunk = kamailioConfig(sipEdgeSettings(loadConfig(base, '/tmp')));
    expect(noTrunk).toContain('sl_send_reply("503", "No trunk configured")');
    expect(noTrunk).not.toContain('route(INBOUND); exit;');
    const withAuth = kamailioConfig(sipEdgeSettings(loadConfig({ ...base, HOTLINE_SIP_TRUNK: '198.51.100.7', HOTLINE_SIP_TRUNK_USERNAME: 'acct', HOTLINE_SIP_TRUNK_PASSWORD: 'pw' }, '/tmp')));
    expect(withAuth).toContain('$avp(auser) = "acct";');
    expect(withAuth).not.toContain('if (0 && ($T_reply_code');
  });

  it('never falls back to direct media: a refused rtpengine offer drops the branch and the call fails with 503', () => {
    const cfg = kamailioConfig(sipEdgeSettings(loadConfig({ ...base, HOTLINE_SIP_TRUNK: '192.0.2.10' }, '/tmp')));
    expect(cfg).toContain(`if (!rtpengine_offer("${RTPENGINE_FLAGS.offerToWebrtc}")) { route(MEDIA_FAILED); }`);
    expect(cfg).toContain(`if (!rtpengine_offer("${RTPENGINE_FLAGS.offerToRtp}")) { route(MEDIA_FAILED); }`);
    expect(cfg).toMatch(/route\[MEDIA_FAILED\] \{\n\txlog\("L_ERR", [^\n]+\n\tdrop;/);
    expect(cfg).toContain('t_reply("503", "Media relay unavailable")');
    // Browsers need ICE, DTLS-SRTP and RTCP multiplexing; trunks get plain RTP without them.
    expect(RTPENGINE_FLAGS.offerToWebrtc).toMatch(/ICE=force .*RTP\/SAVPF .*rtcp-mux-offer/);
    expect(RTPENGINE_FLAGS.offerToRtp).toMatch(/ICE=remove DTLS=off RTP\/AVP .*rtcp-mux-demux/);
  });

  it('keeps a caller queued (182) and asks again every second without holding a SIP worker', () => {
    const cfg = kamailioConfig(sipEdgeSettings(loadConfig({ ...base, HOTLINE_SIP_TRUNK: '192.0.2.10' }, '/tmp')));
    expect(cfg).toContain('t_reply("182", "Queued")');
    expect(cfg).toContain('async_route("RING_NEXT", "1");');
    expect(cfg).toContain('events?kind=cancel&call=');
  });

  it('is not written without the shared secret', () => {
    expect(() => sipEdgeSettings(loadConfig({ HOTLINE_DATA_DIR: '/tmp/x' }, '/tmp'))).toThrow(/HOTLINE_SIP_SECRET/);
  });

  it('rejects settings that would break out of the configuration file', () => {
    expect(() => loadConfig({ ...base, HOTLINE_SIP_TRUNK_PASSWORD: 'a"b' }, '/tmp')).toThrow(/HOTLINE_SIP_TRUNK_PASSWORD/);
    expect(() => loadConfig({ ...base, HOTLINE_SIP_DOMAIN: 'x"; exec' }, '/tmp')).toThrow(/HOTLINE_SIP_DOMAIN/);
    expect(() => loadConfig({ ...base, HOTLINE_SIP_SECRET: 'short' }, '/tmp')).toThrow(/HOTLINE_SIP_SECRET/);
  });
});

describe('sipWebsocketUrl', () => {
  it("is Kamailio's own ws:// listener on plain http, wss:// through the reverse proxy on https, or the setting", () => {
    expect(sipWebsocketUrl(loadConfig(base, '/tmp'))).toBe('ws://127.0.0.3:5066');
    expect(sipWebsocketUrl(loadConfig({ ...base, HOTLINE_PUBLIC_URL: 'https://hotline.example.org' }, '/tmp'))).toBe('wss://hotline.example.org/sip');
    expect(sipWebsocketUrl(loadConfig({ ...base, HOTLINE_PUBLIC_URL: 'https://hotline.example.org', HOTLINE_SIP_WS_URL: 'wss://sip.example.org:8443' }, '/tmp'))).toBe('wss://sip.example.org:8443');
  });

  it('refuses a ws:// softphone address behind https, which browsers would block', () => {
    expect(() => loadConfig({ ...base, HOTLINE_PUBLIC_URL: 'https://hotline.example.org', HOTLINE_SIP_WS_URL: 'ws://127.0.0.3:5066' }, '/tmp')).toThrow(/HOTLINE_SIP_WS_URL/);
  });
});

describe('ringFailureOf', () => {
  it('maps SIP final responses to why the ring failed', () => {
    expect(ringFailureOf(486)).toBe('busy');
    expect(ringFailureOf(408)).toBe('no-answer');
    expect(ringFailureOf(487)).toBe('no-answer');
    expect(ringFailureOf(603)).toBe('declined');
    expect(ringFailureOf(503)).toBe('unavailable');
  });
});
