import chinaMap from '@svg-maps/china';

/** The package's map: its type names a package that is not installed, so it is stated here. */
const china = chinaMap as unknown as { viewBox: string; locations: { id: string; name: string; path: string }[] };

/** The map's province ids and their GB/T 2260 codes. */
const CODES: Record<string, string> = {
  beijing: '110000',
  tianjin: '120000',
  hebei: '130000',
  shanxi: '140000',
  'nei-mongol': '150000',
  liaoning: '210000',
  jilin: '220000',
  heilongjiang: '230000',
  shanghai: '310000',
  jiangsu: '320000',
  zhejiang: '330000',
  anhui: '340000',
  fujian: '350000',
  jiangxi: '360000',
  shandong: '370000',
  henan: '410000',
  hubei: '420000',
  hunan: '430000',
  guangdong: '440000',
  'guangxi-zhuang': '450000',
  hainan: '460000',
  chongqing: '500000',
  sichuan: '510000',
  guizhou: '520000',
  yunnan: '530000',
  xizang: '540000',
  shaanxi: '610000',
  gansu: '620000',
  quinghai: '630000',
  'ningxia-hui': '640000',
  'xinjiang-uygur': '650000',
  'hong-kong': '810000',
  macau: '820000',
};

/**
 * China by province, shaded by people: the outlines ship with Hotline (@svg-maps/china, CC BY 4.0),
 * nothing loads from another host. Each province names itself and its figure on hover and to
 * screen readers; the table beside it holds the same figures.
 */
export function ChinaMap(props: { values: Record<string, number>; names: Record<string, string>; label: string; attribution: string }) {
  const max = Math.max(1, ...Object.values(props.values));
  return (
    <figure className="china-map">
      <svg viewBox={china.viewBox} role="img" aria-label={props.label} data-testid="china-map">
        {china.locations.map((location) => {
          const code = CODES[location.id] ?? '';
          const value = props.values[code] ?? 0;
          // Square root: one big province would otherwise leave all others white.
          const strength = value === 0 ? 0 : 0.15 + 0.85 * Math.sqrt(value / max);
          return (
            <path
              key={location.id}
              d={location.path}
              data-code={code}
              data-value={value}
              fill={value === 0 ? 'var(--map-empty, #eef1f4)' : `rgba(180, 40, 40, ${strength.toFixed(3)})`}
              stroke="#fff"
              strokeWidth={0.6}
            >
              <title>{`${props.names[code] ?? location.name}: ${value}`}</title>
            </path>
          );
        })}
      </svg>
      <figcaption className="muted small">
        {props.attribution} <span translate="no">@svg-maps/china, CC BY 4.0</span>
      </figcaption>
    </figure>
  );
}
