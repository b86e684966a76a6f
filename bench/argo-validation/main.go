// Oracle for bench/argo-validation-diff.ts: reads one Rollout (JSON) per line on stdin and answers
// one JSON line per Rollout with the errors Argo Rollouts' own validation reports for it: every
// error of ValidateRollout, then the router configuration checks the controller makes before it
// reads referenced objects. Built against the published argo-rollouts module by build.sh.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/validation"
)

type output struct {
	Errors []string `json:"errors"`
	Error  string   `json:"error,omitempty"`
}

func answer(line []byte) (out output) {
	defer func() {
		if r := recover(); r != nil {
			out = output{Error: fmt.Sprint("panic: ", r)}
		}
	}()
	var ro v1alpha1.Rollout
	if err := json.Unmarshal(line, &ro); err != nil {
		return output{Error: err.Error()}
	}
	out.Errors = []string{}
	for _, e := range validation.ValidateRollout(&ro) {
		out.Errors = append(out.Errors, e.Error())
	}
	for _, check := range []func(*v1alpha1.Rollout) error{
		validation.ValidateRolloutNginxIngressesConfig,
		validation.ValidateRolloutAlbIngressesConfig,
		validation.ValidateRolloutVirtualServicesConfig,
	} {
		if err := check(&ro); err != nil {
			out.Errors = append(out.Errors, err.Error())
			break
		}
	}
	return out
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	writer := bufio.NewWriter(os.Stdout)
	defer writer.Flush()
	encoder := json.NewEncoder(writer)
	encoder.SetEscapeHTML(false)
	for scanner.Scan() {
		if err := encoder.Encode(answer(scanner.Bytes())); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
