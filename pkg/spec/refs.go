package spec

import (
	"fmt"
	"strings"
)

// refFields are the fields, per action type, that take the id of a
// location-owned object and so accept {name: ...} instead. A path segment
// "[]" stands for every item of a list.
var refFields = map[string][]refField{
	"triggerWorkflow":    {{"workflowIds[]", RefWorkflow}},
	"appointmentBooking": {{"calendarId", RefCalendar}, {"workflowIds[]", RefWorkflow}},
	"updateContactField": {{"contactFieldId", RefCustomField}},
	"humanHandOver":      {{"assignToUserId", RefUser}},
	"advancedFollowup":   {{"followupSequence[].workflowId", RefWorkflow}},
}

// agentRefFields are the agent settings that accept name references.
var agentRefFields = []refField{{"knowledgeBaseIds[]", RefKnowledgeBase}}

type refField struct {
	path string
	kind RefKind
}

// collectRefs returns the name references under n at the given fields.
func collectRefs(n *node, fields []refField) []Ref {
	var out []Ref
	for _, f := range fields {
		walkRefPath(n, strings.Split(f.path, "."), "", func(v *node, path string) {
			if v.kind != mapKind {
				return // a literal id
			}
			r := Ref{Pos: v.pos, Kind: f.kind, Path: path}
			r.Name, _ = v.get("name").str()
			r.Email, _ = v.get("email").str()
			out = append(out, r)
		})
	}
	return out
}

// walkRefPath calls fn for every value at the dotted path below n, where a
// segment ending in [] visits every item of a list.
func walkRefPath(n *node, segs []string, prefix string, fn func(*node, string)) {
	if n == nil || len(segs) == 0 {
		return
	}
	key, list := strings.CutSuffix(segs[0], "[]")
	v := n.get(key)
	if v == nil {
		return
	}
	path := joinPath(prefix, key)
	visit := func(v *node, path string) {
		if len(segs) == 1 {
			fn(v, path)
			return
		}
		walkRefPath(v, segs[1:], path, fn)
	}
	if !list {
		visit(v, path)
		return
	}
	if v.kind != seqKind {
		return
	}
	for i, it := range v.items {
		visit(it, fmt.Sprintf("%s[%d]", path, i))
	}
}
