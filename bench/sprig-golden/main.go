// Sprig golden oracle: reads a JSON array of cases [{name, template, data}] on stdin and writes each
// case's Go answer as a JSON array [{expected} | {error}], executing with Go's text/template and
// sprig v3.3.0's TxtFuncMap() minus env and expandenv, as notifications-engine configures it.
// Data is decoded as notifications-engine receives it (map[string]interface{}, float64 numbers);
// {"$time": "<RFC 3339>"} becomes a time.Time. Errors keep only the part after `at <...>: `.
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"
)

type result struct {
	Expected *string `json:"expected,omitempty"`
	Error    *string `json:"error,omitempty"`
}

func decode(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		if s, ok := x["$time"].(string); ok && len(x) == 1 {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				panic(err)
			}
			return t
		}
		for k, e := range x {
			x[k] = decode(e)
		}
		return x
	case []interface{}:
		for i, e := range x {
			x[i] = decode(e)
		}
		return x
	}
	return v
}

func run(name, text string, data interface{}) result {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	t, err := template.New(name).Funcs(f).Parse(text)
	if err != nil {
		msg := err.Error()
		return result{Error: &msg}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		msg := err.Error()
		if i := strings.Index(msg, ">: "); i >= 0 {
			msg = msg[i+3:]
		}
		return result{Error: &msg}
	}
	out := buf.String()
	return result{Expected: &out}
}

func main() {
	var cases []struct {
		Name     string      `json:"name"`
		Template string      `json:"template"`
		Data     interface{} `json:"data"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	out := make([]result, len(cases))
	for i, c := range cases {
		out[i] = run(c.Name, c.Template, decode(c.Data))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
}
