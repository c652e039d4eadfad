/**
 * On a phone a wide table becomes stacked rows: each cell shows its column's heading before its
 * value (CSS `td::before { content: attr(data-label) }` under the phone breakpoint). This labels
 * every cell of every list table from its header row, whatever screen drew it, so no screen can
 * forget to; grids that read as grids (`.coverage-grid`) keep their shape.
 */
export function labelTableCells(root: ParentNode): void {
  for (const table of Array.from(root.querySelectorAll<HTMLTableElement>('table:not(.coverage-grid)'))) {
    const headings = Array.from(table.tHead?.rows[0]?.cells ?? []).map((cell) => cell.textContent.trim());
    if (headings.length === 0) continue;
    for (const body of Array.from(table.tBodies)) {
      for (const row of Array.from(body.rows)) {
        let column = 0;
        for (const cell of Array.from(row.cells)) {
          const label = headings[column] ?? '';
          if (cell.getAttribute('data-label') !== label) cell.setAttribute('data-label', label);
          column += cell.colSpan;
        }
      }
    }
  }
}

/** Keeps every table's cells labelled as screens change (one pass per frame at most). */
export function keepTableCellsLabelled(root: HTMLElement): () => void {
  let isQueued = false;
  const observer = new MutationObserver(() => {
    if (isQueued) return;
    isQueued = true;
    requestAnimationFrame(() => {
      isQueued = false;
      labelTableCells(root);
    });
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  labelTableCells(root);
  return () => {
    observer.disconnect();
  };
}
