/** A button that opens the file chooser (a label around a hidden file input); the input is cleared after each pick. */
import type { JSX } from 'solid-js';

export function FileButton(props: {
  label: string;
  accept: string;
  testid: string;
  multiple?: boolean;
  onFiles: (files: File[]) => void;
}): JSX.Element {
  return (
    <label class="button">
      {props.label}
      <input
        type="file"
        multiple={props.multiple}
        accept={props.accept}
        class="visually-hidden"
        data-testid={props.testid}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length > 0) props.onFiles(files);
        }}
      />
    </label>
  );
}
