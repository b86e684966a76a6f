// Reference for Slipway's Go template differential tests (test/unit/gotemplate/differential.test.ts):
// reads one JSON case per line on stdin and answers one JSON line per case on stdout with what Go's
// text/template plus sprig v3 make of it, configured as notifications-engine's pkg/templates does
// (sprig.TxtFuncMap() without env and expandenv). Built by build.sh; not part of Slipway.
//
// Case:   {"template":"...","data":V}  V decoded by encoding/json into interface{} (numbers are float64,
//         as Argo Rollouts' toObjectMap hands a Rollout to notifications-engine), except {"$int": n},
//         which is a Go int (typed data, as Argo CD's unstructured objects carry int64s).
// Answer: {"output":"..."} or {"error":true,"message":"..."}; a panic is an error too.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

type input struct {
	Template string          `json:"template"`
	Data     json.RawMessage `json:"data"`
}

type output struct {
	Output  *string `json:"output,omitempty"`
	Error   bool    `json:"error,omitempty"`
	Message string  `json:"message,omitempty"`
}

// Largest output a case may produce; bigger outputs are reported as errors (the generator avoids them).
const maxOutput = 1 << 20

type cappedBuffer struct{ bytes.Buffer }

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > maxOutput {
		return 0, fmt.Errorf("output exceeds %d bytes", maxOutput)
	}
	return b.Buffer.Write(p)
}

func answer(funcs template.FuncMap, line []byte) (out output) {
	defer func() {
		if r := recover(); r != nil {
			out = output{Error: true, Message: fmt.Sprint("panic: ", r)}
		}
	}()
	var in input
	if err := json.Unmarshal(line, &in); err != nil {
		return output{Error: true, Message: "bad case: " + err.Error()}
	}
	var data any
	if len(in.Data) > 0 {
		if err := json.Unmarshal(in.Data, &data); err != nil {
			return output{Error: true, Message: "bad data: " + err.Error()}
		}
	}
	data = decodeInts(data)
	tmpl, err := template.New("t").Funcs(funcs).Parse(in.Template)
	if err != nil {
		return output{Error: true, Message: err.Error()}
	}
	var buf cappedBuffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return output{Error: true, Message: err.Error()}
	}
	s := buf.String()
	return output{Output: &s}
}

// decodeInts turns {"$int": n} into the Go int n, everywhere in v.
func decodeInts(v any) any {
	switch t := v.(type) {
	case []any:
		for i := range t {
			t[i] = decodeInts(t[i])
		}
	case map[string]any:
		if n, ok := t["$int"].(float64); ok && len(t) == 1 {
			return int(n)
		}
		for k := range t {
			t[k] = decodeInts(t[k])
		}
	}
	return v
}

func main() {
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<20), 64<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		if err := enc.Encode(answer(funcs, in.Bytes())); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
