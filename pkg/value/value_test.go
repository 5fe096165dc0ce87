package value

import (
	"errors"
	"reflect"
	"testing"
)

func TestMapAt(t *testing.T) {
	m := Map{
		"details": Map{
			"calendarId":       "cal",
			"followupSequence": []any{Map{"id": 1.0, "workflowId": "a"}, Map{"id": 2.0}, "not an object"},
		},
	}
	upper := func(v any) (any, error) {
		if s, ok := v.(string); ok {
			return s + "!", nil
		}
		return v, nil
	}
	for _, path := range [][]string{
		{"details", "calendarId"},
		{"details", "followupSequence", Each, "workflowId"},
		{"details", "missing", "x"},
		{"details", "calendarId", "x"}, // a string on the way: skipped
	} {
		if err := MapAt(m, path, upper); err != nil {
			t.Fatal(err)
		}
	}
	want := Map{
		"details": Map{
			"calendarId":       "cal!",
			"followupSequence": []any{Map{"id": 1.0, "workflowId": "a!"}, Map{"id": 2.0}, "not an object"},
		},
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("got %v\nwant %v", m, want)
	}
	boom := errors.New("boom")
	if err := MapAt(m, []string{"details", "calendarId"}, func(any) (any, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
}
