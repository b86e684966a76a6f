import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../../src/errors/index.js';
import {
  createTimeNamespace,
  GoDuration,
  GoTime,
  parse,
  parseGoDuration,
  parseRfc3339,
  TemplateExecError,
  TemplateLimitError,
  TemplateParseError,
} from '../../../src/gotemplate/index.js';

const NOW = new Date('2024-03-05T07:08:09.123Z');

describe('parse / execute', () => {
  it('returns a reusable template with its name and defined templates', () => {
    const t = parse('msg', '{{define "x"}}[{{.}}]{{end}}{{template "x" .a}}');
    assert.equal(t.name, 'msg');
    assert.deepEqual([...t.templateNames].sort(), ['msg', 'x']);
    assert.equal(t.execute({ a: 1 }), '[1]');
    assert.equal(t.execute({ a: 2 }), '[2]');
    assert.equal(t.execute(5, { template: 'x' }), '[5]');
  });

  it('uses the injected clock for now, date and time.Now', () => {
    const t = parse('clock', '{{ now | date "15:04" }} {{ time.Now.Year }} {{ .time.Now.Minute }}');
    assert.equal(t.execute({ time: createTimeNamespace(() => NOW) }, { now: NOW }), '07:08 2024 8');
  });

  it('accepts extra functions that override the defaults', () => {
    const t = parse('fn', '{{ shout .s }} {{ upper "x" }}', {
      funcs: { shout: (s) => `${String(s)}!`, upper: () => 'custom' },
    });
    assert.equal(t.execute({ s: 'hi' }), 'hi! custom');
  });

  it('calls JS methods on class instances like Go methods', () => {
    class Repo {
      constructor(private readonly owner: string) {}
      Owner(): string {
        return this.owner;
      }
      Commit(rev: unknown): { Author: string } {
        return { Author: `${this.owner}@${String(rev)}` };
      }
    }
    const t = parse('m', '{{ .repo.Owner }} {{ (.repo.Commit "abc").Author }}');
    assert.equal(t.execute({ repo: new Repo('jane') }), 'jane jane@abc');
  });

  it('never exposes constructor or prototype members', () => {
    const t = parse('proto', '{{ .t.constructor }}');
    assert.throws(() => t.execute({ t: new GoDuration(1) }), /can't evaluate field constructor/);
    assert.equal(parse('proto2', '{{ .m.constructor }}').execute({ m: {} }), '<no value>');
    assert.equal(parse('proto3', '{{ .m.toString }}').execute({ m: {} }), '<no value>');
  });

  it('rejects asynchronous functions', () => {
    const t = parse('async', '{{ call .f }}');
    assert.throws(() => t.execute({ f: async () => 1 }), /asynchronous functions are not supported/);
  });
});

describe('errors', () => {
  it('reports parse errors with code, location and Go wording', () => {
    const err = (() => {
      try {
        parse('tpl', 'line one\n{{ .a } }}');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof TemplateParseError);
    assert.ok(err instanceof SlipwayError);
    assert.equal(err.code, 'TEMPLATE_PARSE');
    assert.equal(err.message, 'template: tpl:2:6: unexpected "}" in operand');
    assert.deepEqual(err.location, { templateName: 'tpl', line: 2, column: 6 });
  });

  it('reports exec errors with the executing template and node', () => {
    const t = parse('top', 'a\n{{define "inner"}}{{index .l 3}}{{end}}{{template "inner" .}}');
    assert.throws(
      () => t.execute({ l: [1] }),
      (e: unknown) =>
        e instanceof TemplateExecError &&
        e.code === 'TEMPLATE_EXEC' &&
        e.message ===
          'template: top:2:20: executing "inner" at <index .l 3>: error calling index: index out of range: 3',
    );
  });

  it('wraps exceptions from data functions', () => {
    const t = parse('boom', '{{ call .f 1 }}');
    assert.throws(
      () =>
        t.execute({
          f: () => {
            throw new TypeError('bad input');
          },
        }),
      (e: unknown) => e instanceof TemplateExecError && e.message.endsWith('error calling call: bad input'),
    );
  });

  it('enforces output, step and depth limits with TEMPLATE_LIMIT', () => {
    const isLimit = (e: unknown): boolean => e instanceof TemplateLimitError && e.code === 'TEMPLATE_LIMIT';
    assert.throws(
      () => parse('o', '{{ range 100 }}xxxxxxxxxx{{ end }}', { maxOutputBytes: 100 }).execute(null),
      isLimit,
    );
    assert.throws(
      () =>
        parse('s', '{{ range .l }}{{ . }}{{ end }}', { maxSteps: 100 }).execute({
          l: new Array(1000).fill(1),
        }),
      isLimit,
    );
    assert.throws(
      () =>
        parse('d', '{{define "r"}}{{template "r"}}{{end}}{{template "r"}}', { maxDepth: 5 }).execute(null),
      isLimit,
    );
    assert.throws(
      () => parse('n', '{{ if 1 }}'.repeat(20) + '{{ end }}'.repeat(20), { maxNesting: 10 }),
      isLimit,
    );
  });

  it('bounds exponential string growth', () => {
    const t = parse(
      'grow',
      '{{ $s := "ab" }}{{ range 40 }}{{ $s = printf "%s%s" $s $s }}{{ end }}{{ len $s }}',
    );
    assert.throws(
      () => t.execute(null),
      (e: unknown) => e instanceof TemplateLimitError,
    );
  });

  it('reports cyclic data as a limit instead of overflowing the stack', () => {
    const m: Record<string, unknown> = {};
    m.self = m;
    assert.throws(
      () => parse('cyc', '{{ .m }}').execute({ m }),
      (e: unknown) => e instanceof TemplateLimitError,
    );
    assert.equal(parse('cycj', '{{ toJson .m }}').execute({ m }), '');
  });
});

describe('GoTime and GoDuration', () => {
  it('formats with Go reference layouts', () => {
    const t = parseRfc3339('2006-01-02T15:04:05.999999999-07:00');
    assert.equal(t.Format('2006-01-02T15:04:05.000Z07:00'), '2006-01-02T15:04:05.999-07:00');
    assert.equal(t.UTC().Format('Mon Jan _2 15:04:05 MST 2006'), 'Mon Jan  2 22:04:05 UTC 2006');
    assert.equal(GoTime.fromDate(NOW).String(), '2024-03-05 07:08:09.123 +0000 UTC');
  });

  it('does arithmetic and comparisons', () => {
    const a = parseRfc3339('2024-01-01T00:00:00Z');
    const b = a.Add(new GoDuration(90 * 60e9));
    assert.equal(b.Sub(a).String(), '1h30m0s');
    assert.equal(b.Sub(a).Hours(), 1.5);
    assert.ok(a.Before(b) && b.After(a) && a.Equal(parseRfc3339('2024-01-01T01:00:00+01:00')));
    assert.equal(a.Unix(), 1704067200);
  });

  it('parses Go durations', () => {
    assert.equal(parseGoDuration('1h2m3.5s').String(), '1h2m3.5s');
    assert.equal(parseGoDuration('-300ms').Milliseconds(), -300);
    assert.throws(() => parseGoDuration('5 minutes'), SlipwayError);
  });

  it('rejects invalid RFC 3339 text', () => {
    assert.throws(() => parseRfc3339('2024-02-30T00:00:00Z'), /cannot parse/);
    assert.throws(() => parseRfc3339('yesterday'), SlipwayError);
  });

  it('builds the argocd-notifications time namespace from a clock', () => {
    const ns = createTimeNamespace(() => NOW);
    assert.equal(ns.Now().Format('2006-01-02'), '2024-03-05');
    assert.equal(ns.Parse('2020-01-01T00:00:00Z').Year(), 2020);
  });
});
