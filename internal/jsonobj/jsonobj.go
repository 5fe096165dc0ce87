// Package jsonobj writes and reads JSON objects field by field, in order:
// for the plan and report types whose field names come from data (kind
// names), which encoding/json's struct tags cannot express.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Writer builds one JSON object. Values are encoded with encoding/json
// without escaping <, > and &. The first error sticks and Bytes returns it.
type Writer struct {
	buf bytes.Buffer
	n   int
	err error
}

// Field appends a field.
func (w *Writer) Field(name string, v any) {
	if w.err != nil {
		return
	}
	if w.n == 0 {
		w.buf.WriteByte('{')
	} else {
		w.buf.WriteByte(',')
	}
	w.n++
	if err := encode(&w.buf, name); err != nil {
		w.err = err
		return
	}
	w.buf.WriteByte(':')
	if err := encode(&w.buf, v); err != nil {
		w.err = fmt.Errorf("field %s: %w", name, err)
	}
}

// Bytes returns the object.
func (w *Writer) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.n == 0 {
		return []byte("{}"), nil
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), nil
}

func encode(buf *bytes.Buffer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return nil
}

// Decode calls fn for each field of the JSON object data, in order. A field
// given twice is an error.
func Decode(data []byte, fn func(name string, raw json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("want an object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		if seen[name] {
			return fmt.Errorf("field %q given twice", name)
		}
		seen[name] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("field %s: %w", name, err)
		}
		if err := fn(name, raw); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}
