/** A friendly title for each engine error name; the message and hint carry the specifics. */
import type { EngineErrorName } from '../../core/errors';

const TITLES: Record<EngineErrorName, string> = {
  ParseError: 'Could not parse the file',
  EmptyFile: 'The file is empty',
  EncodingError: 'Could not decode the text',
  UnsupportedFormat: 'This file format is not supported',
  SchemaError: 'The columns do not match',
  OutOfMemory: 'Not enough memory',
  GpuUnavailable: 'The GPU is not available',
  NetworkError: 'Could not download the data',
  NotFound: 'Not found',
  Cancelled: 'Cancelled',
  InvalidArgument: 'Invalid input',
  InternalError: 'Something went wrong inside Benchtop',
};

export function errorTitle(name: string): string {
  return (TITLES as Record<string, string>)[name] ?? TITLES.InternalError;
}

/** "line 12, column 3 of data.csv" from an error's detail, or null when it has no position. */
export function errorLocation(detail: { file?: string; line?: number; column?: number }): string | null {
  const parts: string[] = [];
  if (detail.line !== undefined) parts.push(`line ${detail.line}`);
  if (detail.column !== undefined) parts.push(`column ${detail.column}`);
  if (parts.length === 0) return detail.file ?? null;
  return detail.file ? `${parts.join(', ')} of ${detail.file}` : parts.join(', ');
}
