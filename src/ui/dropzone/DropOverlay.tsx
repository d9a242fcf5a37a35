import { createSignal, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { useWorkbench } from '../context';

function carriesFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

/** Files dropped anywhere on the page are loaded; an overlay shows where they will go. */
export function DropOverlay(): JSX.Element {
  const wb = useWorkbench();
  const [dragging, setDragging] = createSignal(false);
  // dragenter/dragleave fire for every child element crossed; count them to know when we left.
  let depth = 0;

  onMount(() => {
    const onEnter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth += 1;
      setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      const files = Array.from(e.dataTransfer?.files ?? []);
      depth = 0;
      setDragging(false);
      if (files.length === 0) return;
      e.preventDefault();
      wb.showGallery(false);
      void wb.loadFiles(files);
    };
    document.addEventListener('dragenter', onEnter);
    document.addEventListener('dragover', onOver);
    document.addEventListener('dragleave', onLeave);
    document.addEventListener('drop', onDrop);
    onCleanup(() => {
      document.removeEventListener('dragenter', onEnter);
      document.removeEventListener('dragover', onOver);
      document.removeEventListener('dragleave', onLeave);
      document.removeEventListener('drop', onDrop);
    });
  });

  return (
    <Show when={dragging()}>
      <div class="drop-overlay" aria-hidden="true">
        <div class="drop-target">
          <strong>Drop to load</strong>
          <span>CSV, TSV, JSON, NDJSON, Arrow or Parquet — each file becomes a dataset</span>
        </div>
      </div>
    </Show>
  );
}
