/**
 * Go static types of slices and maps that sprig functions return (`[]string`, `[]int`,
 * `map[string]string`...). The value model stores them as plain arrays and objects; this side table
 * lets `typeOf` and `deepEqual` tell them apart from `[]interface {}` as Go does.
 */
const TYPES = new WeakMap<object, string>();

/** Records the Go type of a fresh slice or map and returns it. */
export function typed<T extends object>(value: T, goType: string): T {
  TYPES.set(value, goType);
  return value;
}

/** The recorded Go type of a slice or map, if a sprig function built it with one. */
export function typedName(value: object): string | undefined {
  return TYPES.get(value);
}
