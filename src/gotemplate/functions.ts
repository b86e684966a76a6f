import type { GoTime } from './go-time.js';

/**
 * Parameter types the executor checks before calling a function, with Go's error messages: `int` is
 * Go's int (an int64 or a float64 is rejected; the function gets a plain number), `number` float64,
 * `map` map[string]interface {} and `list` []interface {} (a missing value arrives as null, their nil).
 */
export type ParamType = 'any' | 'string' | 'int' | 'bool' | 'number' | 'map' | 'list';

/** What a template function may use besides its arguments. */
export interface FuncContext {
  /** The injected clock, as a Go time. */
  readonly now: () => GoTime;
  /** Largest string a function may build (the output cap); bigger results are TEMPLATE_LIMIT. */
  readonly maxStringBytes: number;
}

/** A template function with a Go-like signature. */
export interface GoFunc {
  readonly params: readonly ParamType[];
  readonly variadic: ParamType | undefined;
  readonly call: (args: readonly unknown[], ctx: FuncContext) => unknown;
}

type TypeOf<P extends ParamType> = P extends 'string'
  ? string
  : P extends 'int' | 'number'
    ? number
    : P extends 'bool'
      ? boolean
      : P extends 'map'
        ? Record<string, unknown> | null
        : P extends 'list'
          ? unknown[] | null
          : unknown;

type ArgsOf<Ps extends readonly ParamType[]> = { -readonly [K in keyof Ps]: TypeOf<Ps[K]> };

/** Declares a fixed-arity function; arguments arrive already checked against `params`. */
export function def<const Ps extends readonly ParamType[]>(
  params: Ps,
  impl: (...args: ArgsOf<Ps>) => unknown,
): GoFunc {
  return { params, variadic: undefined, call: (args) => impl(...(args as ArgsOf<Ps>)) };
}

/** Declares a function whose trailing arguments are all of type `variadic`. */
export function defVariadic<const Ps extends readonly ParamType[], V extends ParamType>(
  params: Ps,
  variadic: V,
  impl: (fixed: ArgsOf<Ps>, rest: TypeOf<V>[]) => unknown,
): GoFunc {
  return {
    params,
    variadic,
    call: (args) =>
      impl(args.slice(0, params.length) as ArgsOf<Ps>, args.slice(params.length) as TypeOf<V>[]),
  };
}

/** Go type names used in argument errors (`expected string; got int`). */
export function paramTypeName(t: ParamType): string {
  switch (t) {
    case 'any':
      return 'interface {}';
    case 'number':
      return 'float64';
    case 'map':
      return 'map[string]interface {}';
    case 'list':
      return '[]interface {}';
    default:
      return t;
  }
}
