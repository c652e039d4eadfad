import { randomUUID } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { OPERATIONS_FIELDS } from '../../db/schema/operations';
import { AppError } from '../../shared/app-error';
import type { ImportProblem } from '../../shared/schemas/operations';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { type Deps, inTransaction } from '../deps';
import { type CsvRecord, canonicalHeader, validateListRecord } from './call-list-rows';
import { readCsvRows } from './csv-rows';

/** Rows staged per transaction: bounds memory (about a megabyte) whatever the file size. */
export const IMPORT_BATCH_SIZE = 2000;
/** Refused rows the report itself lists; all of them are in the full report (`importProblemsCsv`). */
export const REPORT_PROBLEM_LIMIT = 1000;
/** How long the full report of refused rows is kept after an import or a preview. */
export const REPORT_RETENTION_MS = 7 * 86_400_000;
/** Largest file accepted (bytes); a 100,000-row list is about 6 MB. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** One refused row: the line of the file it starts on (header = line 1) and why. */
export interface RowProblem {
  line: number;
  problem: ImportProblem;
  /** DUPLICATE_IN_FILE: the line it repeats ("line 12"); ALREADY_IN_LIST: the id of the list that holds the number. */
  ref?: string;
}

/** What an import or a preview found. */
export interface ImportReport {
  /** The id under which every refused row can be read (`importProblemsCsv`) for REPORT_RETENTION_MS. */
  reportId: string;
  listId: string | null;
  name: string;
  committed: boolean;
  rows: number;
  accepted: number;
  refused: number;
  byProblem: Partial<Record<ImportProblem, number>>;
  /** The first REPORT_PROBLEM_LIMIT refused rows, in file order (all of them: `importProblemsCsv`). */
  problems: RowProblem[];
  problemsTruncated: boolean;
}

/** Test hooks: fail on purpose at a given point, to show that nothing is half-imported. */
export interface ImportFaults {
  afterBatch?(batchNumber: number): void;
  beforeCommitEnds?(): void;
}

/** What an import takes. */
export interface ImportCallListOptions {
  /** The staff member importing; null for the operator's CLI. */
  actor: Actor | null;
  name: string;
  source: Readable;
  /** false = preview: parse, validate and report without creating a list. */
  commit: boolean;
  onProgress?(rowsDone: number): void;
  /** Bytes of the file read so far (for a progress bar by size). Never attach a 'data' listener to `source` instead: it would start the flow before the parser is attached. */
  onBytes?(bytesRead: number): void;
  faults?: ImportFaults;
}

type PendingRow = { rowNo: number; line: number } & ({ record: CsvRecord; problem?: undefined } | { record?: undefined; problem: ImportProblem });

/**
 * Imports a CSV call list all-or-nothing, in constant memory. The file is streamed through the
 * parser; each batch of IMPORT_BATCH_SIZE rows is validated, encrypted, checked against earlier rows
 * of the same file, against every list and against the do-not-call list (by blind index, in the
 * database, so no set of numbers grows in memory) and written to a staging table in its own short
 * transaction. Only at the end does one transaction create the list and move the valid staged rows
 * into it with a single INSERT ... SELECT. A failure anywhere before that commit deletes the staged
 * rows; a crash leaves only staging rows, which never count as a list and are swept by a later
 * import. A preview runs the same pass without the commit. Afterwards the valid staged rows are
 * deleted and the refused ones (line and reason, no number) kept for the full report.
 */
