import { useTranslation } from 'react-i18next';
import type { CoverageCell } from '../../../../src/shared/shift-coverage';

/** The week's grid in a zone (`coverageGrid`), counted from each slot's occurrence that week in its own zone. */
export type CoverageGrid = CoverageCell[][];

/** One 7x24 coverage calendar in one time zone; gap hours are marked in colour, text and label. */
export function CoverageCalendar(props: { title: string; grid: CoverageGrid; testId: string }) {
  const { t } = useTranslation('operations');
  const grid = props.grid;
  const days = t('weekday', { returnObjects: true }) as string[];
  const short = t('weekdayShort', { returnObjects: true }) as string[];
  const hourText = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
  return (
    <figure className="coverage" data-testid={props.testId}>
      <figcaption>
        <h2>{props.title}</h2>
      </figcaption>
      <div className="table-wrap">
        <table className="coverage-grid">
          <thead>
            <tr>
              <th scope="col" />
              {short.map((day, index) => (
                <th scope="col" key={day} title={days[index]}>
                  {day}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: 24 }, (_, hour) => (
              <tr key={hour}>
                <th scope="row">{hourText(hour)}</th>
                {grid.map((column) => {
                  const cell = column[hour]!;
                  const values = { day: days[cell.weekday], hour: hourText(hour), count: cell.volunteers, minimum: cell.minimum };
                  return (
                    <td
                      key={cell.weekday}
                      data-day={cell.weekday}
                      data-hour={hour}
                      data-gap={cell.isGap ? 'true' : 'false'}
                      className={cell.isGap ? 'gap' : cell.minimum === 0 ? 'optional' : 'covered'}
                      aria-label={t(cell.isGap ? 'shifts.cellGap' : 'shifts.cellLabel', values)}
                      title={t(cell.isGap ? 'shifts.cellGap' : 'shifts.cellLabel', values)}
                    >
                      {cell.volunteers}/{cell.minimum}
                      {cell.isGap && <span className="gap-mark"> {t('shifts.gap')}</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
