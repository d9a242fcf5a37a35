/**
 * Issue 14 item 2 on the UI side: each dataset keeps its own notebook and runs. Load iris, add a
 * step, train; load wine → its own empty notebook, no runs, the Data tab on its raw values; back
 * to iris → its notebook, output and runs intact; a reload brings both back, even right after a
 * switch or an edit. Then runs, deployed models and share links per dataset, and "Apply to…":
 * the column check names what another dataset lacks and nothing happens until the user applies.
 * Along the way: the Train tab lists the features the model will read, the tabs move with the
 * arrow keys, and Evaluate opens at its top. E2E_SHOTS=<dir> saves screenshots.
 */
import { inflateRawSync } from 'node:zlib';
import { expect, type Page, test } from '@playwright/test';
import { csvFile, datasetEntry, loadSample, openApp, PEOPLE_CSV } from './helpers';

const SHOTS = process.env.E2E_SHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The sample the share link in the address bar names (a v2 link: deflated JSON, then CRC-32). */
function linkedSample(page: Page): string | null {
  const value = /#nb=v2\.([\w-]+)$/.exec(page.url())?.[1];
  if (!value) return null;
  const nb = JSON.parse(inflateRawSync(Buffer.from(value, 'base64url').subarray(0, -4)).toString('utf8'));
  return nb.dataset?.kind === 'sample' ? nb.dataset.sample : null;
}

function runRows(page: Page) {
  return page.getByTestId('runs-table').locator('tbody tr');
}

function stepCards(page: Page) {
  return page.getByRole('list', { name: 'Notebook steps' }).locator('li.step-card');
}

async function addStep(page: Page, step: string): Promise<void> {
  await page.getByRole('button', { name: '+ Add step' }).click();
  const search = page.getByRole('searchbox', { name: 'Search steps' });
  await search.fill(step);
  // Enter picks the step the search names.
  await search.press('Enter');
  await expect(page.locator(`li.step-card[data-step="${step}"]`)).toHaveCount(1);
}

async function trainLogistic(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('target');
  await expect(page.getByTestId('feature-list')).toContainText('4 features:');
  await expect(page.getByTestId('feature-list')).toContainText('target (target) left out');
  await page.getByTestId('train-button').click();
  await expect(
    page.getByTestId('runs-table').locator('tbody tr[data-run="LogisticRegression"]'),
  ).toBeVisible();
}

