/**
 * A small JSON Schema (draft-07) checker for the subset that schema.json uses. It walks the schema
 * as data — no code is generated or evaluated, so it works under a CSP without 'unsafe-eval' — and
 * reports the first problem as one sentence naming where it is. Keywords outside the subset make
 * `createValidator` throw, so a schema change can never be silently ignored.
 */
import { quote, sentence } from './path.ts';

export type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object';

export interface JsonSchema {
  $schema?: string;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  description?: string;
  /** Ends "<path> must …" when `pattern` fails, so the message explains the form in words. */
  errorMessage?: string;
  anyOf?: JsonSchema[];
  type?: SchemaType | SchemaType[];
  const?: unknown;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  minProperties?: number;
  maxProperties?: number;
}

const SUPPORTED = new Set<string>([
  '$schema',
  '$ref',
  'definitions',
  'description',
  'errorMessage',
  'anyOf',
  'type',
  'const',
  'enum',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'items',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
]);

/** Keywords in `schema` (at any depth) that this checker would not enforce. */
export function unsupportedKeywords(schema: JsonSchema): string[] {
  const found = new Set<string>();
  const visit = (node: JsonSchema): void => {
    for (const key of Object.keys(node)) if (!SUPPORTED.has(key)) found.add(key);
    for (const child of Object.values(node.definitions ?? {})) visit(child);
    for (const child of Object.values(node.properties ?? {})) visit(child);
    for (const child of node.anyOf ?? []) visit(child);
    if (node.items) visit(node.items);
    if (node.propertyNames) visit(node.propertyNames);
    if (typeof node.additionalProperties === 'object') visit(node.additionalProperties);
  };
  visit(schema);
  return [...found].sort();
}

export type Validator = (value: unknown) => string | null;

type Path = (string | number)[];

/** Returns a function giving `null` for a valid value, else one sentence about the first problem. */
export function createValidator(root: JsonSchema): Validator {
  const unsupported = unsupportedKeywords(root);
  if (unsupported.length > 0) throw new Error(`Schema uses unsupported keywords: ${unsupported.join(', ')}`);
  const checker = new Checker(root);
  return (value) => checker.check(root, value, []);
}

/** Walks a value against the schema; every check returns the first problem as a sentence, or null. */
class Checker {
  private readonly patterns = new Map<string, RegExp>();

  constructor(private readonly root: JsonSchema) {}

  resolve(schema: JsonSchema): JsonSchema {
    let current = schema;
    for (let hops = 0; current.$ref !== undefined; hops++) {
      const name = /^#\/definitions\/(.+)$/.exec(current.$ref)?.[1];
      const target = name === undefined ? undefined : this.root.definitions?.[name];
      if (target === undefined || hops > 32)
        throw new Error(`Schema has an unresolvable $ref ${current.$ref}`);
      current = target;
    }
    return current;
  }

  regex(pattern: string): RegExp {
    let compiled = this.patterns.get(pattern);
    if (!compiled) {
      compiled = new RegExp(pattern, 'u');
      this.patterns.set(pattern, compiled);
    }
    return compiled;
  }

  typesOf(schema: JsonSchema): Set<SchemaType> | 'any' {
    const resolved = this.resolve(schema);
    if (resolved.anyOf) {
      const all = new Set<SchemaType>();
      for (const branch of resolved.anyOf) {
        const types = this.typesOf(branch);
        if (types === 'any') return 'any';
        for (const t of types) all.add(t);
      }
      return all;
    }
    if (resolved.type === undefined) return 'any';
    return new Set(Array.isArray(resolved.type) ? resolved.type : [resolved.type]);
  }

  expected(schema: JsonSchema): string {
    const resolved = this.resolve(schema);
    if ('const' in resolved) return JSON.stringify(resolved.const);
    const types = this.typesOf(resolved);
    if (types === 'any') return 'a JSON value';
    return orList([...types].map((t) => TYPE_NAMES[t]));
  }

  check(schema: JsonSchema, value: unknown, path: Path): string | null {
    const s = this.resolve(schema);
    if (s.anyOf) return this.checkAnyOf(s, s.anyOf, value, path);

    const types = this.typesOf(s);
    if (types !== 'any' && ![...types].some((t) => hasType(value, t))) {
      return sentence(path, `must be ${this.expected(s)}, not ${describeValue(value)}.`);
    }
    if ('const' in s && value !== s.const) {
      return sentence(path, `must be ${JSON.stringify(s.const)}, not ${describeValue(value)}.`);
    }
    if (s.enum && !s.enum.includes(value)) {
      return sentence(
        path,
        `must be ${orList(s.enum.map((v) => JSON.stringify(v)))}, not ${describeValue(value)}.`,
      );
    }
    if (typeof value === 'string') return this.checkString(s, value, path);
    if (typeof value === 'number') return checkNumber(s, value, path);
    if (Array.isArray(value)) return this.checkArray(s, value, path);
    if (isObject(value)) return this.checkObject(s, value, path);
    return null;
  }

