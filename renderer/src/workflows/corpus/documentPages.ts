// Pages of document rows fetched on demand for the virtualised table; never all rows at once.
import type { DocumentRow } from '../../../../common/contract';

export const pageSize = 200;

export type FetchPage = (offset: number, limit: number) => Promise<{ total: number; rows: DocumentRow[] }>;

/** A bounded cache of pages for one query; `onChange` fires when a page arrives. */
export class DocumentPages {
  private pages = new Map<number, DocumentRow[]>();
  private loading = new Set<number>();
  private disposed = false;
  total: number | null = null;
  error: unknown = null;

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly onChange: () => void,
    private readonly maxPages = 60,
  ) {}

  row(index: number): DocumentRow | undefined {
    const page = this.pages.get(Math.floor(index / pageSize));
    return page?.[index % pageSize];
  }

  /** Makes sure the pages covering rows [first, last] are loaded or loading. */
  ensure(first: number, last: number): void {
    const from = Math.floor(Math.max(0, first) / pageSize);
    const to = Math.floor(Math.max(0, last) / pageSize);
    for (let p = from; p <= to; p++) {
      if (this.total !== null && p * pageSize >= this.total && p > 0) break;
      if (this.pages.has(p)) {
        // Refresh recency for the LRU.
        const rows = this.pages.get(p)!;
        this.pages.delete(p);
        this.pages.set(p, rows);
        continue;
      }
      if (this.loading.has(p)) continue;
      this.load(p);
    }
  }

  private load(p: number): void {
    this.loading.add(p);
    this.fetchPage(p * pageSize, pageSize).then(
      (result) => {
        if (this.disposed) return;
        this.loading.delete(p);
        this.total = result.total;
        this.pages.set(p, result.rows);
        while (this.pages.size > this.maxPages) {
          const oldest = this.pages.keys().next().value as number;
          this.pages.delete(oldest);
        }
        this.onChange();
      },
      (err: unknown) => {
        if (this.disposed) return;
        this.loading.delete(p);
        this.error = err;
        this.onChange();
      },
    );
  }

  get pageCount(): number {
    return this.pages.size;
  }

  dispose(): void {
    this.disposed = true;
  }
}
