import type { EdmEntitySet } from '../../model/edm';
import type { FilterNode } from './filter-ast';

/** Where the next page of a server-driven paged collection starts. */
export interface SkipToken {
  /** Absolute offset of the first row of the page, in the filtered and ordered result. */
  readonly offset: number;
  /** What is left of the client's `$top` (undefined when it gave none). */
  readonly remaining?: number;
}

/** One `$orderby` key. */
export interface OrderByItem {
  readonly expression: FilterNode;
  readonly descending: boolean;
}

/** One navigation of `$expand`, with its nested options (parsed against the target set). */
export interface ExpandItem {
  readonly navigation: string;
  readonly target: EdmEntitySet;
  readonly options: QueryOptions;
}

/** The parsed, validated query options of one request (or of one `$expand` level). */
export interface QueryOptions {
  readonly filter?: FilterNode;
  /** Selected property names; undefined means every property. */
  readonly select?: readonly string[];
  readonly expand?: readonly ExpandItem[];
  readonly orderBy?: readonly OrderByItem[];
  readonly top?: number;
  readonly skip?: number;
  /** `$count=true`: report the number of rows after `$filter`, before `$top` and `$skip`. */
  readonly count: boolean;
  readonly skipToken?: SkipToken;
}
