// Reference for Slipway's expr differential tests (test/unit/expr/differential.test.ts): reads one JSON
// case per line on stdin and answers one JSON line per case on stdout with what expr-lang/expr and Argo
// Rollouts' utils/evaluate do with it. Built against the published modules by build.sh; not part of Slipway.
//
// Case:   {"mode":"expr","expr":"...","env":{...}}  expr.Compile(expr[, expr.Env(env)]) then expr.Run(program, env)
//         {"mode":"metric","success":"...","failure":"...","result":V}  evaluate.EvaluateResult
// Env numbers are int when written as integers (as Kubernetes decodes them), float64 otherwise.
// Values: JSON, except {"$f":"NaN"|"+Inf"|"-Inf"|"-0"} for floats JSON cannot hold. Every JSON number in a
// result is a float64, as Argo's providers hand it over.
// Answer: {"phase":"...","error":"...","value":V} with V tagged: {"int":"12"}, {"float":1.5 or "NaN"…},
// strings, bools, null, arrays, objects; {"other":"%T"} for anything else.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/utils/evaluate"
	"github.com/expr-lang/expr"
	"github.com/sirupsen/logrus"
)

type input struct {
	Mode    string          `json:"mode"`
	Expr    string          `json:"expr"`
	Success string          `json:"success"`
	Failure string          `json:"failure"`
	Result  json.RawMessage `json:"result"`
	Env     json.RawMessage `json:"env"`
}

type output struct {
	Phase string `json:"phase,omitempty"`
	Error string `json:"error,omitempty"`
	Value any    `json:"value,omitempty"`
	Ok    bool   `json:"ok"`
}

func decode(v any) any {
	switch t := v.(type) {
	case json.Number:
		// Environments keep Kubernetes' number kinds: int64 for integers, float64 otherwise.
		if i, err := t.Int64(); err == nil {
			return int(i)
		}
		f, _ := t.Float64()
		return f
	case []any:
		for i := range t {
			t[i] = decode(t[i])
		}
		return t
	case map[string]any:
		if s, ok := t["$f"].(string); ok && len(t) == 1 {
			switch s {
			case "NaN":
				return math.NaN()
			case "+Inf":
				return math.Inf(1)
			case "-Inf":
				return math.Inf(-1)
			case "-0":
				return math.Copysign(0, -1)
			}
		}
		for k := range t {
			t[k] = decode(t[k])
		}
		return t
	}
	return v
}

func tagFloat(f float64) any {
	switch {
	case math.IsNaN(f):
		return map[string]any{"float": "NaN"}
	case math.IsInf(f, 1):
		return map[string]any{"float": "+Inf"}
	case math.IsInf(f, -1):
		return map[string]any{"float": "-Inf"}
	case f == 0 && math.Signbit(f):
		return map[string]any{"float": "-0"}
	}
	return map[string]any{"float": f}
}

func tag(v any) any {
	switch t := v.(type) {
	case nil:
		return nil
	case bool, string:
		return t
	case int:
		return map[string]any{"int": strconv.Itoa(t)}
	case int64:
		return map[string]any{"int": strconv.FormatInt(t, 10)}
	case float64:
		return tagFloat(t)
	case []any:
		out := make([]any, len(t))
		for i := range t {
			out[i] = tag(t[i])
		}
		return out
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := map[string]any{}
		for _, k := range keys {
			out[k] = tag(t[k])
		}
		return map[string]any{"map": out}
	}
	return map[string]any{"other": fmt.Sprintf("%T", v)}
}

func answer(line []byte) (out output) {
	defer func() {
		if r := recover(); r != nil {
			out = output{Error: fmt.Sprint("panic: ", r)}
		}
	}()
	var in input
	if err := json.Unmarshal(line, &in); err != nil {
		return output{Error: "bad case: " + err.Error()}
	}
	switch in.Mode {
	case "expr":
		var env map[string]any
		options := []expr.Option{}
		if len(in.Env) > 0 {
			decoder := json.NewDecoder(bytes.NewReader(in.Env))
			decoder.UseNumber()
			if err := decoder.Decode(&env); err != nil {
				return output{Error: "bad env: " + err.Error()}
			}
			env = decode(env).(map[string]any)
			options = append(options, expr.Env(env))
		}
		program, err := expr.Compile(in.Expr, options...)
		if err != nil {
			return output{Error: err.Error()}
		}
		value, err := expr.Run(program, env)
		if err != nil {
			return output{Error: err.Error()}
		}
		return output{Ok: true, Value: tag(value)}
	case "metric":
		var result any
		if len(in.Result) > 0 {
			if err := json.Unmarshal(in.Result, &result); err != nil {
				return output{Error: "bad result: " + err.Error()}
			}
		}
		result = decode(result)
		metric := v1alpha1.Metric{SuccessCondition: in.Success, FailureCondition: in.Failure}
		phase, err := evaluate.EvaluateResult(result, metric, *logrus.NewEntry(logrus.New()))
		out = output{Ok: err == nil, Phase: string(phase)}
		if err != nil {
			out.Error = err.Error()
		}
		return out
	}
	return output{Error: "bad case: unknown mode " + in.Mode}
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	writer := bufio.NewWriter(os.Stdout)
	defer writer.Flush()
	for scanner.Scan() {
		line, _ := json.Marshal(answer(scanner.Bytes()))
		writer.Write(line)
		writer.WriteByte('\n')
	}
}
