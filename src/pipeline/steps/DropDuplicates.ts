import { column, readLabels, resolveColumns, takeRows } from '../../core/frame';
import { COLUMN_TYPES } from '../../core/types';
import { py } from '../python';
import { defineStep } from '../step';

type Params = { subset: string[] | null; keep: 'first' | 'last' };
export interface DropDuplicatesState {
  subset: string[] | null;
  keep: 'first' | 'last';
}

const NAME = 'DropDuplicates';

/** Per row, a dense id of its values over `names` (equal ids = equal rows; missing equals missing). */
function rowIds(input: Parameters<typeof column>[0], names: readonly string[]): Int32Array {
  const n = input.numRows;
  let ids = new Int32Array(n);
  for (const name of names) {
    const { codes, labels } = readLabels(column(input, name));
    const width = labels.length + 1;
    const dense = new Map<number, number>();
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      // ids[i] < n and codes < width, so the pair key stays well inside 2^53.
      const key = ids[i]! * width + codes[i]! + 1;
      let id = dense.get(key);
      if (id === undefined) {
        id = dense.size;
        dense.set(key, id);
      }
      next[i] = id;
    }
    ids = next;
  }
  return ids;
}

export default defineStep<Params, DropDuplicatesState>({
  name: NAME,
  kind: 'filter',
  description:
    'Removes rows that repeat an earlier row (over all columns or a subset), like pandas drop_duplicates.',
  category: 'Cleaning',
  params: {
    subset: { type: 'columns', default: null, description: 'Columns compared; null means all columns.' },
    keep: {
      type: 'enum',
      options: ['first', 'last'],
      default: 'first',
      description: 'Which of the equal rows to keep.',
    },
  },
  accepts: COLUMN_TYPES,
  missing: 'handles',
  async fit(input, params) {
    if (params.subset !== null) resolveColumns(input, NAME, 'compare', COLUMN_TYPES, params.subset);
    return { subset: params.subset, keep: params.keep };
  },
  async transform(input, state) {
    const names = resolveColumns(
      input,
      NAME,
      'compare',
      COLUMN_TYPES,
      state.subset ?? input.schema.fields.map((f) => f.name),
    );
    const ids = rowIds(input, names);
    const n = input.numRows;
    const seen = new Uint8Array(n);
    const keep = new Uint8Array(n);
    let kept = 0;
    const visit = (i: number) => {
      const id = ids[i]!;
      if (!seen[id]) {
        seen[id] = 1;
        keep[i] = 1;
        kept++;
      }
    };
    if (state.keep === 'first') for (let i = 0; i < n; i++) visit(i);
    else for (let i = n - 1; i >= 0; i--) visit(i);
    if (kept === n) return input;
    const indices = new Int32Array(kept);
    for (let i = 0, k = 0; i < n; i++) if (keep[i]) indices[k++] = i;
    return takeRows(input, indices, NAME);
  },
  python: (params) => ({
    lines: [`df = df.drop_duplicates(subset=${py(params.subset)}, keep=${py(params.keep)})`],
  }),
});
