/**
 * huandu/xstrings' case conversions as sprig uses them (snakecase, kebabcase, camelcase = ToPascalCase)
 * and goutils' SwapCase, ported rune by rune so word boundaries fall where Go puts them.
 */

type WordType = 'invalid' | 'number' | 'upper' | 'alpha' | 'connector' | 'punct' | 'other';

const isSpace = (r: string): boolean => /^[\t\n\v\f\r \u0085\u00A0\p{Zs}\u2028\u2029]$/u.test(r);
const isConnector = (r: string): boolean => r === '-' || r === '_' || isSpace(r);
const isUpper = (r: string): boolean => /^\p{Lu}$/u.test(r);
const isLowerCase = (r: string): boolean => /^\p{Ll}$/u.test(r);
const isTitleCase = (r: string): boolean => /^\p{Lt}$/u.test(r);
const isPunct = (r: string): boolean => /^\p{P}$/u.test(r);
const isNumber = (r: string): boolean => /^\p{N}$/u.test(r);
const isAlphabet = (r: string): boolean =>
  /^\p{L}$/u.test(r) && !/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u.test(r);

/** Go's unicode.ToUpper for one rune: the simple mapping, never expanding to several runes as JS may. */
export const toUpper = (r: string): string => {
  const u = r.toUpperCase();
  return [...u].length === 1 ? u : r;
};

/** Go's unicode.ToLower for one rune (İ becomes i, where JS's full mapping adds a combining dot). */
export const toLower = (r: string): string => {
  if (r === '\u0130') return 'i';
  const l = r.toLowerCase();
  return [...l].length === 1 ? l : r;
};

/** Go's unicode.ToTitle for one rune: upper case, except the Latin digraphs' own title forms. */
const TITLE_DIGRAPHS: Readonly<Record<string, string>> = {
  '\u01C4': '\u01C5',
  '\u01C5': '\u01C5',
  '\u01C6': '\u01C5',
  '\u01C7': '\u01C8',
  '\u01C8': '\u01C8',
  '\u01C9': '\u01C8',
  '\u01CA': '\u01CB',
  '\u01CB': '\u01CB',
  '\u01CC': '\u01CB',
  '\u01F1': '\u01F2',
  '\u01F2': '\u01F2',
  '\u01F3': '\u01F2',
};
export const toTitle = (r: string): string => TITLE_DIGRAPHS[r] ?? toUpper(r);

/** Go's strings.ToUpper / ToLower: rune by rune with the simple mappings. */
export const goUpper = (s: string): string => [...s].map(toUpper).join('');
export const goLower = (s: string): string => [...s].map(toLower).join('');

interface Word {
  readonly type: WordType;
  readonly word: string[];
  readonly rest: string[];
}

function nextWord(str: readonly string[]): Word {
  if (str.length === 0) return { type: 'invalid', word: [], rest: [] };
  const r = str[0] ?? '';
  let n = 1;
  const take = (pred: (c: string) => boolean): void => {
    while (n < str.length && pred(str[n] ?? '')) n++;
  };
  let type: WordType;
  if (isConnector(r)) {
    type = 'connector';
    take(isConnector);
  } else if (isPunct(r)) {
    type = 'punct';
    take(isPunct);
  } else if (isUpper(r)) {
    type = 'upper';
    if (n < str.length) {
      const next = str[n] ?? '';
      if (isUpper(next)) {
        take(isUpper);
        if (n < str.length && isAlphabet(str[n] ?? '')) n--;
      } else if (isAlphabet(next)) {
        take((c) => isAlphabet(c) && !isUpper(c));
      }
    }
  } else if (isAlphabet(r)) {
    type = 'alpha';
    take((c) => isAlphabet(c) && !isUpper(c));
  } else if (isNumber(r)) {
    type = 'number';
    take(isNumber);
  } else {
    type = 'other';
    take((c) => !(isConnector(c) || isAlphabet(c) || isNumber(c) || isPunct(c)));
  }
  return { type, word: str.slice(0, n), rest: str.slice(n) };
}

