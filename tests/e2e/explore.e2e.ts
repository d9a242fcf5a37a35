import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { loadSample, openApp } from './helpers';

/** Petal lengths of iris counted straight from the CSV, not through the app. */
function petalLengths(): number[] {
  const [head, ...lines] = readFileSync('public/samples/iris.csv', 'utf8').trim().split('\n');
  const col = head!.split(',').indexOf('petal length (cm)');
  return lines.map((l) => Number(l.split(',')[col]));
}

test('a brushed histogram range selects the same rows in the scatter plot and the table', async ({
  page,
}) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await page.getByRole('tab', { name: 'Explore' }).click();
  await page.getByTestId('explore-column').selectOption('petal length (cm)');
  const panel = page.getByTestId('explore-distribution');
  await expect(panel.getByRole('heading', { name: 'Distribution of petal length (cm)' })).toBeVisible();
  await expect(page.getByTestId('scatter-selected')).toContainText('No selection of 150 points');

  // Drag across the middle of the histogram, as a user would.
  const overlay = panel.locator('g.brush rect.overlay');
  await expect(overlay).toBeVisible();
  const box = (await overlay.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.62, y, { steps: 5 });
  await page.mouse.up();

  // The selection as a FilterRows expression gives the snapped range [a, b).
  const step = page.getByRole('button', { name: 'Add as FilterRows step' });
  await expect(step).toHaveAttribute(
    'title',
    /petal length \(cm\)` >= [\d.]+ and `petal length \(cm\)` <=? [\d.]+/,
  );
  const expr = (await step.getAttribute('title'))!;
  const [, a, op, b] = expr.match(/>= ([\d.]+) and `petal length \(cm\)` (<=?) ([\d.]+)/)!;
  const lo = Number(a);
  const hi = Number(b);
  const expected = petalLengths().filter((v) => v >= lo && (op === '<=' ? v <= hi : v < hi)).length;
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(150);

  await expect(page.getByTestId('scatter-selected')).toHaveText(`${expected} selected of 150 points`);
  await expect(page.getByTestId('explore-selected-count')).toContainText(`${expected} of 150 rows selected`);

  // The Data tab shows the same count, and lists exactly those rows.
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByTestId('table-selected-count')).toHaveText(`${expected} selected`);
  await page.getByTestId('show-selected-only').check();
  await expect(page.getByTestId('selected-rows').locator('tbody tr')).toHaveCount(expected);
});
