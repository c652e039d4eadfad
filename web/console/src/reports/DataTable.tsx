import { useTranslation } from 'react-i18next';
import { downloadCsv, toCsv } from './csv';

/**
 * A table of figures with its CSV export: the file holds exactly the cells shown, header first,
 * so what a partner opens in a spreadsheet is what the coordinator saw.
 */
export function DataTable(props: { id: string; caption: string; header: string[]; rows: (string | number)[][]; fileName: string }) {
  const { t } = useTranslation('reports');
  return (
    <div className="data-table" data-testid={`table-${props.id}`}>
      <div className="row wrap">
        <button
          type="button"
          className="secondary"
          data-testid={`csv-${props.id}`}
          onClick={() => {
            downloadCsv(props.fileName, toCsv(props.header, props.rows));
          }}
        >
          {t('exportCsv')}
        </button>
      </div>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              {props.header.map((h, i) => (
                <th key={h} scope="col" className={typeof props.rows[0]?.[i] === 'number' ? 'num' : undefined}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.length === 0 ? (
              <tr>
                <td colSpan={props.header.length} className="muted">
                  {t('noData')}
                </td>
              </tr>
            ) : (
              props.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((value, j) => (
                    <td key={j} className={typeof value === 'number' ? 'num' : undefined}>
                      {value}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
