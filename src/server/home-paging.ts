// Pure: which vendors the home page shows — a search over the whole list, then pages of whole vendors of bounded rows.
/** What paging reads of a vendor: a row of the list, or its entry in the list's index (`rows`: its channel rows). */
export type Pageable = { slug: string; name: string } & ({ channels: readonly unknown[] } | { rows: number });

const rowCount = (vendor: Pageable): number => ('rows' in vendor ? vendor.rows : vendor.channels.length);

/** Channel rows per page: a vendor is never split, so a page holds this many rows or one vendor with more. */
export const homePageRows = 100;
export const homeQueryMax = 100;

interface HomeRequest {
  /** Text to find in a vendor's name or slug (case and width folded); empty = every vendor. */
  query: string | undefined;
  /** 1-based; past the last page reads as the last page. */
  page: number;
  /** Every match on one page (the full list). */
  all: boolean;
}

export interface HomePaging {
  /** The query as typed (trimmed, capped), for the search box and the status line. */
  query: string;
  all: boolean;
  page: number;
  pages: number;
  /** 1-based positions of this page's first and last vendor among the matches (0 and 0 when none match). */
  first: number;
  last: number;
  /** Vendors and channel rows matching the query, and in the whole list. */
  matched: number;
  matchedRows: number;
  total: number;
  totalRows: number;
}

const folded = (text: string): string => text.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();

/** Vendors whose name or slug contains the query (case and width folded); those starting with it first, each group in list order. */
export function matchVendors<T extends Pageable>(vendors: readonly T[], text: string): T[] {
  const query = folded(text);
  if (query === '') return [...vendors];
  const starts: T[] = [];
  const contains: T[] = [];
  for (const vendor of vendors) {
    const name = folded(vendor.name);
    if (name.startsWith(query) || vendor.slug.startsWith(query)) starts.push(vendor);
    else if (name.includes(query) || vendor.slug.includes(query)) contains.push(vendor);
  }
  return [...starts, ...contains];
}

/** Start index of each page: whole vendors added while the page stays within `rows` rows. */
export function pageStarts(vendors: readonly Pageable[], rows: number): number[] {
  const starts: number[] = [];
  let used = 0;
  vendors.forEach((vendor, index) => {
    const size = rowCount(vendor);
    if (index === 0 || (used > 0 && used + size > rows)) {
      starts.push(index);
      used = 0;
    }
    used += size;
  });
  return starts;
}

const rowsOf = (vendors: readonly Pageable[]): number => vendors.reduce((sum, v) => sum + rowCount(v), 0);

export function homeSlice<T extends Pageable>(vendors: readonly T[], request: HomeRequest, rows = homePageRows): { vendors: T[]; paging: HomePaging } {
  const query = (request.query ?? '').trim().slice(0, homeQueryMax);
  const matches = matchVendors(vendors, query);
  const starts = request.all ? (matches.length > 0 ? [0] : []) : pageStarts(matches, rows);
  const pages = Math.max(1, starts.length);
  const page = Math.min(Math.max(1, request.page), pages);
  const from = starts[page - 1] ?? 0;
  const to = starts[page] ?? matches.length;
  const shown = matches.slice(from, to);
  return {
    vendors: shown,
    paging: {
      query,
      all: request.all,
      page,
      pages,
      first: shown.length > 0 ? from + 1 : 0,
      last: from + shown.length,
      matched: matches.length,
      matchedRows: rowsOf(matches),
      total: vendors.length,
      totalRows: rowsOf(vendors),
    },
  };
}
