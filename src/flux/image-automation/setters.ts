import { isMap, isSeq, type Node, parseAllDocuments, type Scalar, visit } from 'yaml';
import { type ScalarStyle, scalarText } from './scalar-text.js';
import { markerSetter, SETTER_TOKEN, type SetterValue } from './setter-values.js';

/** The object a change was made in (kyaml's ResourceIdentifier: apiVersion, kind, name, namespace). */
export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** One field a setter changed. */
export interface SetterChange {
  readonly object: ObjectId;
  readonly setter: string;
  readonly oldValue: string;
  readonly newValue: string;
}

/** A file's new text and what changed in it; `text` is undefined when nothing did. */
export interface FileUpdate {
  readonly text: string | undefined;
  readonly changes: readonly SetterChange[];
  /** The file held the marker token but is not YAML (Flux's "problem files"): left untouched. */
  readonly unparsable?: boolean;
}

/** Files the Setters strategy reads: `.yaml`, `.yml`, and kustomize's `Kustomization`. */
export function isSetterCandidate(fileName: string): boolean {
  return /\.ya?ml$/.test(fileName) || fileName === 'Kustomization';
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function objectIdOf(contents: unknown): ObjectId | undefined {
  if (!isMap(contents)) return undefined;
  const top = contents.toJSON() as Record<string, unknown> | null;
  const meta = (top?.metadata ?? {}) as Record<string, unknown>;
  return {
    apiVersion: str(top?.apiVersion),
    kind: str(top?.kind),
    name: str(meta.name),
    namespace: str(meta.namespace),
  };
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The comment written after a scalar on its own line (`value # comment`), if any. */
function lineComment(text: string, valueEnd: number): string | undefined {
  const nl = text.indexOf('\n', valueEnd);
  const rest = text.slice(valueEnd, nl === -1 ? text.length : nl).replace(/\r$/, '');
  const m = /^[ \t]+#(.*)$/.exec(rest);
  return m ? `#${m[1]}` : undefined;
}

function styleOf(node: Scalar): ScalarStyle | undefined {
  const t = node.type;
  return t === 'PLAIN' || t === 'QUOTE_SINGLE' || t === 'QUOTE_DOUBLE' ? t : undefined;
}

/**
 * Applies image policy setters to one file's text, as Flux's Setters strategy does, but edits only
 * the marked scalars' own characters: every other byte (comments, indentation, key order, quoting
 * elsewhere) stays as it was. A scalar is marked by a comment on its line (`image: app:1.0 #
 * {"$imagepolicy": "ns:policy"}`), or by a one-line comment above it when it is a sequence item.
 * Setters not in `setters` (unknown or not-ready policies) are ignored. Files without the
 * `"$imagepolicy"` token are not parsed. Pure.
 */
export function applySettersToText(text: string, setters: ReadonlyMap<string, SetterValue>): FileUpdate {
  const steps = setterSteps(text, setters);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * {@link applySettersToText} one document at a time: the generator yields after each parsed
 * document so that a caller can give the event loop a turn between them; its return value is the
 * file's update. Pure.
 */
export function* setterSteps(
  text: string,
  setters: ReadonlyMap<string, SetterValue>,
): Generator<void, FileUpdate, void> {
  if (!text.includes(SETTER_TOKEN)) return { text: undefined, changes: [] };
  const edits: Edit[] = [];
  const changes: SetterChange[] = [];
  // only the documents holding the token are parsed: a large multi-document file with one marked
  // object costs one small parse, not one of the whole file
  for (const [from, to] of documentChunks(text)) {
    const chunk = text.slice(from, to);
    if (!chunk.includes(SETTER_TOKEN)) continue;
    if (!collectEdits(text, chunk, from, setters, edits, changes))
      return { text: undefined, changes: [], unparsable: true };
    yield;
  }
  if (edits.length === 0) return { text: undefined, changes: [] };
  let out = '';
  let at = 0;
  for (const e of edits.sort((a, b) => a.start - b.start)) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  out += text.slice(at);
  return { text: out, changes };
}

/**
 * Offsets of the file's documents: split before every line starting with the `---` marker (YAML
 * forbids that line inside any scalar, so it always starts a document).
 */
export function documentChunks(text: string): [number, number][] {
  const out: [number, number][] = [];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    if (m.index > start) out.push([start, m.index]);
    start = m.index;
  }
  out.push([start, text.length]);
  return out;
}

/** Adds the edits and changes of one chunk (offset `base` in `text`); false when it is not YAML. */
function collectEdits(
  text: string,
  chunk: string,
  base: number,
  setters: ReadonlyMap<string, SetterValue>,
  edits: Edit[],
  changes: SetterChange[],
): boolean {
  const docs = parseAllDocuments(chunk, { keepSourceTokens: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length > 0)) return false;
  for (const doc of list) {
    const object = objectIdOf(doc.contents);
    visit(doc, {
      Scalar(key, node, path) {
        if (key === 'key' || !node.range) return;
        const style = styleOf(node);
        if (!style) return;
        const [start, end] = [node.range[0] + base, node.range[1] + base];
        const parent = path[path.length - 1] as Node | undefined;
        const comment =
          lineComment(text, end) ??
          (isSeq(parent) && node.commentBefore && !node.commentBefore.includes('\n')
            ? `#${node.commentBefore}`
            : undefined);
        const setter = comment !== undefined ? markerSetter(comment) : undefined;
        const target = setter !== undefined ? setters.get(setter) : undefined;
        if (setter === undefined || target === undefined) return;
        const oldValue = typeof node.value === 'string' ? node.value : text.slice(start, end);
        if (oldValue === target.value) return;
        const inFlow = path.some((p) => (isMap(p) || isSeq(p)) && p.flow === true);
        edits.push({ start, end, text: scalarText(target.value, style, inFlow) });
        // kyaml records a change only for objects it can read metadata from (mapping documents)
        if (object) changes.push({ object, setter, oldValue, newValue: target.value });
      },
    });
  }
  return true;
}

/** A manifest file read from the update path (`path` relative to it, `/`-separated). */
export interface ManifestFile {
  readonly path: string;
  readonly text: string;
}

/** What applying the setters to a set of files did. */
export interface SettersOutcome {
  /** Files whose text changed, with the new text. */
  readonly writes: readonly ManifestFile[];
  /** Changes per file (only files with recorded changes), in path order. */
  readonly changes: ReadonlyMap<string, readonly SetterChange[]>;
  /** Files holding the marker token that are not YAML: left as they were. */
  readonly unparsable: readonly string[];
}

/** Collects per-file updates into a {@link SettersOutcome} (files in path order). Pure. */
export class SettersCollector {
  private readonly writes: ManifestFile[] = [];
  private readonly changes = new Map<string, readonly SetterChange[]>();
  private readonly unparsable: string[] = [];

  static order(files: readonly ManifestFile[]): ManifestFile[] {
    return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  add(path: string, u: FileUpdate): void {
    if (u.unparsable) this.unparsable.push(path);
    if (u.text === undefined) return;
    this.writes.push({ path, text: u.text });
    if (u.changes.length > 0) this.changes.set(path, u.changes);
  }

  outcome(): SettersOutcome {
    return { writes: this.writes, changes: this.changes, unparsable: this.unparsable };
  }
}

/** Applies the setters to every file (see {@link applySettersToText}). Pure. */
export function applySetters(
  files: readonly ManifestFile[],
  setters: ReadonlyMap<string, SetterValue>,
): SettersOutcome {
  const collector = new SettersCollector();
  for (const f of SettersCollector.order(files)) collector.add(f.path, applySettersToText(f.text, setters));
  return collector.outcome();
}
