import { createSignal, For, type JSX, Show } from 'solid-js';
import type { QualityWarning, Severity } from '../../protocol/api';

const GROUPS: { severity: Severity; title: string; icon: string }[] = [
  { severity: 'error', title: 'Errors', icon: '✕' },
  { severity: 'warning', title: 'Warnings', icon: '!' },
  { severity: 'info', title: 'Notes', icon: 'i' },
];

/** Findings shown per group before "Show all": wide data can have one outlier note per column. */
const GROUP_LIMIT = 12;

export interface WarningListProps {
  warnings: readonly QualityWarning[];
  /** Sends the warning's fix to the notebook; absent while there is no notebook to add it to. */
  onFix?: (warning: QualityWarning) => void;
  fixAdded: (warningId: string) => boolean;
}

/** The report's findings grouped by severity, each with its one sentence and its fix. */
export function WarningList(props: WarningListProps): JSX.Element {
  return (
    <Show
      when={props.warnings.length > 0}
      fallback={
        <p class="quality-clean" data-testid="no-warnings">
          <span class="sev-icon sev-ok" aria-hidden="true">
            ✓
          </span>{' '}
          No quality problems found.
        </p>
      }
    >
      <For each={GROUPS}>
        {(group) => {
          const items = () => props.warnings.filter((w) => w.severity === group.severity);
          const [all, setAll] = createSignal(false);
          return (
            <Show when={items().length > 0}>
              <section
                class={`qgroup sev-${group.severity}`}
                aria-label={`${group.title} (${items().length})`}
              >
                <h3 class="qgroup-title">
                  {group.title} <span class="muted">({items().length})</span>
                </h3>
                <ul class="qlist">
                  <For each={all() ? items() : items().slice(0, GROUP_LIMIT)}>
                    {(w) => <WarningItem warning={w} icon={group.icon} {...props} />}
                  </For>
                </ul>
                <Show when={!all() && items().length > GROUP_LIMIT}>
                  <button type="button" class="link-button" onClick={() => setAll(true)}>
                    Show all {items().length}
                  </button>
                </Show>
              </section>
            </Show>
          );
        }}
      </For>
    </Show>
  );
}

function WarningItem(props: WarningListProps & { warning: QualityWarning; icon: string }): JSX.Element {
  const w = () => props.warning;
  return (
    <li class={`qwarn sev-${w().severity}`} data-kind={w().kind} data-warning={w().id}>
      <span class={`sev-icon sev-${w().severity}`} role="img" aria-label={w().severity}>
        {props.icon}
      </span>
      <div class="qwarn-body">
        <p class="qwarn-message">{w().message}</p>
        <Show when={w().columns.length > 0}>
          <ul class="qwarn-columns" aria-label="Affected columns">
            <For each={w().columns}>{(c) => <li class="column-chip">{c}</li>}</For>
          </ul>
        </Show>
      </div>
      <Show when={w().fix}>
        {(fix) => (
          <Show
            when={!props.fixAdded(w().id)}
            fallback={
              <span class="qwarn-added" role="status">
                Added to notebook ✓
              </span>
            }
          >
            <button
              type="button"
              class="button qwarn-fix"
              disabled={!props.onFix}
              title={
                props.onFix
                  ? `Adds a ${fix().step.step} step to the notebook`
                  : 'The notebook is not available in this build'
              }
              onClick={() => props.onFix?.(w())}
            >
              Fix: {fix().label}
            </button>
          </Show>
        )}
      </Show>
    </li>
  );
}
