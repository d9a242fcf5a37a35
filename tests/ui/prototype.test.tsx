// @vitest-environment happy-dom
/**
 * The Prototype tab over the real engine in-process: a run deployed on iris opens at its typical
 * row; editing a field updates the prediction and notes the change; a value that is not a number
 * stays in its box with a message and the runtime's flag; dataset rows load (a bad index changes
 * nothing); partial dependence draws its ICE curves; a counterfactual's changes apply to the form.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import { initCompute } from '../../src/gpu/device';
import { createDeployStore } from '../../src/state/deploy';
import { createPrototypeStore } from '../../src/state/prototype';
import { createWorkbench } from '../../src/state/workbench';
import { WorkbenchContext } from '../../src/ui/context';
import { driftText, fieldKind, parseNumberText, sliderStep } from '../../src/ui/prototype/fields';
import { PrototypePanel } from '../../src/ui/prototype/PrototypePanel';
import { createEngine } from '../../workers/engine';
import { inProcessClient } from '../support/engine-harness';

afterEach(cleanup);

async function setup() {
  // The Node engine, built here: happy-dom's URL cannot make the file URL engine.node.ts uses.
  const engine = createEngine({
    fetchSample: async (file) => new Uint8Array(readFileSync(resolve('public/samples', file))),
    initCompute: () => initCompute({ webgpu: false, tfjs: false }),
  });
  const client = inProcessClient(engine);
  const wb = createRoot(() => createWorkbench(client));
  const ds = (await wb.loadSample('iris'))!;
  const deploy = createRoot(() =>
    createDeployStore(client, { startJob: wb.startJob, datasetId: () => ds.id }),
  );
  const store = createRoot(() =>
    createPrototypeStore(
      client,
      {
        startJob: wb.startJob,
        jobProgress: (id) => wb.state.jobs.find((j) => j.id === id)?.progress ?? null,
      },
      { debounceMs: 0 },
    ),
  );
  const spec = {
    notebook: { version: 1 as const, seed: 0, dataset: null, target: 'target', steps: [] },
    target: 'target',
    model: { name: 'LogisticRegression', params: {} },
  };
  render(() => (
    <WorkbenchContext.Provider value={wb}>
      <PrototypePanel deploy={deploy} store={store} />
    </WorkbenchContext.Provider>
  ));
  expect(screen.getByTestId('prototype-panel').textContent).toMatch(/press “Prototype” on its run/);
  await deploy.deployRun('run-1', 'LogisticRegression', spec);
  return { engine, wb, deploy, store, ds };
}

const prediction = () => screen.getByTestId('proto-prediction').textContent ?? '';
const field = (name: string) => screen.getByTestId(`field-${name}`) as HTMLInputElement;

describe('Prototype panel', { timeout: 60_000 }, () => {
  it('predicts the typical row, follows edits, flags bad and out-of-range values, and resets', async () => {
    const { deploy, store } = await setup();
    expect((screen.getByTestId('proto-model') as HTMLSelectElement).value).toBe(deploy.state.active);
    await waitFor(() => expect(prediction()).toMatch(/^versicolor · p = 0\.\d{3}$/));
    expect(field('petal length (cm)').value).toBe('4.35');
    expect(document.querySelectorAll('[data-chart="probabilities"] svg .class-bar')).toHaveLength(3);

    fireEvent.input(field('petal length (cm)'), { target: { value: '1.2' } });
    fireEvent.input(field('petal width (cm)'), { target: { value: '0.2' } });
    await waitFor(() => expect(prediction()).toMatch(/^setosa/));
    expect(screen.getByTestId('proto-change').textContent).toMatch(/was versicolor for the typical row/);
    expect(document.querySelector('[data-feature="petal length (cm)"] .proto-notes')?.textContent).toMatch(
      /was 4\.35/,
    );
    expect(screen.getByTestId('proto-reset').textContent).toBe('Reset (2 changed)');

    // Not a number: the text stays, the field says so, and the runtime's verdict is shown.
    fireEvent.input(field('sepal width (cm)'), { target: { value: '3,x' } });
    expect(field('sepal width (cm)').value).toBe('3,x');
    expect(document.querySelector('[data-feature="sepal width (cm)"] .proto-invalid')?.textContent).toBe(
      'not a number',
    );
    await waitFor(() => expect(prediction()).toMatch(/^—/));
    expect(screen.getByRole('alert').textContent).toMatch(
      /cannot score this row: sepal width \(cm\) is missing/,
    );
    expect(store.state.values['sepal width (cm)']).toBe('3,x');

    fireEvent.input(field('sepal width (cm)'), { target: { value: '9' } });
    await waitFor(() =>
      expect(
        document.querySelector('[data-feature="sepal width (cm)"] [data-issue="out-of-range"]')?.textContent,
      ).toMatch(/outside the training range 2–4\.4/),
    );
    expect(prediction()).not.toMatch(/^—/);

    fireEvent.click(screen.getByTestId('proto-reset'));
    await waitFor(() => expect(prediction()).toMatch(/^versicolor/));
    expect(field('sepal width (cm)').value).toBe('3');
    expect(screen.getByTestId('proto-change').textContent).toMatch(/same as the typical row/);
  });

  it('the slider moves the value and the prediction', async () => {
    await setup();
    await waitFor(() => expect(prediction()).toMatch(/^versicolor/));
    const slider = screen.getByTestId('slider-petal width (cm)') as HTMLInputElement;
    expect([slider.min, slider.max, slider.step]).toEqual(['0.1', '2.5', '0.01']);
    fireEvent.input(slider, { target: { value: '2.5' } });
    fireEvent.input(screen.getByTestId('slider-petal length (cm)'), { target: { value: '6.9' } });
    await waitFor(() => expect(prediction()).toMatch(/^virginica/));
    expect(field('petal width (cm)').value).toBe('2.5');
  });

  it('loads a dataset row with its actual value; a row out of range leaves the form alone', async () => {
    const { store } = await setup();
    await waitFor(() => expect(prediction()).toMatch(/^versicolor/));
    fireEvent.input(screen.getByTestId('proto-row'), { target: { value: '999' } });
    fireEvent.click(screen.getByTestId('proto-load-row'));
    await waitFor(() =>
      expect(screen.getByTestId('proto-row-error').textContent).toBe('Pick a row from 1 to 150.'),
    );
    expect(store.state.base.label).toBe('the typical row');
    fireEvent.input(screen.getByTestId('proto-row'), { target: { value: '150' } });
    fireEvent.click(screen.getByTestId('proto-load-row'));
    await waitFor(() => expect(store.state.base.label).toBe('row 150'));
    expect(screen.queryByTestId('proto-row-error')).toBeNull();
    expect(field('sepal length (cm)').value).toBe('5.9');
    await waitFor(() =>
      expect(screen.getByTestId('proto-change').textContent).toMatch(/actual value in the data: virginica/),
    );
  });

  it('draws partial dependence with ICE curves, and applies a counterfactual', async () => {
    await setup();
    await waitFor(() => expect(prediction()).toMatch(/^versicolor/));
    fireEvent.change(screen.getByTestId('pdp-feature'), { target: { value: 'petal length (cm)' } });
    fireEvent.input(screen.getByTestId('pdp-grid'), { target: { value: '1' } });
    expect((screen.getByTestId('pdp-compute') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(screen.getByTestId('pdp-grid'), { target: { value: '15' } });
    fireEvent.click(screen.getByTestId('pdp-compute'));
    await waitFor(() =>
      expect(document.querySelectorAll('[data-chart="pdp"] svg .ice path')).toHaveLength(50),
    );
    expect(document.querySelector('[data-chart="pdp"] svg')?.getAttribute('aria-label')).toBe(
      'Partial dependence of P(versicolor) on petal length (cm)',
    );
    expect(screen.getByTestId('pdp-caption').textContent).toMatch(
      /mean over all 150 rows.*2,250 predictions/,
    );

    fireEvent.click(screen.getByTestId('cf-search'));
    await waitFor(() => expect(screen.getByTestId('cf-result').textContent).toMatch(/instead of versicolor/));
    const to = screen.getByTestId('cf-result').querySelector('strong')?.textContent;
    fireEvent.click(screen.getByTestId('cf-apply'));
    await waitFor(() => expect(prediction().startsWith(to!)).toBe(true));
  });
});

describe('what-if fields', () => {
  it('picks controls from the contract, reads number boxes and words drift', () => {
    const f = { name: 'x', type: 'float', min: 0, max: 7.9, missing: 'rejected' } as const;
    expect(fieldKind(f)).toBe('slider');
    expect(sliderStep(f)).toBe(0.01);
    expect(sliderStep({ ...f, type: 'integer' })).toBe(1);
    expect(fieldKind({ ...f, min: 3, max: 3 })).toBe('number');
    expect(fieldKind({ name: 'c', type: 'categorical', categories: ['a'], missing: 'allowed' })).toBe(
      'select',
    );
    expect(fieldKind({ name: 'b', type: 'boolean', missing: 'allowed' })).toBe('checkbox');
    expect(parseNumberText(' 1,234.5 ', false)).toEqual({ value: 1234.5, error: null });
    expect(parseNumberText('', false)).toEqual({ value: null, error: null });
    expect(parseNumberText('abc', false)).toEqual({ value: 'abc', error: 'not a number' });
    expect(parseNumberText('2.5', true)).toEqual({ value: 2.5, error: 'not a whole number' });
    expect(driftText({ row: 0, column: 'x', issue: 'out-of-range', value: 9 }, f)).toBe(
      'outside the training range 0–7.9',
    );
    expect(driftText({ row: 0, column: 'x', issue: 'wrong-type', value: 'a' }, f)).toBe(
      'not a valid float: counted as missing',
    );
  });
});