test('each dataset keeps its own notebook and runs; switching and reloading keep them', async ({ page }) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await addStep(page, 'StandardScaler');
  await expect(
    page.locator('li.step-card[data-step="StandardScaler"]').getByTestId('step-status'),
  ).toHaveText(/^(ok|cached)$/);
  await trainLogistic(page);

  // Evaluate opens at its top even when Train was scrolled down; the arrow keys move between tabs.
  const panel = page.locator('section.tab-panel');
  await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  expect(await panel.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await page.getByRole('tab', { name: 'Train' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Evaluate' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('evaluate-panel')).toBeVisible();
  expect(await panel.evaluate((el) => el.scrollTop)).toBe(0);

  // A second dataset starts with its own, empty notebook and no runs.
  await page.getByRole('button', { name: 'Samples…' }).click();
  await loadSample(page, 'Wine', '178 rows × 14 columns');
  await expect(stepCards(page)).toHaveCount(0);
  await expect(page.getByText('No steps yet: add one to clean or transform the data.')).toBeVisible();
  await expect(page.getByLabel('Target', { exact: true })).toHaveValue('');
  // The Data tab shows wine as loaded, not anything standardized by iris's notebook.
  await expect(page.getByRole('button', { name: 'After notebook' })).toHaveCount(0);
  await expect(page.locator('.vt-row[data-row="0"] td.vt-cell').first()).toHaveText('14.23');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByText('Trained models appear here.')).toBeVisible();
  await expect(page.getByTestId('runs-table')).toHaveCount(0);

  // Back to iris: its notebook, its output and its runs.
  await datasetEntry(page, 'Iris flowers').click();
  await expect(stepCards(page)).toHaveCount(1);
  await expect(page.locator('li.step-card[data-step="StandardScaler"]')).toBeVisible();
  await expect(page.getByLabel('Target', { exact: true })).toHaveValue('target');
  await expect(page.getByRole('button', { name: 'After notebook' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(
    page.getByTestId('runs-table').locator('tbody tr[data-run="LogisticRegression"]'),
  ).toBeVisible();

  // A reload restores the notebook on screen and its runs; wine, loaded again, still has its own.
  await page.reload();
  await expect(page.locator('li.step-card[data-step="StandardScaler"]')).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(
    page.getByTestId('runs-table').locator('tbody tr[data-run="LogisticRegression"]'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Samples…' }).click();
  await loadSample(page, 'Wine', '178 rows × 14 columns');
  await expect(stepCards(page)).toHaveCount(0);

  // An edit right before a reload is kept, though the link in the URL has not caught up yet.
  await addStep(page, 'MinMaxScaler');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Wine recognition');
  await expect(page.locator('li.step-card[data-step="MinMaxScaler"]')).toBeVisible();
  await expect(stepCards(page)).toHaveCount(1);
});

test('runs and deployed models stay with their dataset; a notebook goes to another dataset only on request, after the column check', async ({
  page,
}) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await addStep(page, 'StandardScaler');
  await trainLogistic(page);
  // A model fitted on every row of iris (Prototype) belongs to iris.
  await page.getByRole('tab', { name: 'Prototype' }).click();
  await page.getByTestId('proto-fit').click();
  await expect(page.getByTestId('proto-model')).toContainText(
    'LogisticRegression → target · fitted on every row',
  );
  await expect.poll(() => linkedSample(page)).toBe('iris');
  await shot(page, '1-iris-prototype');

  await page.getByRole('button', { name: 'Samples…' }).click();
  await loadSample(page, 'Wine', '178 rows × 14 columns');
  await page.getByTestId('file-input').setInputFiles(csvFile('people.csv', PEOPLE_CSV));
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 5 columns');
  await datasetEntry(page, 'Wine').click();
  await expect.poll(() => linkedSample(page)).toBe('wine');
  await page.getByRole('tab', { name: 'Prototype' }).click();
  await expect(page.getByTestId('proto-model')).toHaveText('no model yet');
  await expect(page.getByTestId('proto-fit')).toHaveCount(0);

  // Iris's notebook, offered to the other datasets: the check names what is missing, and nothing
  // happens until the user applies it.
  await datasetEntry(page, 'Iris flowers').click();
  await expect(stepCards(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Apply to…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply this notebook to another dataset' });
  await dialog.getByRole('combobox', { name: 'Dataset' }).selectOption({ label: 'people.csv' });
  await expect(dialog.getByTestId('apply-check')).toContainText(
    'people.csv has no column "target" (the target). On this data, the target is left empty: pick again.',
  );
  await shot(page, '2-apply-check-missing');
  if (SHOTS) await dialog.screenshot({ path: `${SHOTS}/2b-apply-dialog.png` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await datasetEntry(page, 'people.csv').click();
  await expect(stepCards(page)).toHaveCount(0);

  await datasetEntry(page, 'Iris flowers').click();
  await page.getByRole('button', { name: 'Apply to…' }).click();
  await dialog.getByRole('combobox', { name: 'Dataset' }).selectOption({ label: 'Wine recognition' });
  await expect(dialog.getByTestId('apply-check')).toHaveText(
    'Every column this notebook names is there, with the same type.',
  );
  await dialog.getByRole('button', { name: 'Apply' }).click();
  // Wine now runs a copy of iris's notebook, on its own data, with its own (empty) runs.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wine recognition');
  await expect(page.locator('li.step-card[data-step="StandardScaler"]')).toBeVisible();
  await expect(
    page.locator('li.step-card[data-step="StandardScaler"]').getByTestId('step-status'),
  ).toHaveText(/^(ok|cached)$/);
  await expect.poll(() => linkedSample(page)).toBe('wine');
  await shot(page, '3-wine-applied');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('runs-table')).toHaveCount(0);
  await page.getByTestId('train-target').selectOption('target');
  await expect(page.getByTestId('feature-list')).toContainText('13 features:');
  await page.getByTestId('train-button').click();
  await expect(runRows(page)).toHaveCount(1);
  await shot(page, '4-wine-runs');
  // Export offers wine's run only: not iris's run, nor the model fitted on iris.
  await page.getByRole('tab', { name: 'Export' }).click();
  const exportChoices = page.getByTestId('export-model-select').locator('option');
  await expect(exportChoices).toHaveCount(1);
  await expect(exportChoices).toHaveText([/^LogisticRegression/]);
  const wineChoice = await exportChoices.first().getAttribute('value');
  expect(wineChoice).toMatch(/^run:/);

  // Iris: its notebook as it was, its one run, its deployed model.
  await datasetEntry(page, 'Iris flowers').click();
  await expect(stepCards(page)).toHaveCount(1);
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(runRows(page)).toHaveCount(1);
  await expect(runRows(page).first()).toHaveAttribute('data-run', 'LogisticRegression');
  await page.getByRole('tab', { name: 'Prototype' }).click();
  await expect(page.getByTestId('proto-model')).toContainText(
    'LogisticRegression → target · fitted on every row',
  );
  await expect.poll(() => linkedSample(page)).toBe('iris');
  // Its run (the model fitted on iris is that run's), not wine's.
  await page.getByRole('tab', { name: 'Export' }).click();
  await expect(exportChoices).toHaveCount(1);
  await expect(exportChoices.first()).not.toHaveAttribute('value', wineChoice ?? '');

  // Undo on wine brings back its own notebook; iris's stays.
  await datasetEntry(page, 'Wine').click();
  await page.getByRole('tab', { name: 'Prototype' }).click();
  await expect(page.getByTestId('proto-model')).toHaveText('no model yet');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(stepCards(page)).toHaveCount(0);
  await datasetEntry(page, 'Iris flowers').click();
  await expect(stepCards(page)).toHaveCount(1);

  // After a reload, wine loaded again finds its run.
  await page.reload();
  await expect(page.locator('li.step-card[data-step="StandardScaler"]')).toBeVisible();
  await page.getByRole('button', { name: 'Samples…' }).click();
  await loadSample(page, 'Wine', '178 rows × 14 columns');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(runRows(page)).toHaveCount(1);
  await shot(page, '5-wine-after-reload');
});
