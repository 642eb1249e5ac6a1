/**
 * The part of a key a Redis Cluster hashes: the text between the first `{` and the first `}`
 * after it, when that is not empty; otherwise the whole key (Redis Cluster specification,
 * "Hash tags"). Two keys with the same hash tag live in the same slot.
 */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return key;
  return key.slice(open + 1, close);
}
