package plan

import (
	"reflect"
	"testing"
)

func TestLineDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want []lineOp
	}{
		{"equal", "a\nb", "a\nb", []lineOp{{' ', "a"}, {' ', "b"}}},
		{"changed middle", "a\nb\nc", "a\nx\nc", []lineOp{{' ', "a"}, {'-', "b"}, {'+', "x"}, {' ', "c"}}},
		{"appended", "a", "a\nb", []lineOp{{' ', "a"}, {'+', "b"}}},
		{"removed first", "a\nb", "b", []lineOp{{'-', "a"}, {' ', "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lineDiff(tt.a, tt.b); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnifiedCollapsesUnchangedRuns(t *testing.T) {
	ops := lineDiff("1\n2\n3\n4\n5\n6\n7\n8", "1\n2\n3\n4\nX\n6\n7\n8")
	got := unified(ops)
	want := []lineOp{{0, "…"}, {' ', "3"}, {' ', "4"}, {'-', "5"}, {'+', "X"}, {' ', "6"}, {' ', "7"}, {0, "…"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}
