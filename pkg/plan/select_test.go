package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/provider"
)

func TestSelectLocations(t *testing.T) {
	var all []*provider.Target
	for i := range 200 {
		all = append(all, &provider.Target{Kind: "location", ID: fmt.Sprintf("loc-%03d", i)})
	}
	t.Run("shards split with no overlap and no gap", func(t *testing.T) {
		seen := map[string]int{}
		for i := range 4 {
			got, err := Select(all, Options{ShardIndex: i, ShardCount: 4})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatalf("shard %d is empty", i)
			}
			for _, l := range got {
				seen[l.ID]++
			}
		}
		if len(seen) != len(all) {
			t.Fatalf("union has %d locations, want %d", len(seen), len(all))
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("%s in %d shards", id, n)
			}
		}
	})
	t.Run("location filter", func(t *testing.T) {
		got, err := Select(all, Options{Targets: []string{"loc-009", "loc-002", "loc-009"}})
		if err != nil || len(got) != 2 || got[0].ID != "loc-002" {
			t.Fatalf("got %v, %v", got, err)
		}
	})
	t.Run("unknown location", func(t *testing.T) {
		_, err := Select(all, Options{Targets: []string{"nope"}})
		if err == nil || !strings.Contains(err.Error(), "no manifest declares location nope") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("bad shard", func(t *testing.T) {
		if _, err := Select(all, Options{ShardIndex: 4, ShardCount: 4}); err == nil {
			t.Fatal("want an error")
		}
	})
}
