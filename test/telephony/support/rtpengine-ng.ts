import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

/** A bencoded value, as rtpengine's control (ng) protocol speaks it. */
export type Bencoded = string | number | Bencoded[] | { [key: string]: Bencoded };

/** Encodes a value in bencode. */
export function bencode(value: Bencoded): string {
  if (typeof value === 'number') return `i${Math.trunc(value)}e`;
  if (typeof value === 'string') return `${Buffer.byteLength(value)}:${value}`;
  if (Array.isArray(value)) return `l${value.map(bencode).join('')}e`;
  return `d${Object.keys(value).sort().map((key) => bencode(key) + bencode(value[key]!)).join('')}e`;
}

/** Decodes one bencoded value from the start of `data`. */
export function bdecode(data: Buffer): Bencoded {
  let at = 0;
  const read = (): Bencoded => {
    const c = String.fromCharCode(data[at]!);
    if (c === 'i') {
      const end = data.indexOf(0x65, at);
      const n = Number(data.subarray(at + 1, end).toString('latin1'));
      at = end + 1;
      return n;
    }
    if (c === 'l' || c === 'd') {
      at += 1;
      const items: Bencoded[] = [];
      while (data[at] !== 0x65) items.push(read());
      at += 1;
      if (c === 'l') return items;
      const dict: Record<string, Bencoded> = {};
      for (let i = 0; i < items.length; i += 2) dict[items[i] as string] = items[i + 1]!;
      return dict;
    }
    const colon = data.indexOf(0x3a, at);
    const length = Number(data.subarray(at, colon).toString('latin1'));
    at = colon + 1 + length;
    return data.subarray(colon + 1, at).toString('utf8');
  };
  return read();
}

/** Sends one command to rtpengine's ng socket and returns its answer. */
export function ngCommand(address: string, command: { command: string } & Record<string, Bencoded>, timeoutMs = 1000): Promise<Record<string, Bencoded>> {
  const [host = '127.0.0.1', port = '2223'] = address.split(':');
  const cookie = randomBytes(6).toString('hex');
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`rtpengine did not answer ${command.command}`));
    }, timeoutMs);
    socket.on('message', (message) => {
      const space = message.indexOf(0x20);
      if (message.subarray(0, space).toString('latin1') !== cookie) return;
      clearTimeout(timer);
      socket.close();
      resolve(bdecode(message.subarray(space + 1)) as Record<string, Bencoded>);
    });
    socket.send(Buffer.from(`${cookie} ${bencode(command)}`, 'latin1'), Number(port), host);
  });
}
