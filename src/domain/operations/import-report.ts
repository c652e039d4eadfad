import { AppError } from '../../shared/app-error';
import { type Actor, authorize } from '../auth/policy';
import type { Deps } from '../deps';
import { type RowProblem, presentRowProblem } from './import-call-list';

/** Refused rows read per query while a full report is written out. */
const PAGE_SIZE = 2000;

/** The header line of the full report's CSV. */
export const REPORT_CSV_HEADER = 'line,problem,reference\n';

/** A finished import's full report, ready to be read in file order. */
export interface ImportReportReader {
  /** How many rows were refused (the length of `rows()`). */
  refused: number;
  /** Every refused row, in file order, read page by page (constant memory). */
  rows(): AsyncGenerator<RowProblem>;
  /** The same as CSV text (`line,problem,reference`), in chunks. Holds no number, not even in part. */
  csv(): AsyncGenerator<string>;
}

/**
 * Opens the full report of an import or a preview: every refused row, not only the first
 * REPORT_PROBLEM_LIMIT the import's answer lists. Throws NOT_FOUND for an unknown id, one still
 * running, or one past REPORT_RETENTION_MS (swept). The CLI passes a null actor.
 */
export async function openImportReport(deps: Deps, options: { actor: Actor | null; reportId: string }): Promise<ImportReportReader> {
  if (options.actor) authorize(options.actor, 'calllist.import', undefined, deps.clock());
  const lists = deps.store.operations.callLists;
  const record = await lists.findImport(options.reportId);
  if (!record || record.status === 'staging') throw new AppError('NOT_FOUND', 'No such import report (reports are kept for a week)');
  const refused = (await lists.importCounts(options.reportId)).reduce((sum, row) => sum + (row.problem === null ? 0 : row.n), 0);
  async function* rows(): AsyncGenerator<RowProblem> {
    let after = 0;
    for (;;) {
      const page = await lists.importProblems(options.reportId, after, PAGE_SIZE);
      for (const row of page) yield presentRowProblem(row);
      if (page.length < PAGE_SIZE) return;
      after = page.at(-1)!.row_no;
    }
  }
  async function* csv(): AsyncGenerator<string> {
    let chunk = REPORT_CSV_HEADER;
    for await (const row of rows()) {
      // Every value is a number, a code or "line N"/an id: nothing needs quoting.
      chunk += `${row.line},${row.problem},${row.ref ?? ''}\n`;
      if (chunk.length > 16_384) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  return { refused, rows, csv };
}

/** Forgets an import's report before it would be swept (the CLI, once it has written the file). */
export async function discardImportReport(deps: Deps, options: { actor: Actor | null; reportId: string }): Promise<void> {
  if (options.actor) authorize(options.actor, 'calllist.import', undefined, deps.clock());
  await deps.store.operations.callLists.deleteImport(options.reportId);
}
