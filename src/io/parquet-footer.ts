/**
 * The few facts of a Parquet footer the reader needs before decoding: how many row groups (the
 * decoder is called once per row group, so its never-shrinking wasm memory holds one row group,
 * not the file, and cancel is checked in between), the rows in each, and the number of schema
 * columns. The footer is Thrift compact protocol (FileMetaData of parquet.thrift); this reads it
 * with bounds checks and a depth limit, skipping every other field.
 */

export class FooterInvalid extends Error {}

export interface ParquetFooter {
  rowGroupRows: number[];
  /** Schema elements below the root (leaf columns and groups). */
  columns: number;
}

const MAX_DEPTH = 32;

class Compact {
  pos: number;
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }
  byte(): number {
    if (this.pos >= this.end) throw new FooterInvalid('the footer ends early');
    return this.bytes[this.pos++]!;
  }
  /** Unsigned varint (up to 2^53). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new FooterInvalid('a number in the footer is too long');
  }
  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }
  skipBytes(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new FooterInvalid('a field runs past the footer');
    this.pos += n;
  }
  /** Skip one value of compact type `type`. */
  skip(type: number, depth: number): void {
    if (depth > MAX_DEPTH) throw new FooterInvalid('the footer nests too deeply');
    switch (type) {
      case 1:
      case 2:
        return;
      case 3:
        this.skipBytes(1);
        return;
      case 4:
      case 5:
      case 6:
        this.varint();
        return;
      case 7:
        this.skipBytes(8);
        return;
      case 8:
        this.skipBytes(this.varint());
        return;
      case 9:
      case 10: {
        const { size, elementType } = this.listHeader();
        for (let i = 0; i < size; i++) this.skip(elementType, depth + 1);
        return;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return;
        const kinds = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kinds >> 4, depth + 1);
          this.skip(kinds & 0x0f, depth + 1);
        }
        return;
      }
      case 12:
        this.struct(depth + 1, () => false);
        return;
      default:
        throw new FooterInvalid('the footer has an unknown field type');
    }
  }
  listHeader(): { size: number; elementType: number } {
    const header = this.byte();
    let size = header >> 4;
    if (size === 15) size = this.varint();
    // Each element takes at least one byte (booleans: a bit, but lists of them are rare).
    if (size > this.end - this.pos + 1)
      throw new FooterInvalid('a list in the footer is longer than the footer');
    return { size, elementType: header & 0x0f };
  }
  /** Read a struct's fields; `field(id, type)` reads the ones it wants (returns true) — the rest
   * are skipped. */
  struct(depth: number, field: (id: number, type: number) => boolean): void {
    if (depth > MAX_DEPTH) throw new FooterInvalid('the footer nests too deeply');
    let id = 0;
    for (;;) {
      const header = this.byte();
      if (header === 0) return;
      const type = header & 0x0f;
      const delta = header >> 4;
      id = delta === 0 ? this.zigzag() : id + delta;
      if (!field(id, type)) this.skip(type, depth);
    }
  }
}

/** Parse the footer of a Parquet file; throws FooterInvalid when it is damaged. */
export function readParquetFooter(bytes: Uint8Array): ParquetFooter {
  const n = bytes.length;
  const magic = (at: number): boolean =>
    bytes[at] === 0x50 && bytes[at + 1] === 0x41 && bytes[at + 2] === 0x52 && bytes[at + 3] === 0x31;
  if (n < 12 || !magic(0) || !magic(n - 4)) throw new FooterInvalid('it does not start and end with PAR1');
  const length = new DataView(bytes.buffer, bytes.byteOffset, n).getUint32(n - 8, true);
  if (length === 0 || length > n - 12) throw new FooterInvalid('its footer length is damaged');
  const reader = new Compact(bytes, n - 8 - length, n - 8);
  const rowGroupRows: number[] = [];
  let columns = 0;
  reader.struct(0, (id, type) => {
    if (id === 2 && type === 9) {
      const { size, elementType } = reader.listHeader();
      for (let i = 0; i < size; i++) reader.skip(elementType, 1);
      columns = Math.max(0, size - 1);
      return true;
    }
    if (id === 4 && type === 9) {
      const { size, elementType } = reader.listHeader();
      if (elementType !== 12) throw new FooterInvalid('its row groups are damaged');
      for (let i = 0; i < size; i++) {
        let rows = -1;
        reader.struct(1, (rid, rtype) => {
          if (rid === 3 && rtype === 6) {
            rows = reader.zigzag();
            return true;
          }
          return false;
        });
        if (!(rows >= 0 && Number.isSafeInteger(rows)))
          throw new FooterInvalid('a row group has an impossible row count');
        rowGroupRows.push(rows);
      }
      return true;
    }
    return false;
  });
  return { rowGroupRows, columns };
}
