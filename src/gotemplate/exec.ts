import { locate, TemplateExecError, TemplateLimitError } from './errors.js';
import { type ExecState, evalPipeline } from './exec-eval.js';
import { formatValue } from './format-value.js';
import type { FuncContext, GoFunc } from './functions.js';
import {
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type ItemNode,
  type ListNode,
  nodeString,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from './nodes.js';
import { GoInt, goInt, isGoMap, isTrue, sortedKeys } from './values.js';

/** Safety budgets for one execution. */
export interface ExecLimits {
  readonly maxOutputBytes: number;
  readonly maxSteps: number;
  readonly maxDepth: number;
}

/** What the executor needs from a parsed template set. */
export interface TemplateSet {
  readonly name: string;
  readonly text: string;
  readonly templates: ReadonlyMap<string, ListNode>;
  readonly funcs: ReadonlyMap<string, GoFunc>;
  /** Go's `missingkey=error` option: a missing map key fails the execution. Default false. */
  readonly missingKeyError?: boolean;
}

type Signal = 'break' | 'continue' | undefined;

interface Variable {
  readonly name: string;
  value: unknown;
}

class Executor implements ExecState {
  private vars: Variable[] = [];
  private out: string[] = [];
  private outBytes = 0;
  private steps = 0;
  private depth = 0;
  private current: string;

  constructor(
    private readonly set: TemplateSet,
    private readonly limits: ExecLimits,
    readonly ctx: FuncContext,
  ) {
    this.current = set.name;
  }

  get missingKeyError(): boolean {
    return this.set.missingKeyError === true;
  }

  run(name: string, data: unknown): string {
    const root = this.set.templates.get(name);
    if (!root) {
      throw new TemplateExecError(
        `template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.set.name)}`,
      );
    }
    this.current = name;
    // Go's Execute(nil) gives an invalid dot, which behaves like a missing value.
    const dot = data === null ? undefined : data;
    this.vars = [{ name: '$', value: dot }];
    this.walk(dot, root);
    return this.out.join('');
  }

  tick(): void {
    this.steps++;
    if (this.steps > this.limits.maxSteps) {
      throw new TemplateLimitError(
        `template: ${this.set.name}: execution exceeds ${this.limits.maxSteps} steps`,
      );
    }
  }

  fail(node: { readonly pos: number } & (ArgNode | CommandNode), message: string): never {
    const { line, column } = locate(this.set.text, node.pos);
    const where = `${this.set.name}:${line}:${column}`;
    throw new TemplateExecError(
      `template: ${where}: executing ${JSON.stringify(this.current)} at <${nodeString(node)}>: ${message}`,
      { templateName: this.current, line, column },
    );
  }

  private failAt(pos: number, what: string, message: string): never {
    const { line, column } = locate(this.set.text, pos);
    throw new TemplateExecError(
      `template: ${this.set.name}:${line}:${column}: executing ${JSON.stringify(this.current)} at <${what}>: ${message}`,
      { templateName: this.current, line, column },
    );
  }

  lookupFunc(name: string): GoFunc | undefined {
    return this.set.funcs.get(name);
  }

  getVar(node: VariableNode): unknown {
    const name = node.ident[0] ?? '$';
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v && v.name === name) return v.value;
    }
    return this.fail(node, `undefined variable: ${name}`);
  }

  pushVar(name: string, value: unknown): void {
    this.vars.push({ name, value });
  }

  setVar(node: VariableNode, value: unknown): void {
    const name = node.ident[0] ?? '$';
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v && v.name === name) {
        v.value = value;
        return;
      }
    }
    this.fail(node, `undefined variable: ${name}`);
  }

  private write(text: string): void {
    if (text === '') return;
    this.outBytes += Buffer.byteLength(text, 'utf8');
    if (this.outBytes > this.limits.maxOutputBytes) {
      throw new TemplateLimitError(
        `template: ${this.set.name}: output exceeds ${this.limits.maxOutputBytes} bytes`,
      );
    }
    this.out.push(text);
  }

  private walk(dot: unknown, node: ItemNode): Signal {
    this.tick();
    switch (node.type) {
      case 'text':
        this.write(node.text);
        return undefined;
      case 'action': {
        const value = evalPipeline(this, dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node.pos, node.pipe, value);
        return undefined;
      }
      case 'list':
        for (const n of node.nodes) {
          const signal = this.walk(dot, n);
          if (signal) return signal;
        }
        return undefined;
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        this.walkTemplate(dot, node);
        return undefined;
      case 'break':
      case 'continue':
        return node.type;
    }
  }

  private printValue(pos: number, pipe: PipeNode, v: unknown): void {
    if (v === undefined || v === null) {
      this.write('<no value>');
      return;
    }
    if (typeof v === 'function')
      this.failAt(pos, nodeString(pipe), `can't print ${nodeString(pipe)} of type func`);
    this.write(formatValue(v));
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): Signal {
    const mark = this.vars.length;
    try {
      const value = evalPipeline(this, dot, node.pipe);
      if (isTrue(value)) return this.walk(node.type === 'with' ? value : dot, node.list);
      return node.elseList ? this.walk(dot, node.elseList) : undefined;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: unknown, node: BranchNode): Signal {
    const mark = this.vars.length;
    try {
      const value = evalPipeline(this, dot, node.pipe);
      const declCount = node.pipe.decl.length;
      const iteration = (key: unknown, elem: unknown): Signal => {
        this.tick();
        if (declCount === 1) this.setTop(1, elem);
        if (declCount === 2) {
          this.setTop(2, key);
          this.setTop(1, elem);
        }
        const inner = this.vars.length;
        try {
          return this.walk(elem, node.list);
        } finally {
          this.vars.length = inner;
        }
      };
      const entries = this.rangeEntries(node, value, declCount);
      if (entries.length === 0) return node.elseList ? this.walk(dot, node.elseList) : undefined;
      for (const [key, elem] of entries) {
        if (iteration(key, elem) === 'break') break;
      }
      return undefined;
    } finally {
      this.vars.length = mark;
    }
  }

  private rangeEntries(node: BranchNode, value: unknown, declCount: number): (readonly [unknown, unknown])[] {
    const what = nodeString(node.pipe);
    if (Array.isArray(value)) return value.map((v, i) => [goInt(i), v] as const);
    if (isGoMap(value)) return sortedKeys(value).map((k) => [k, value[k]] as const);
    // a Go map whose keys are not strings (structs): the caller's Map holds them in Go's range order
    if (value instanceof Map) return [...(value as Map<unknown, unknown>).entries()];
    if (value === undefined || value === null) return [];
    if (value instanceof GoInt) {
      if (declCount > 1)
        this.failAt(node.pos, what, `can't use ${value} to iterate over more than one variable`);
      if (value.value > this.limits.maxSteps) {
        throw new TemplateLimitError(
          `template: ${this.set.name}: execution exceeds ${this.limits.maxSteps} steps`,
        );
      }
      return Array.from({ length: Math.max(0, value.value) }, (_, i) => {
        const n = goInt(i, value.type);
        return [n, n] as const;
      });
    }
    return this.failAt(node.pos, what, `range can't iterate over ${formatValue(value)}`);
  }

  private setTop(n: number, value: unknown): void {
    const v = this.vars[this.vars.length - n];
    if (v) v.value = value;
  }

  private walkTemplate(dot: unknown, node: TemplateNode): void {
    const tmpl = this.set.templates.get(node.name);
    const what = nodeString(node).slice(2, -2);
    if (!tmpl) {
      this.failAt(node.pos, what, `template ${JSON.stringify(node.name)} not defined`);
    }
    const newDot = node.pipe ? evalPipeline(this, dot, node.pipe) : undefined;
    if (this.depth >= this.limits.maxDepth) {
      throw new TemplateLimitError(
        `template: ${this.set.name}: exceeded maximum template depth (${this.limits.maxDepth})`,
      );
    }
    const saved = { vars: this.vars, current: this.current };
    this.depth++;
    this.vars = [{ name: '$', value: newDot }];
    this.current = node.name;
    try {
      this.walk(newDot, tmpl);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.current = saved.current;
    }
  }
}

/** Executes template `name` of `set` against `data`. */
export function executeTemplate(
  set: TemplateSet,
  name: string,
  data: unknown,
  limits: ExecLimits,
  ctx: FuncContext,
): string {
  return new Executor(set, limits, ctx).run(name, data);
}
