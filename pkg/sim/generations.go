package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/http"
	"strings"
)

// Generation is what GET /conversation-ai/generations answers for a message
// (FetchAIResponseDetailsResponseDTO), its sub-items in the document's
// example shapes.
type Generation struct {
	Prompt          string              `json:"prompt" yaml:"prompt"`
	Intent          string              `json:"intent,omitempty" yaml:"intent"`
	ResponseMessage string              `json:"responseMessage" yaml:"responseMessage"`
	FAQs            []GenerationChunk   `json:"faqs" yaml:"faqs"`
	Website         []GenerationChunk   `json:"website" yaml:"website"`
	AgentID         string              `json:"agentId,omitempty" yaml:"agentId"`
	Input           string              `json:"input,omitempty" yaml:"input"`
	ActionLogs      []map[string]any    `json:"actionLogs" yaml:"actionLogs"`
	History         []GenerationMessage `json:"history" yaml:"history"`
	Mode            string              `json:"mode,omitempty" yaml:"mode"`
}

// GenerationChunk is one FAQ chunk ({id, content, title}) or website chunk
// ({id, content, url}) a generation used.
type GenerationChunk struct {
	ID      string `json:"id" yaml:"id"`
	Content string `json:"content" yaml:"content"`
	Title   string `json:"title,omitempty" yaml:"title"`
	URL     string `json:"url,omitempty" yaml:"url"`
}

// GenerationMessage is one turn of a generation's history.
type GenerationMessage struct {
	Role    string `json:"role" yaml:"role"`
	Content string `json:"content" yaml:"content"`
}

// normalized returns g with nil lists as empty ones, as the API answers.
func (g Generation) normalized() Generation {
	if g.FAQs == nil {
		g.FAQs = []GenerationChunk{}
	}
	if g.Website == nil {
		g.Website = []GenerationChunk{}
	}
	if g.ActionLogs == nil {
		g.ActionLogs = []map[string]any{}
	}
	if g.History == nil {
		g.History = []GenerationMessage{}
	}
	return g
}

var sampleInputs = []string{
	"Hi, do you have any openings this week?",
	"How much does the premium plan cost?",
	"Can I reschedule my appointment to Friday?",
	"What are your opening hours on Saturday?",
	"I'd like to speak with a real person please.",
	"Do you offer a free consultation?",
}

var sampleReplies = []string{
	"Happy to help! We have openings on Tuesday at 10am and Thursday at 2pm. Which works best for you?",
	"Our premium plan is $99 per month and includes priority support. Would you like the details by email?",
	"Of course. I can move you to Friday at 11am or 3pm. Shall I book one of those?",
	"On Saturdays we are open from 9am to 1pm. Is there anything I can book for you?",
	"Sure, I'm connecting you with a member of our team now. They will reply shortly.",
	"Yes, the first consultation is free. Would you like me to send you the booking link?",
}

// sampleGeneration derives a plausible record for a message from the
// location's agents (sorted by creation): the same inputs give the same record.
func sampleGeneration(location, messageID string, agents []*AgentState) Generation {
	sum := sha256.Sum256([]byte(location + "\x00" + messageID))
	pick := func(i, n int) int { return int(binary.BigEndian.Uint32(sum[i*4:]) % uint32(n)) }
	g := Generation{Mode: "off", Intent: "answer the contact's question"}
	n := pick(0, len(sampleInputs))
	g.Input, g.ResponseMessage = sampleInputs[n], sampleReplies[n]
	personality, instructions := "", ""
	if len(agents) > 0 {
		a := agents[pick(1, len(agents))]
		g.AgentID, g.Mode, personality, instructions = a.ID, a.Mode, a.Personality, a.Instructions
		if a.Goal != "" {
			g.Intent = a.Goal
		}
		for _, act := range a.Actions {
			if act.Type != "updateContactField" {
				continue
			}
			field, _ := act.Details["contactFieldId"].(string)
			g.ActionLogs = append(g.ActionLogs, map[string]any{
				"contactUpdateAction": []any{map[string]any{"fieldId": field, "value": "Jordan Lee"}},
			})
			break
		}
	}
	g.Prompt = fmt.Sprintf("Personality:\n%s,\n\nIntent:\n%s\n\nAdditional Information:\n%s",
		strings.TrimSpace(personality), g.Intent, strings.TrimSpace(instructions))
	g.FAQs = []GenerationChunk{{ID: fmt.Sprintf("chunk_%d", pick(2, 1000)),
		Content: "We are open Monday to Friday 9am-6pm and Saturday 9am-1pm.", Title: "Opening hours FAQ"}}
	g.Website = []GenerationChunk{{ID: fmt.Sprintf("chunk_%d", pick(3, 1000)),
		Content: "Book online any time; the first consultation is free.", URL: "https://example.com/booking"}}
	g.History = []GenerationMessage{{Role: "user", Content: g.Input}, {Role: "assistant", Content: g.ResponseMessage}}
	return g.normalized()
}

// noGeneration is the answer for a message id the location does not have.
func noGeneration(id string) answer {
	return badRequest("No AI generation found for the messageId: %s", id)
}

// generation answers GET /conversation-ai/generations with the record stored
// for the message (AddGeneration, or the seed file).
func (c *call) generation() answer {
	q := c.r.URL.Query()
	var msgs []string
	messageID, source := q.Get("messageId"), q.Get("source")
	if messageID == "" {
		msgs = append(msgs, "messageId should not be empty")
	}
	if source != "conversation" && source != "workflow" {
		msgs = append(msgs, "source must be one of the following values: conversation, workflow")
	}
	if len(msgs) > 0 {
		return unprocessable(msgs)
	}
	g, ok := c.t.generation(c.location, messageID)
	if !ok {
		return noGeneration(messageID)
	}
	return reply(http.StatusOK, g.normalized())
}
