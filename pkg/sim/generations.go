package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/http"
)

// generationBody is FetchAIResponseDetailsResponseDTO.
type generationBody struct {
	Prompt          string           `json:"prompt"`
	Intent          string           `json:"intent"`
	ResponseMessage string           `json:"responseMessage"`
	FAQs            []map[string]any `json:"faqs"`
	Website         []map[string]any `json:"website"`
	AgentID         string           `json:"agentId,omitempty"`
	Input           string           `json:"input"`
	ActionLogs      []map[string]any `json:"actionLogs"`
	History         []map[string]any `json:"history"`
	Mode            string           `json:"mode"`
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

// generation answers GET /conversation-ai/generations: a record derived from
// the message id and the location's agents, the same every time.
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
	sum := sha256.Sum256([]byte(c.location + "\x00" + messageID))
	pick := func(i, n int) int { return int(binary.BigEndian.Uint32(sum[i*4:]) % uint32(n)) }

	g := generationBody{
		FAQs: []map[string]any{}, Website: []map[string]any{}, ActionLogs: []map[string]any{},
		Mode: "off", Intent: "answer the contact's question",
	}
	n := pick(0, len(sampleInputs))
	g.Input, g.ResponseMessage = sampleInputs[n], sampleReplies[n]
	agents := c.s.st.location(c.location, false).sortedAgents()
	var name, personality, instructions string
	if len(agents) > 0 {
		a := agents[pick(1, len(agents))]
		g.AgentID, g.Mode, name, personality, instructions = a.ID, a.Mode, a.Name, a.Personality, a.Instructions
		if a.Goal != "" {
			g.Intent = a.Goal
		}
		if len(a.Actions) > 0 {
			act := a.Actions[pick(2, len(a.Actions))]
			g.ActionLogs = append(g.ActionLogs, map[string]any{
				"actionId": act.ID, "actionType": act.Type, "actionName": act.Name, "triggered": pick(3, 2) == 1,
			})
		}
	} else {
		name = "Assistant"
	}
	g.Prompt = fmt.Sprintf("You are %s. Personality: %s\nGoal: %s\nInstructions: %s\nSource: %s\nContact: %s",
		name, personality, g.Intent, instructions, source, g.Input)
	g.FAQs = append(g.FAQs, map[string]any{
		"question": "What are your opening hours?", "answer": "Monday to Friday 9am-6pm, Saturday 9am-1pm.",
		"score": float64(pick(4, 50)+50) / 100,
	})
	g.History = []map[string]any{
		{"role": "user", "content": g.Input, "messageId": messageID},
		{"role": "assistant", "content": g.ResponseMessage},
	}
	return reply(http.StatusOK, g)
}
