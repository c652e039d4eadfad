import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Child, start } from './processes';

/** A baresip phone: its config folder and where its sndfile module writes what it sent and heard. */
export interface Baresip {
  child: Child;
  recordings: string;
  /** The WAV files recorded, by what they hold: `dec` = audio received, `enc` = audio sent. */
  files(): { received: string[]; sent: string[] };
}

/**
 * Starts baresip with a sine tone as its microphone, no sound card (ALSA's null device) and the
 * sndfile module recording both directions of every call.
 */
export function startBaresip(options: {
  name: string;
  dir: string;
  listen: string;
  interfaceAddress: string;
  account: string;
  toneHz: number;
  seconds: number;
  commands?: string[];
}): Baresip {
  const dir = path.join(options.dir, options.name);
  const recordings = path.join(dir, 'recordings');
  mkdirSync(recordings, { recursive: true });
  writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen ${options.listen}`,
      `net_interface ${options.interfaceAddress}`,
      'audio_player alsa,null',
      'audio_alert alsa,null',
      `audio_source ausine,${options.toneHz}`,
      // ausine generates 48 kHz stereo only; baresip resamples to the codec's 8 kHz.
      'ausrc_srate 48000',
      'auplay_srate 48000',
      'ausrc_channels 2',
      'auplay_channels 1',
      `snd_path ${recordings}`,
      'rtp_tos 0',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module ausine.so',
      'module alsa.so',
      'module sndfile.so',
      'module_app account.so',
      'module_app menu.so',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'accounts'), `${options.account}\n`);
  writeFileSync(path.join(dir, 'contacts'), '');
  const args = ['-f', dir, '-t', String(options.seconds)];
  for (const command of options.commands ?? []) args.push('-e', command);
  const child = start(`baresip ${options.name}`, 'baresip', args, { timeoutMs: (options.seconds + 10) * 1000 });
  return {
    child,
    recordings,
    files: () => {
      const names = readdirSync(recordings).filter((name) => name.endsWith('.wav'));
      return {
        received: names.filter((name) => name.includes('dec')).map((name) => path.join(recordings, name)),
        sent: names.filter((name) => name.includes('enc')).map((name) => path.join(recordings, name)),
      };
    },
  };
}
