/**
 * "The model will read": the feature columns, the ones the experiment leaves out (target, groups,
 * time order) and — as a warning — the columns dropped because no model reads their type, each
 * kind with a button that adds the step that makes them readable (e.g. "Add OneHotEncoder").
 */
import { For, type JSX, Show } from 'solid-js';
import type { FixStep } from '../../protocol/api';
import type { FeaturePlan } from '../../state/features';

const ROLE: Record<FeaturePlan['excluded'][number]['role'], string> = {
  target: 'target',
  group: 'groups',
  time: 'time order',
};

/** At most `n` names, then "and 12 more". */
function someNames(names: readonly string[], n = 12): string {
  if (names.length <= n) return names.join(', ');
  return `${names.slice(0, n).join(', ')} and ${names.length - n} more`;
}

export function FeatureList(props: {
  plan: FeaturePlan;
  onAddSteps?: (steps: FixStep[]) => void;
}): JSX.Element {
  const plan = () => props.plan;
  return (
    <section class="train-section train-features" aria-labelledby="features-title" data-testid="feature-plan">
      <h2 id="features-title" class="train-h2">
        Features <span class="muted small">what the model will read</span>
      </h2>
      <p class="small" data-testid="feature-list">
        <Show
          when={plan().features.length > 0}
          fallback={<strong>No column can be read as a feature yet.</strong>}
        >
          <strong>
            {plan().features.length} feature{plan().features.length === 1 ? '' : 's'}:
          </strong>{' '}
          <span
            title={plan()
              .features.map((f) => `${f.name} (${f.type})`)
              .join('\n')}
          >
            {someNames(plan().features.map((f) => f.name))}
          </span>
        </Show>
        <For each={plan().excluded}>
          {(e) => (
            <span class="muted">
              {' '}
              · {e.name} ({ROLE[e.role]}) left out
            </span>
          )}
        </For>
      </p>
      <Show when={plan().dropped.length > 0}>
        <div class="feature-warning small" role="status" data-testid="feature-dropped">
          <p>
            <strong>
              {plan().dropped.length} column{plan().dropped.length === 1 ? ' is' : 's are'} dropped:
            </strong>{' '}
            {someNames(plan().dropped.map((d) => `${d.name} (${d.type})`))}
          </p>
          <ul class="feature-fixes">
            <For each={plan().fixes}>
              {(fix) => (
                <li>
                  <span>{fix.reason}.</span>{' '}
                  <Show when={props.onAddSteps}>
                    {(add) => (
                      <button type="button" class="small-button" onClick={() => add()(fix.steps)}>
                        {fix.label}
                      </button>
                    )}
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
    </section>
  );
}
