/**
 * JSON with object keys sorted at every level, so equal notebooks give byte-equal text (and so the
 * same share link) however their objects were built. Undefined fields are dropped, as JSON.stringify
 * does; the input is expected to be JSON data already (a validated notebook).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}
