/**
 * Command-line arguments: node:util's parseArgs with the options of each command, and one error
 * type for everything the user typed wrong, which the command maps to exit code 2.
 */
import { parseArgs } from 'node:util';

/** Bad arguments: exit code 2, the message and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

export interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** Parses `args` against `options`; an unknown option or a missing value is a UsageError. */
export function parse(args: string[], options: Record<string, OptionSpec>): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { positionals, values: values as Parsed['values'] };
  } catch (e) {
    throw new UsageError(cleanParseMessage(e instanceof Error ? e.message : String(e)));
  }
}

/** parseArgs' messages mention its own API ("To specify a positional argument…"): keep the first sentence. */
function cleanParseMessage(message: string): string {
  return message.split('. ')[0]!.replace(/\.$/, '').concat('.');
}

export function positionalCount(p: Parsed, command: string, names: string[], min = names.length): void {
  if (p.positionals.length < min) {
    const missing = names.slice(p.positionals.length, min).map((n) => `<${n}>`);
    throw new UsageError(`benchtop ${command} needs ${missing.join(' and ')}.`);
  }
  if (p.positionals.length > names.length) {
    throw new UsageError(
      `benchtop ${command} takes ${names.map((n) => `<${n}>`).join(' ')}; "${p.positionals[names.length]}" is one too many.`,
    );
  }
}

export function stringOption(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A whole number option within [min, max]. */
export function intOption(p: Parsed, name: string, min: number, max: number): number | undefined {
  const raw = stringOption(p, name);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
  }
  return v;
}
