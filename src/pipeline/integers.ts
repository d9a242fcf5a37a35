/** Int32 column data from Float64 values (whole numbers in the Int32 range; NaN = missing). */
import { type Data, Int32, makeData } from 'apache-arrow';

export function intData(values: Float64Array): Data<Int32> {
  const length = values.length;
  const data = new Int32Array(length);
  let bitmap: Uint8Array | undefined;
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      if (!bitmap) bitmap = new Uint8Array((length + 7) >>> 3).fill(0xff);
      bitmap[i >>> 3]! &= ~(1 << (i & 7));
      nullCount++;
    } else data[i] = v;
  }
  return makeData({ type: new Int32(), length, nullCount, nullBitmap: bitmap, data });
}
