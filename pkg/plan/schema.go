package plan

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/agentform/agentform/schemas"
)

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// planSchema compiles schemas/plan.schema.json once.
func planSchema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		data, err := schemas.FS.ReadFile(schemas.Plan)
		if err != nil {
			schemaErr = fmt.Errorf("read plan schema: %w", err)
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			schemaErr = fmt.Errorf("decode plan schema: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(schemas.Plan, doc); err != nil {
			schemaErr = fmt.Errorf("plan schema: %w", err)
			return
		}
		schema, schemaErr = c.Compile(schemas.Plan)
	})
	return schema, schemaErr
}

// CheckSchema validates the JSON form of a plan (a plan file) against the
// published schema, schemas/plan.schema.json.
func CheckSchema(data []byte) error {
	s, err := planSchema()
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("plan is not JSON: %w", err)
	}
	if err := s.Validate(doc); err != nil {
		return fmt.Errorf("plan does not meet %s: %w", schemas.Plan, err)
	}
	return nil
}
