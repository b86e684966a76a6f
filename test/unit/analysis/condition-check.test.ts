import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conditionCompileError,
  firstConditionCompileError,
  formatConditionError,
  type Metric,
  templateConditionError,
} from '../../../src/analysis/index.js';

const metric = (name: string, conditions: Partial<Metric>): Metric =>
  ({ name, provider: { web: { url: 'http://x' } }, ...conditions }) as Metric;

describe('metric conditions compiled up front', () => {
  it('reports the first condition that does not compile, in Argo wording', () => {
    assert.equal(conditionCompileError(metric('a', { successCondition: 'result > 1' })), undefined);
    assert.equal(conditionCompileError(metric('a', {})), undefined);
    const error = conditionCompileError(
      metric('a', { successCondition: 'true', failureCondition: 'result ==' }),
    );
    assert.deepEqual(error, {
      metric: 'a',
      field: 'failureCondition',
      condition: 'result ==',
      reason: 'unexpected token EOF at line 1, column 10',
    });
    assert.equal(
      formatConditionError(error!),
      'could not evaluate failureCondition "result ==": unexpected token EOF at line 1, column 10',
    );
  });
  it('type errors the compiler can prove count too; unknown names do not (they fail only when evaluated)', () => {
    assert.ok(conditionCompileError(metric('a', { successCondition: '"a" - 1' })));
    assert.equal(conditionCompileError(metric('a', { successCondition: 'nosuchname > 1' })), undefined);
  });
  it('a run skips dry-run metrics', () => {
    const metrics = [metric('dry', { successCondition: '((' }), metric('real', { successCondition: '))' })];
    assert.equal(firstConditionCompileError(metrics, new Set(['dry']))?.metric, 'real');
    assert.equal(firstConditionCompileError(metrics.slice(0, 1), new Set(['dry'])), undefined);
  });
  it('a template fills args with defaults or a placeholder before compiling', () => {
    const spec = {
      args: [{ name: 'threshold', value: '0.9' }, { name: 'service' }],
      metrics: [
        metric('m', { successCondition: 'result >= {{args.threshold}} && "{{args.service}}" != ""' }),
      ],
    };
    assert.equal(templateConditionError({ spec }), undefined);
    const broken = { ...spec, args: [{ name: 'threshold', value: '>' }, { name: 'service' }] };
    assert.equal(templateConditionError({ spec: broken })?.condition, 'result >= > && "dummy-value" != ""');
  });
});
