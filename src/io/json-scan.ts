/**
 * The byte-level half of json-stream.ts: a cursor over UTF-8 JSON bytes that reads one value of
 * each kind and gives up (throws GIVE_UP) on anything JSON.parse would reject or read otherwise.
 * Its state lives in fields, not closures, so the record reader that extends it keeps `pos` as a
 * plain property that V8 loads and stores in place.
 */

/** Thrown inside the parser when the general path must decide. */
export const GIVE_UP = Symbol('give up');

/** Leave the fast path (see json-stream.ts). */
export function giveUp(): never {
  throw GIVE_UP;
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** Bytes → string as TextDecoder of the whole text would decode them (a BOM inside is kept). */
export const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** A position in `bytes` and the readers of the values that start there. */
export class JsonScanner {
  pos = 0;
  readonly n: number;

  /** `ndjson`: line breaks end values instead of being white space. */
  constructor(
    readonly bytes: Uint8Array,
    readonly ndjson: boolean,
  ) {
    this.n = bytes.length;
  }

  skipSpace(): void {
    const { bytes, n, ndjson } = this;
    let pos = this.pos;
    while (pos < n) {
      const b = bytes[pos]!;
      if (b === 0x20 || b === 0x09 || (!ndjson && (b === 0x0a || b === 0x0d))) pos++;
      else break;
    }
    this.pos = pos;
  }

  /** A string (pos at its opening quote); pos ends after the closing quote. */
  readString(): string {
    const { bytes, n } = this;
    let pos = this.pos;
    const start = ++pos;
    let escaped = false;
    let ascii = true;
    for (;;) {
      if (pos >= n) giveUp();
      const b = bytes[pos]!;
      if (b === 0x22) break;
      if (b === 0x5c) {
        escaped = true;
        pos += 2;
        continue;
      }
      if (b < 0x20) giveUp();
      if (b >= 0x80) ascii = false;
      pos++;
    }
    const end = pos;
    this.pos = end + 1;
    if (escaped) return escapedString(bytes, start, end);
    if (end === start) return '';
    if (ascii && end - start <= 1024) {
      return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
    }
    return utf8.decode(bytes.subarray(start, end));
  }

  /** A number (pos at its first byte), the same double JSON.parse gives. */
  readNumber(): number {
    const { bytes } = this;
    const start = this.pos;
    let pos = start;
    const negative = bytes[pos] === 0x2d;
    if (negative) pos++;
    let mantissa = 0;
    let significant = 0;
    let fraction = 0;
    if (bytes[pos] === 0x30) {
      pos++;
      if (isDigit(bytes[pos])) giveUp();
    } else if (isDigit(bytes[pos])) {
      for (; isDigit(bytes[pos]); pos++) {
        mantissa = mantissa * 10 + (bytes[pos]! - 0x30);
        if (mantissa > 0) significant++;
      }
    } else giveUp();
    if (bytes[pos] === 0x2e) {
      pos++;
      if (!isDigit(bytes[pos])) giveUp();
      for (; isDigit(bytes[pos]); pos++) {
        mantissa = mantissa * 10 + (bytes[pos]! - 0x30);
        if (mantissa > 0) significant++;
        fraction++;
      }
    }
    this.pos = pos;
    const e10 = this.readExponent() - fraction;
    // Clinger's fast path: an exact mantissa (< 2^53) times or divided by an exact power of ten
    // is one correctly rounded operation, the same double JSON.parse gives. Otherwise JS's own.
    if (significant <= 15 && e10 >= -22 && e10 <= 22) {
      const value = e10 >= 0 ? mantissa * POW10[e10]! : mantissa / POW10[-e10]!;
      return negative ? -value : value;
    }
    return Number(String.fromCharCode.apply(null, bytes.subarray(start, this.pos) as unknown as number[]));
  }

  /** A number's exponent part if pos is at one ('e' or 'E'), else 0. */
  private readExponent(): number {
    const { bytes } = this;
    let pos = this.pos;
    if (bytes[pos] !== 0x65 && bytes[pos] !== 0x45) return 0;
    pos++;
    let sign = 1;
    if (bytes[pos] === 0x2b) pos++;
    else if (bytes[pos] === 0x2d) {
      sign = -1;
      pos++;
    }
    if (!isDigit(bytes[pos])) giveUp();
    let exponent = 0;
    for (; isDigit(bytes[pos]); pos++) {
      if (exponent < 100000) exponent = exponent * 10 + (bytes[pos]! - 0x30);
    }
    this.pos = pos;
    return exponent * sign;
  }

  readTrue(): void {
    this.literal(TRUE);
  }

  readFalse(): void {
    this.literal(FALSE);
  }

  readNull(): void {
    this.literal(NULL);
  }

  private literal(word: readonly number[]): void {
    const { bytes, pos } = this;
    for (let i = 0; i < word.length; i++) if (bytes[pos + i] !== word[i]) giveUp();
    this.pos = pos + word.length;
  }

  /** An array value as the general path keeps it: JSON.stringify(JSON.parse(its text)). */
  readArrayText(): string {
    const { bytes, n, ndjson } = this;
    const start = this.pos;
    let pos = start;
    let depth = 0;
    while (pos < n) {
      const b = bytes[pos]!;
      // An NDJSON value ends with its line.
      if (ndjson && (b === 0x0a || b === 0x0d)) giveUp();
      if (b === 0x22) {
        pos++;
        while (pos < n && bytes[pos] !== 0x22) pos += bytes[pos] === 0x5c ? 2 : 1;
      } else if (b === 0x5b || b === 0x7b) depth++;
      else if ((b === 0x5d || b === 0x7d) && --depth === 0) {
        this.pos = ++pos;
        return reparsed(bytes.subarray(start, pos));
      }
      pos++;
    }
    return giveUp();
  }
}

/** The string JSON.parse makes of bytes[start, end) (between quotes, with escapes). */
function escapedString(bytes: Uint8Array, start: number, end: number): string {
  try {
    return JSON.parse(utf8.decode(bytes.subarray(start - 1, end + 1))) as string;
  } catch {
    return giveUp();
  }
}

/** JSON.stringify(JSON.parse(text of `bytes`)), giving up on a syntax error. */
function reparsed(bytes: Uint8Array): string {
  try {
    return JSON.stringify(JSON.parse(utf8.decode(bytes)));
  } catch {
    return giveUp();
  }
}