export async function importCallList(deps: Deps, options: ImportCallListOptions): Promise<ImportReport> {
  if (options.actor) authorize(options.actor, 'calllist.import', undefined, deps.clock());
  const name = options.name.trim();
  if (name.length === 0 || name.length > 120) throw new AppError('VALIDATION_FAILED', 'A list name of 1 to 120 characters is required');
  await sweepStaleImports(deps);
  const importId = randomUUID();
  const actorId = options.actor?.id ?? null;
  const lists = deps.store.operations.callLists;
  await lists.createImport({ id: importId, name, status: 'staging', created_by: actorId, created_at: deps.clock() });
  let isFinished = false;
  try {
    const rows = await stageFile(deps, importId, options);
    if (rows === 0) throw new AppError('VALIDATION_FAILED', 'The file has no data rows');
    if (!options.commit) {
      const preview = await buildReport(deps, importId, name, rows);
      await lists.finishImport(importId, 'preview');
      isFinished = true;
      return preview;
    }
    const listId = randomUUID();
    await deps.store.transaction(async (tx) => {
      // One import commits at a time: its "already in a list" check must see every earlier commit.
      await tx.lock('call-list-commit');
      const accepted = await tx.operations.callLists.commitImport(importId, { id: listId, name, created_by: actorId, created_at: deps.clock() });
      await appendAudit(inTransaction(deps, tx), {
        actorId,
        action: 'calllist.import',
        entityType: 'call_list',
        entityId: listId,
        details: { rows, accepted, refused: rows - accepted },
      });
      options.faults?.beforeCommitEnds?.();
    });
    const report = await buildReport(deps, importId, name, rows);
    await lists.finishImport(importId, 'committed');
    isFinished = true;
    return { ...report, listId, committed: true };
  } finally {
    if (!isFinished) await lists.deleteImport(importId);
  }
}

