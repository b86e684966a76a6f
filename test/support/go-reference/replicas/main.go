// Oracle for bench/argo-replicas-diff.ts: reads one JSON case per line on stdin, answers one JSON
// line per case on stdout with what Argo Rollouts' own functions return for it. Built against the
// published argo-rollouts module by build.sh; not part of Slipway.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/utils/replicaset"
	appsv1 "k8s.io/api/apps/v1"
)

type input struct {
	Rollout  v1alpha1.Rollout         `json:"rollout"`
	NewRS    *appsv1.ReplicaSet       `json:"newRS"`
	StableRS *appsv1.ReplicaSet       `json:"stableRS"`
	OlderRSs []*appsv1.ReplicaSet     `json:"olderRSs"`
	Weights  *v1alpha1.TrafficWeights `json:"weights"`
}

type output struct {
	Canary        *int32 `json:"canary,omitempty"`
	Stable        *int32 `json:"stable,omitempty"`
	BasicCanary   *int32 `json:"basicCanary,omitempty"`
	BasicStable   *int32 `json:"basicStable,omitempty"`
	SetWeight     int32  `json:"setWeight"`
	ScaleReplicas *int32 `json:"scaleReplicas,omitempty"`
	ScaleWeight   int32  `json:"scaleWeight"`
	Error         string `json:"error,omitempty"`
}

func answer(line []byte) (out output) {
	defer func() {
		if r := recover(); r != nil {
			out = output{Error: fmt.Sprint("panic: ", r)}
		}
	}()
	var in input
	if err := json.Unmarshal(line, &in); err != nil {
		return output{Error: err.Error()}
	}
	ro := &in.Rollout
	out.SetWeight = replicaset.GetCurrentSetWeight(ro)
	out.ScaleReplicas, out.ScaleWeight = replicaset.GetCanaryReplicasOrWeight(ro, in.NewRS, in.StableRS)
	if ro.Spec.Strategy.Canary.TrafficRouting != nil {
		c, s := replicaset.CalculateReplicaCountsForTrafficRoutedCanary(ro, in.NewRS, in.StableRS, in.Weights)
		out.Canary, out.Stable = &c, &s
	} else {
		c, s := replicaset.CalculateReplicaCountsForBasicCanary(ro, in.NewRS, in.StableRS, in.OlderRSs)
		out.BasicCanary, out.BasicStable = &c, &s
	}
	return out
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	writer := bufio.NewWriter(os.Stdout)
	defer writer.Flush()
	encoder := json.NewEncoder(writer)
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
