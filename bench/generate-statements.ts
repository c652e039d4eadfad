import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CSV_COLUMNS } from '../src/domain/import/statement-row';
import { suggestPseudonym } from '../src/shared/pseudonym';
import { listCounties, listPrefectures, listProvinces } from '../src/shared/regions';
import type { Channel, Occupation, Organization } from '../src/shared/schemas/statements';
import { prng } from '../src/shared/prng';

/**
 * Writes N realistic statements for `hotline import statements`, deterministically (same seed, same
 * file): pseudonyms from the curated list, some real names, regions at every level from GB/T 2260,
 * individuals and groups (cohorts), many channels, dates spread over the years in ascending order
 * as an export from an older system would be. `--bad-every K` makes every K-th row bad on purpose.
 *
 *   npx tsx bench/generate-statements.ts --count 1000000 --out /tmp/statements.csv [--seed 7]
 */

const SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤');
const GIVEN = Array.from('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅兵林文春海燕云龙辉波宁斌鹏飞凤霖鑫宇晨浩然子轩思雨欣怡嘉');
const CHANNELS: [Channel, number][] = [
  ['web', 0.45],
  ['hotline', 0.15],
  ['outbound', 0.2],
  ['service_point', 0.08],
  ['email', 0.05],
  ['letter', 0.02],
  ['fax', 0.01],
  ['volunteer_batch', 0.04],
];
const OCCUPATIONS: Occupation[] = ['government', 'police', 'judiciary', 'military', 'education', 'health', 'business', 'farmer', 'worker', 'student', 'retired', 'other'];
const TEXTS = [
  '我声明退出中共及其一切组织。',
  '年轻时入团入队，今天郑重声明退出。',
  '看清了真相，退出共青团和少先队。',
  '声明退党，愿平安。',
  '',
  '我和家人一起声明三退。',
  'I hereby renounce my membership of the Communist Youth League.',
];
const ORG_SETS: Organization[][] = [['party'], ['league'], ['pioneers'], ['league', 'pioneers'], ['party', 'league', 'pioneers'], ['party', 'league']];
const START = Date.UTC(2005, 0, 1);
const END = Date.UTC(2026, 9, 31);

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.min(list.length - 1, Math.floor(random() * list.length))] as T;
}

function weighted<T>(list: [T, number][], random: () => number): T {
  let roll = random();
  for (const [value, weight] of list) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return list[list.length - 1]![0];
}

function allRegions(): string[] {
  const codes: string[] = [];
  for (const province of listProvinces()) {
    codes.push(province.code);
    for (const prefecture of listPrefectures(province.code)) {
      codes.push(prefecture.code);
      for (const county of listCounties(prefecture.code)) codes.push(county.code);
    }
  }
  return codes;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One generated statement as CSV column values. */
export type GeneratedRow = Record<(typeof CSV_COLUMNS)[number], string>;

/** A deterministic stream of generated statements. */
export function* generateRows(count: number, seed = 7, badEvery = 0): Generator<GeneratedRow> {
  const random = prng(seed);
  const regions = allRegions();
  const step = (END - START) / Math.max(1, count);
  for (let i = 0; i < count; i++) {
    const at = Math.floor(START + i * step + random() * step);
    const isReal = random() < 0.15;
    const name = isReal ? pick(SURNAMES, random) + pick(GIVEN, random) + (random() < 0.6 ? pick(GIVEN, random) : '') : suggestPseudonym(random).name;
    const isGroup = random() < 0.05;
    const cohorts = isGroup
      ? `${1 + Math.floor(random() * 10)}:party;${1 + Math.floor(random() * 15)}:league+pioneers`
      : `1:${pick(ORG_SETS, random).join('+')}`;
    const regionRoll = random();
    const region = regionRoll < 0.03 ? 'abroad' : regionRoll < 0.08 ? 'unknown' : pick(regions, random);
    const channel = weighted(CHANNELS, random);
    const provenanceRoll = random();
    const provenance = channel === 'web' ? 'self' : provenanceRoll < 0.85 ? 'personal' : 'named_by_other';
    const row: GeneratedRow = {
      id: `H${(i + 1).toString().padStart(9, '0')}`,
      registered_at: new Date(at).toISOString(),
      name_kind: isReal ? 'real' : 'pseudonym',
      name,
      cohorts,
      region,
      occupation: random() < 0.4 ? pick(OCCUPATIONS, random) : '',
      channel,
      provenance,
      relation: provenance === 'named_by_other' ? pick(['同事', '家人', '朋友'], random) : '',
      text: pick(TEXTS, random),
    };
    if (badEvery > 0 && (i + 1) % badEvery === 0) {
      const kind = Math.floor(random() * 4);
      if (kind === 0) row.region = '999999';
      else if (kind === 1) row.cohorts = 'many:party';
      else if (kind === 2) {
        row.name_kind = 'pseudonym';
        row.name = '111';
      }
      else row.channel = '';
    }
    yield row;
  }
}

/** Writes `count` rows to `out` (CSV or JSONL by extension) with backpressure; resolves with the byte count. */
export async function writeStatements(out: string, count: number, seed = 7, badEvery = 0): Promise<number> {
  const isJsonl = out.endsWith('.jsonl');
  const stream = createWriteStream(out);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, 'drain');
  };
  if (!isJsonl) await write(`${CSV_COLUMNS.join(',')}\n`);
  for (const row of generateRows(count, seed, badEvery)) {
    if (isJsonl) {
      const [first, ...rest] = row.cohorts.split(';');
      const cohorts = [first ?? '', ...rest].map((part) => {
        const [n, orgs] = part.split(':');
        return { count: Number(n), organizations: (orgs ?? '').split('+') };
      });
      const provenance =
        row.provenance === 'self'
          ? { kind: 'self' }
          : { kind: 'volunteer', consent: row.provenance, ...(row.relation ? { relation: row.relation } : {}) };
      await write(
        `${JSON.stringify({ id: row.id, registeredAt: row.registered_at, nameKind: row.name_kind, name: row.name, cohorts, region: row.region, ...(row.occupation ? { occupation: row.occupation } : {}), channel: row.channel, provenance, text: row.text })}\n`,
      );
    } else {
      await write(`${CSV_COLUMNS.map((column) => csvField(row[column])).join(',')}\n`);
    }
  }
  stream.end();
  await once(stream, 'finish');
  return bytes;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '1000000' }, out: { type: 'string' }, seed: { type: 'string', default: '7' }, 'bad-every': { type: 'string', default: '0' } },
  });
  if (!values.out) {
    console.error('usage: npx tsx bench/generate-statements.ts --count 1000000 --out FILE.csv|FILE.jsonl [--seed 7] [--bad-every K]');
    process.exit(2);
  }
  const started = Date.now();
  const bytes = await writeStatements(values.out, Number(values.count), Number(values.seed), Number(values['bad-every']));
  console.log(`wrote ${values.count} statements (${(bytes / 1e6).toFixed(1)} MB) to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