async function stageFile(deps: Deps, importId: string, options: ImportCallListOptions): Promise<number> {
  let bytes = 0;
  // Counts and limits the bytes in the pipeline itself, so nothing reads the source before the parser.
  const limiter = new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      bytes += chunk.length;
      options.onBytes?.(bytes);
      if (bytes > MAX_IMPORT_BYTES) callback(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${MAX_IMPORT_BYTES} bytes`));
      else callback(null, chunk);
    },
  });
  options.source.on('error', (error) => limiter.destroy(error));
  let columns: string[] | undefined;
  let batch: PendingRow[] = [];
  let rowNo = 0;
  let batchNumber = 0;
  const flush = async () => {
    await stageBatch(deps, importId, batch);
    batchNumber += 1;
    options.onProgress?.(rowNo);
    options.faults?.afterBatch?.(batchNumber);
    batch = [];
  };
  for await (const item of readCsvRows(options.source.pipe(limiter))) {
    if ('header' in item) {
      columns = canonicalHeader(item.header);
      if (!columns.includes('number')) throw new AppError('VALIDATION_FAILED', 'The header line must name a "number" column');
      continue;
    }
    rowNo += 1;
    const header = columns ?? [];
    batch.push(item.problem ? { rowNo, line: item.line, problem: item.problem } : { rowNo, line: item.line, record: Object.fromEntries(header.map((name, i) => [name, item.fields[i]])) });
    if (batch.length >= IMPORT_BATCH_SIZE) await flush();
  }
  if (batch.length > 0) await flush();
  return rowNo;
}

/** Validates, encrypts, dedupes and stages one batch in one short transaction. */
async function stageBatch(deps: Deps, importId: string, batch: PendingRow[]): Promise<void> {
  const validated = batch.map((pending) => {
    const result = pending.record ? validateListRecord(pending.record) : ({ ok: false, problem: pending.problem } as const);
    return { pending, result, bidx: result.ok ? deps.keyring.blindIndex('phone', result.row.e164) : null };
  });
  const phones = validated.flatMap((item) => (item.bidx ? [item.bidx] : []));
  await deps.store.transaction(async (tx) => {
    const lists = tx.operations.callLists;
    await lists.skipCommitFlush();
    const staged = new Map((await lists.stagedRowsByPhone(importId, phones)).map((row) => [row.phone_bidx.toString('hex'), row.line_no ?? row.row_no + 1]));
    const listed = new Map((await lists.listedPhones(phones)).map((row) => [row.phone_bidx.toString('hex'), row.list_id]));
    const doNotCall = new Set((await lists.doNotCallPhones(phones)).map((bidx) => bidx.toString('hex')));
    const seenInBatch = new Map<string, number>();
    await lists.stageRows(
      validated.map(({ pending, result, bidx }) => {
        const base = {
          import_id: importId,
          row_no: pending.rowNo,
          line_no: pending.line,
          problem_ref: null,
          phone_enc: null,
          phone_bidx: null,
          organization_enc: null,
          category: null,
          region_code: null,
        };
        if (!result.ok || !bidx) return { ...base, problem: result.ok ? 'NUMBER_INVALID' : result.problem };
        const key = bidx.toString('hex');
        const earlierLine = staged.get(key) ?? seenInBatch.get(key);
        if (earlierLine !== undefined) return { ...base, problem: 'DUPLICATE_IN_FILE', problem_ref: `line:${earlierLine}` };
        const listId = listed.get(key);
        if (listId !== undefined) return { ...base, problem: 'ALREADY_IN_LIST', problem_ref: `list:${listId}` };
        if (doNotCall.has(key)) return { ...base, problem: 'DO_NOT_CALL' };
        seenInBatch.set(key, pending.line);
        return {
          ...base,
          problem: null,
          phone_enc: deps.keyring.encrypt(result.row.e164, OPERATIONS_FIELDS.entryPhone),
          phone_bidx: bidx,
          organization_enc: deps.keyring.encrypt(result.row.organization, OPERATIONS_FIELDS.entryOrganization),
          category: result.row.category,
          region_code: result.row.regionCode,
        };
      }),
    );
  });
}

/** A stored refused row as the report shows it. */
export function presentRowProblem(row: { row_no: number; line_no: number | null; problem: string | null; problem_ref: string | null }): RowProblem {
  const ref = row.problem_ref;
  return {
    line: row.line_no ?? row.row_no + 1,
    problem: row.problem as ImportProblem,
    ...(ref ? { ref: ref.startsWith('line:') ? `line ${ref.slice(5)}` : ref.startsWith('row:') ? `line ${Number(ref.slice(4)) + 1}` : ref.slice(ref.indexOf(':') + 1) } : {}),
  };
}

async function buildReport(deps: Deps, importId: string, name: string, rows: number): Promise<ImportReport> {
  const lists = deps.store.operations.callLists;
  const counts = await lists.importCounts(importId);
  const byProblem: Partial<Record<ImportProblem, number>> = {};
  let accepted = 0;
  for (const { problem, n } of counts) {
    if (problem === null) accepted = n;
    else byProblem[problem as ImportProblem] = n;
  }
  const refusedRows = await lists.importProblems(importId, 0, REPORT_PROBLEM_LIMIT + 1);
  const problems = refusedRows.slice(0, REPORT_PROBLEM_LIMIT).map(presentRowProblem);
  return {
    reportId: importId,
    listId: null,
    name,
    committed: false,
    rows,
    accepted,
    refused: rows - accepted,
    byProblem,
    problems,
    problemsTruncated: refusedRows.length > REPORT_PROBLEM_LIMIT,
  };
}

/** Deletes the staging rows of imports that crashed more than an hour ago, and reports past REPORT_RETENTION_MS. */
async function sweepStaleImports(deps: Deps): Promise<void> {
  const lists = deps.store.operations.callLists;
  for (const id of await lists.staleImports(deps.clock() - 3_600_000, deps.clock() - REPORT_RETENTION_MS)) await lists.deleteImport(id);
}

/** Every call list with how many numbers it holds (calllist.read). */
export async function listCallLists(deps: Deps, actor: Actor): Promise<{ id: string; name: string; entryCount: number; createdAt: number }[]> {
  authorize(actor, 'calllist.read', undefined, deps.clock());
  const lists = await deps.store.operations.callLists.lists();
  return lists.map((list) => ({ id: list.id, name: list.name, entryCount: list.entry_count, createdAt: list.created_at }));
}