function lowerWord(out: string[], type: WordType, word: readonly string[], connector: string): void {
  if (type !== 'upper' && type !== 'connector') {
    out.push(...word);
    return;
  }
  for (const r of word) out.push(isConnector(r) ? connector : isUpper(r) ? toLower(r) : r);
}

/** xstrings.camelCaseToLowerCase: snake_case with '_', kebab-case with '-'. */
export function toLowerCaseWords(s: string, connector: string): string {
  if (s === '') return '';
  const out: string[] = [];
  let { type: wt, word, rest } = nextWord([...s]);
  const advance = (): void => {
    ({ type: wt, word, rest } = nextWord(rest));
  };
  const cur = (): WordType => wt;
  while (rest.length > 0) {
    if (cur() !== 'connector') lowerWord(out, cur(), word, connector);
    const prev = wt;
    const last = word;
    advance();
    switch (prev) {
      case 'number':
        while (cur() === 'alpha' || cur() === 'number') {
          lowerWord(out, cur(), word, connector);
          advance();
        }
        if (cur() !== 'invalid' && cur() !== 'punct' && cur() !== 'connector') out.push(connector);
        break;
      case 'connector':
        lowerWord(out, prev, last, connector);
        break;
      case 'punct':
        break;
      default: {
        if (cur() !== 'number') {
          if (cur() !== 'connector' && cur() !== 'punct') out.push(connector);
          break;
        }
        if (rest.length === 0) break;
        const lastNum = word;
        advance();
        if (cur() !== 'alpha') {
          lowerWord(out, 'number', lastNum, connector);
          if (cur() !== 'connector' && cur() !== 'punct') out.push(connector);
          break;
        }
        out.push(connector);
        lowerWord(out, 'number', lastNum, connector);
        while (cur() === 'alpha' || cur() === 'number') {
          lowerWord(out, cur(), word, connector);
          advance();
        }
        if (cur() !== 'invalid' && cur() !== 'connector' && cur() !== 'punct') out.push(connector);
      }
    }
  }
  lowerWord(out, cur(), word, connector);
  return out.join('');
}

/** xstrings.ToPascalCase (sprig's camelcase). */
export function toPascalCase(s: string): string {
  const runes = [...s];
  if (runes.length === 0) return '';
  const out: string[] = [];
  let firstUpper = false;
  let r0 = '';
  let i = 0;
  let found = false;
  while (i < runes.length) {
    r0 = runes[i++] ?? '';
    if (!isConnector(r0)) {
      firstUpper = isUpper(r0);
      r0 = toUpper(r0);
      found = true;
      break;
    }
    out.push(r0);
  }
  if (i >= runes.length) {
    if (found) out.push(r0);
    return out.join('');
  }
  while (i < runes.length) {
    const r1 = r0;
    r0 = runes[i++] ?? '';
    if (isConnector(r0) && isConnector(r1)) {
      out.push(r1);
      continue;
    }
    if (isConnector(r1)) {
      firstUpper = isUpper(r0);
      r0 = toUpper(r0);
    } else {
      if (firstUpper) {
        if (isUpper(r0)) r0 = toLower(r0);
        else firstUpper = false;
      }
      out.push(r1);
    }
  }
  out.push(r0);
  return out.join('');
}

/**
 * goutils.SwapCase: upper and title case to lower, lower to upper. (Go title-cases a lower-case letter
 * after whitespace; that differs from upper case only for the four Latin digraph letters, ǅ ǈ ǋ ǲ.)
 */
export function swapCase(s: string): string {
  return [...s]
    .map((c) => {
      if (isUpper(c) || isTitleCase(c)) return toLower(c);
      if (isLowerCase(c)) return toUpper(c);
      return c;
    })
    .join('');
}
