/** Where a value sits in a document, written the way a JavaScript reader would: `steps[3].params.alpha`. */
export type JsonPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Text from an untrusted document, shortened so a message stays one readable sentence. */
export function quote(text: string, max = 40): string {
  const short = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(short);
}

export function formatPath(path: JsonPath): string {
  if (path.length === 0) return 'the notebook';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${quote(segment)}]`;
  }
  return out;
}

/** One sentence about the value at `path`; at the root the subject is "The notebook". */
export function sentence(path: JsonPath, rest: string): string {
  return `${path.length === 0 ? 'The notebook' : formatPath(path)} ${rest}`;
}
