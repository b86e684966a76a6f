// Reference for Slipway's health differential test (test/unit/sync/health-differential.test.ts): reads
// one Kubernetes object (JSON) per line on stdin and answers one JSON line per object on stdout with
// what gitops-engine's health.GetResourceHealth (no override, as Argo CD calls it for the built-in
// kinds) makes of it. Built against the published module by build.sh; not part of Slipway.
//
// Answer: {"status":"...","message":"..."} or {"none":true} for kinds without a health check.
package main

import (
	"bufio"
	"encoding/json"
	"os"

	"github.com/argoproj/gitops-engine/pkg/health"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

type answer struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	None    bool   `json:"none,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		obj := &unstructured.Unstructured{}
		var a answer
		if err := obj.UnmarshalJSON(in.Bytes()); err != nil {
			a = answer{Status: "DecodeError", Message: err.Error()}
		} else if h, _ := health.GetResourceHealth(obj, nil); h == nil {
			a = answer{None: true}
		} else {
			a = answer{Status: string(h.Status), Message: h.Message}
		}
		if err := enc.Encode(a); err != nil {
			panic(err)
		}
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}
