/**
 * The Python export reads a date column with the format Benchtop read it with — the one inferred
 * on load or the one the user chose — so pandas gets the same dates (issue 14, item 7). Without
 * it pandas reads "01/02/2000" month-first whatever the user picked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_HELPERS, dataConstants } from '../../src/export/python-data';
import { createNodeEngine } from '../../workers/engine.node';
import { PYTHON } from './python-env';

const CSV =
  'when,stamp,iso,n\n01/02/2000,Jun 12 1998 01:45 PM,2000-01-02,1\n03/04/2000,Jan 1 2000 09:00 AM,2000-03-04,2\n';

async function dayFirst() {
  const engine = createNodeEngine();
  const info = await engine.loadBytes(new TextEncoder().encode(CSV), 'd.csv');
  await engine.setColumnType(info.id, 'when', 'date', '%d/%m/%Y');
  return engine.table(info.id);
}

describe('date formats in the Python export', () => {
  it('lists the format of each non-ISO date column, the user’s choice included', async () => {
    const constants = dataConstants(await dayFirst(), { format: 'csv' }, 'd.csv');
    expect(constants).toContain('DATE_FORMATS = {"when": "%d/%m/%Y", "stamp": "%b %d %Y %I:%M %p"}');
  });

  // Needs Debian's python3 with pandas to read the file (CI installs it); skipped only without one.
  it.skipIf(!PYTHON)('pandas reads the same dates as Benchtop', async () => {
    const table = await dayFirst();
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-dates-'));
    const file = join(dir, 'd.csv');
    writeFileSync(file, CSV);
    const script = [
      'import json, sys',
      'import pandas as pd',
      dataConstants(table, { format: 'csv' }, file),
      ...DATA_HELPERS,
      'df = apply_types(read_data(DATA))',
      'print(json.dumps({c: [str(v) for v in df[c]] for c in ("when", "stamp", "iso")}))',
    ].join('\n\n');
    const out = JSON.parse(execFileSync(PYTHON!, ['-c', script], { encoding: 'utf8' }));
    expect(out).toEqual({
      when: ['2000-02-01 00:00:00', '2000-04-03 00:00:00'],
      stamp: ['1998-06-12 13:45:00', '2000-01-01 09:00:00'],
      iso: ['2000-01-02 00:00:00', '2000-03-04 00:00:00'],
    });
  });
});
