/**
 * Kubernetes label selectors: the string form (`k8s.io/apimachinery` `labels.Parse`), the structured
 * `metav1.LabelSelector` (matchLabels + matchExpressions), matching and printing. Pure.
 */
import { SlipwayError } from '../errors/index.js';

export type LabelOperator = 'exists' | 'notexists' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}
/** A parsed selector; no requirements matches everything. */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
}

export class InvalidLabelSelectorError extends SlipwayError {
  constructor(reason: string) {
    super('INVALID_LABEL_SELECTOR', `invalid label selector: ${reason}`);
  }
}

const namePart = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const isValue = (v: string) => v === '' || namePart.test(v);
function isKey(k: string): boolean {
  const slash = k.indexOf('/');
  if (slash < 0) return namePart.test(k);
  const prefix = k.slice(0, slash);
  return prefix.length <= 253 && dnsSubdomain.test(prefix) && namePart.test(k.slice(slash + 1));
}

const tokenPattern = /\s*(==|!=|=|!|<|>|\(|\)|,|[^\s=!<>(),]+)/y;
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < text.length) {
    if (text.slice(tokenPattern.lastIndex).trim() === '') break;
    const m = tokenPattern.exec(text);
    if (m?.[1] === undefined)
      throw new InvalidLabelSelectorError(`unexpected character at ${tokenPattern.lastIndex}`);
    tokens.push(m[1]);
  }
  return tokens;
}

/** Parses `a=b,c!=d,e in (x,y),!f,g,h>1` as Kubernetes does; throws InvalidLabelSelectorError. */
export function parseLabelSelector(text: string): LabelSelector {
  const tokens = tokenize(text);
  const requirements: LabelRequirement[] = [];
  let i = 0;
  const next = () => tokens[i++];
  const word = (what: string) => {
    const t = next();
    if (t === undefined || /^(==|!=|=|!|<|>|\(|\)|,)$/.test(t))
      throw new InvalidLabelSelectorError(`expected ${what}`);
    return t;
  };
  while (i < tokens.length) {
    let requirement: LabelRequirement;
    if (tokens[i] === '!') {
      i++;
      requirement = { key: word('a key after !'), operator: 'notexists', values: [] };
    } else {
      const key = word('a key');
      const op = tokens[i];
      if (op === undefined || op === ',') requirement = { key, operator: 'exists', values: [] };
      else if (op === '=' || op === '==' || op === '!=') {
        i++;
        const v = tokens[i] === undefined || tokens[i] === ',' ? '' : word('a value');
        requirement = { key, operator: op === '!=' ? '!=' : '=', values: [v] };
      } else if (op === '<' || op === '>') {
        i++;
        const v = word('a number');
        if (!/^-?\d+$/.test(v)) throw new InvalidLabelSelectorError(`'${v}' is not an integer`);
        requirement = { key, operator: op === '>' ? 'gt' : 'lt', values: [v] };
      } else if (op === 'in' || op === 'notin') {
        i++;
        if (next() !== '(') throw new InvalidLabelSelectorError(`expected ( after ${op}`);
        const values: string[] = [];
        for (;;) {
          const t = tokens[i];
          if (t === ')' || t === ',') values.push('');
          else values.push(word('a value'));
          const sep = next();
          if (sep === ')') break;
          if (sep !== ',') throw new InvalidLabelSelectorError(`expected , or ) in ${op} list`);
        }
        if (values.length === 1 && values[0] === '')
          throw new InvalidLabelSelectorError(`${op} needs values`);
        requirement = { key, operator: op, values };
      } else throw new InvalidLabelSelectorError(`unexpected '${op}' after key '${key}'`);
    }
    if (!isKey(requirement.key))
      throw new InvalidLabelSelectorError(`'${requirement.key}' is not a valid label key`);
    const bad = requirement.values.find((v) => !isValue(v));
    if (bad !== undefined) throw new InvalidLabelSelectorError(`'${bad}' is not a valid label value`);
    requirements.push(requirement);
    const sep = next();
    if (sep !== undefined && sep !== ',')
      throw new InvalidLabelSelectorError(`expected , but found '${sep}'`);
    if (sep === ',' && i >= tokens.length) throw new InvalidLabelSelectorError('trailing ,');
  }
  return { requirements };
}

export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  return selector.requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(labels, key);
    const value = labels[key] ?? '';
    switch (operator) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case '=':
      case 'in':
        return has && values.includes(value);
      case '!=':
      case 'notin':
        return !has || !values.includes(value);
      default: {
        // gt / lt: integer comparison; a missing or non-integer label never matches.
        if (!has || !/^-?\d+$/.test(value)) return false;
        const diff = Number(value) - Number(values[0]);
        return operator === 'gt' ? diff > 0 : diff < 0;
      }
    }
  });
}

/** One `metav1.LabelSelectorRequirement`. */
export interface MetaLabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** A `metav1.LabelSelector`, as in a Deployment's or Rollout's `spec.selector`. */
export interface MetaLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly MetaLabelSelectorRequirement[];
}

const META_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: 'notexists',
};

/**
 * `metav1.LabelSelectorAsSelector` without its validation: matchLabels become `=` requirements and
 * expressions their operators; undefined when an expression has an unknown operator.
 */
export function labelSelectorFromMeta(selector: MetaLabelSelector): LabelSelector | undefined {
  const requirements: LabelRequirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
    key,
    operator: '=',
    values: [value],
  }));
  for (const e of selector.matchExpressions ?? []) {
    const operator = META_OPERATORS[e.operator];
    if (operator === undefined) return undefined;
    requirements.push({ key: e.key, operator, values: e.values ?? [] });
  }
  return { requirements };
}

/** Whether a `metav1.LabelSelector` selects a set of labels; one with an unknown operator selects none. */
export function matchesMetaLabelSelector(
  selector: MetaLabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  const parsed = labelSelectorFromMeta(selector);
  return parsed !== undefined && matchesLabelSelector(parsed, labels);
}

/** metav1.FormatLabelSelector: "app=demo,tier in (a,b)"; "<none>" for an empty selector. */
export function formatMetaLabelSelector(selector: MetaLabelSelector): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  ))
    parts.push(`${key}=${value}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.length === 0 ? '<none>' : parts.join(',');
}