  checkAnyOf(schema: JsonSchema, branches: JsonSchema[], value: unknown, path: Path): string | null {
    const errors = branches.map((branch) => this.check(branch, value, path));
    if (errors.some((e) => e === null)) return null;
    // Report against the branch the value was evidently meant for, so the message is precise.
    const candidates = branches
      .map((b) => this.resolve(b))
      .filter((b) => {
        const types = this.typesOf(b);
        return types === 'any' || [...types].some((t) => hasType(value, t));
      });
    if (candidates.length === 0)
      return sentence(path, `must be ${this.expected(schema)}, not ${describeValue(value)}.`);
    if (candidates.length > 1 && isObject(value)) {
      const key = discriminator(candidates);
      if (key !== undefined) {
        const chosen = candidates.find((b) => b.properties?.[key]?.const === value[key]);
        if (chosen) return this.check(chosen, value, path);
        const allowed = candidates.map((b) => JSON.stringify(b.properties?.[key]?.const));
        return sentence([...path, key], `must be ${orList(allowed)}, not ${describeValue(value[key])}.`);
      }
    }
    return this.check(candidates[0]!, value, path);
  }

  checkString(s: JsonSchema, value: string, path: Path): string | null {
    if (s.minLength !== undefined || s.maxLength !== undefined) {
      const length = codePoints(value);
      if (s.minLength !== undefined && length < s.minLength) {
        return sentence(
          path,
          s.minLength === 1 ? 'must not be empty.' : `must be at least ${s.minLength} characters long.`,
        );
      }
      if (s.maxLength !== undefined && length > s.maxLength) {
        return sentence(path, `must be at most ${s.maxLength} characters long (it has ${length}).`);
      }
    }
    if (s.pattern !== undefined && !this.regex(s.pattern).test(value)) {
      const rule = s.errorMessage ?? `match ${s.pattern}`;
      return sentence(path, `must ${rule}; ${quote(value)} does not.`);
    }
    return null;
  }

  checkArray(s: JsonSchema, value: unknown[], path: Path): string | null {
    if (s.minItems !== undefined && value.length < s.minItems) {
      return sentence(path, `must have at least ${s.minItems} items (it has ${value.length}).`);
    }
    if (s.maxItems !== undefined && value.length > s.maxItems) {
      return sentence(path, `must have at most ${s.maxItems} items (it has ${value.length}).`);
    }
    if (s.items) {
      for (let i = 0; i < value.length; i++) {
        const error = this.check(s.items, value[i], [...path, i]);
        if (error) return error;
      }
    }
    return null;
  }

  checkObject(s: JsonSchema, value: Record<string, unknown>, path: Path): string | null {
    const keys = Object.keys(value);
    for (const key of s.required ?? []) {
      if (!Object.hasOwn(value, key)) return sentence(path, `is missing the required field ${quote(key)}.`);
    }
    if (s.minProperties !== undefined && keys.length < s.minProperties) {
      return sentence(path, `must have at least ${s.minProperties} entries (it has ${keys.length}).`);
    }
    if (s.maxProperties !== undefined && keys.length > s.maxProperties) {
      return sentence(path, `must have at most ${s.maxProperties} entries (it has ${keys.length}).`);
    }
    for (const key of keys) {
      if (s.propertyNames && this.check(s.propertyNames, key, []) !== null) {
        const names = this.resolve(s.propertyNames);
        const rule = names.errorMessage ?? (names.pattern ? `match ${names.pattern}` : 'be valid');
        return sentence(path, `has the key ${quote(key)}; keys must ${rule}.`);
      }
      const error = this.checkField(s, key, value[key], path);
      if (error) return error;
    }
    return null;
  }

  /** One field of an object: by its own schema, else the additional-properties rule. */
  checkField(s: JsonSchema, key: string, value: unknown, path: Path): string | null {
    const known = s.properties?.[key];
    if (known) return this.check(known, value, [...path, key]);
    if (s.additionalProperties === false) return sentence(path, `has an unknown field ${quote(key)}.`);
    if (typeof s.additionalProperties === 'object')
      return this.check(s.additionalProperties, value, [...path, key]);
    return null;
  }
}

/** The property whose `const` tells the object branches of an anyOf apart, if there is one. */
function discriminator(objects: JsonSchema[]): string | undefined {
  const first = objects[0]?.properties ?? {};
  return Object.keys(first).find((key) => {
    const consts = objects.map((o) => o.properties?.[key]?.const);
    return consts.every((c) => c !== undefined) && new Set(consts).size === consts.length;
  });
}

function checkNumber(s: JsonSchema, value: number, path: Path): string | null {
  if (s.minimum !== undefined && value < s.minimum)
    return sentence(path, `must be at least ${s.minimum}, not ${value}.`);
  if (s.maximum !== undefined && value > s.maximum)
    return sentence(path, `must be at most ${s.maximum}, not ${value}.`);
  return null;
}

const TYPE_NAMES: Record<SchemaType, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
  array: 'a list',
  object: 'an object',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: SchemaType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
  }
}

/** JSON Schema counts string length in code points, not UTF-16 units. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${quote(value, 30)}`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function orList(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}
