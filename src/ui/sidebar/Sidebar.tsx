import type { JSX } from 'solid-js';
import { NotebookPanel } from '../notebook/NotebookPanel';
import { StoragePanel } from '../storage/StoragePanel';
import { AddData } from './AddData';
import { DatasetList } from './DatasetList';

export function Sidebar(props: { onShowData: () => void }): JSX.Element {
  return (
    <aside class="sidebar" aria-label="Sidebar">
      <div class="brand">
        <img src="./favicon.svg" alt="" width="22" height="22" />
        <span class="brand-name">Benchtop</span>
        <span class="brand-tag">ML workbench</span>
      </div>
      <DatasetList onSelect={props.onShowData} />
      <AddData onAction={props.onShowData} />
      <StoragePanel />
      <NotebookPanel />
    </aside>
  );
}
