package sim

import "strconv"

// Action types, spelled as the schema enum spells them.
var actionTypes = []string{
	"triggerWorkflow", "updateContactField", "appointmentBooking", "stopBot",
	"humanHandOver", "advancedFollowup", "transferBot",
}

var (
	actionSleepUnits = []string{"days", "hours", "minutes"}
	maxFollowup      = map[string]float64{"minutes": 60, "hours": 24, "days": 180}
)

// detailsChecker validates one action's details; agentExists answers whether
// an id names another agent of the location.
type detailsChecker struct {
	o           obj
	agentExists func(id string) bool
}

// checkDetails validates details for typ and returns them normalised (the
// schema's defaults filled in).
func checkDetails(c *checker, typ string, d obj, agentExists func(string) bool) map[string]any {
	dc := detailsChecker{o: d, agentExists: agentExists}
	switch typ {
	case "triggerWorkflow":
		dc.triggerWorkflow()
	case "updateContactField":
		dc.updateContactField()
	case "appointmentBooking":
		dc.appointmentBooking()
	case "stopBot":
		dc.stopBot()
	case "humanHandOver":
		dc.humanHandOver()
	case "advancedFollowup":
		dc.advancedFollowup()
	case "transferBot":
		dc.transferBot()
	}
	return d.m
}

func (dc detailsChecker) triggerWorkflow() {
	o := dc.o
	o.only("workflowIds", "triggerCondition", "triggerMessage")
	// Silent in the document (kept choice): a trigger with no workflow to
	// trigger is refused.
	if ids, ok := o.strs("workflowIds", true); ok {
		o.minItems("workflowIds", ids, 1)
	}
	o.str("triggerCondition", true)
	o.str("triggerMessage", false)
}

func (dc detailsChecker) updateContactField() {
	o := dc.o
	o.only("contactFieldId", "description", "contactUpdateExamples")
	o.nonEmpty("contactFieldId", true)
	o.str("description", true)
	if !o.has("contactUpdateExamples") {
		o.m["contactUpdateExamples"] = []any{}
	}
	o.strs("contactUpdateExamples", false)
}

// sleepPair checks sleepTime/sleepTimeUnit, both required when needed.
func (dc detailsChecker) sleepPair(needed bool, why string) {
	o := dc.o
	o.enum("sleepTimeUnit", false, actionSleepUnits...)
	t, timeOK := o.num("sleepTime", false)
	if needed {
		if !o.has("sleepTimeUnit") {
			o.c.addf("%s should not be empty when %s is true", o.name("sleepTimeUnit"), why)
		}
		if !o.has("sleepTime") {
			o.c.addf("%s should not be empty when %s is true", o.name("sleepTime"), why)
		}
	}
	if timeOK && t == 0 {
		o.c.addf("%s must be a positive number", o.name("sleepTime"))
	}
}

func (dc detailsChecker) appointmentBooking() {
	o := dc.o
	o.only("actionId", "calendarId", "onlySendLink", "triggerWorkflow", "workflowIds", "sleepAfterBooking",
		"sleepTimeUnit", "sleepTime", "transferBot", "transferAgent", "rescheduleEnabled", "cancelEnabled")
	o.str("actionId", false)
	o.nonEmpty("calendarId", true)
	onlyLink, _ := o.boolean("onlySendLink", true)
	flags := map[string]bool{}
	for _, k := range []string{"triggerWorkflow", "sleepAfterBooking", "transferBot", "rescheduleEnabled", "cancelEnabled"} {
		flags[k], _ = o.boolean(k, true)
		if onlyLink && flags[k] {
			o.c.addf("%s must be false when %s is true", o.name(k), o.name("onlySendLink"))
		}
	}
	if ids, ok := o.strs("workflowIds", flags["triggerWorkflow"]); ok && flags["triggerWorkflow"] {
		o.minItems("workflowIds", ids, 1)
	}
	dc.sleepPair(flags["sleepAfterBooking"], o.name("sleepAfterBooking"))
	if id, ok := o.nonEmpty("transferAgent", flags["transferBot"]); ok && !dc.agentExists(id) {
		o.c.addf("%s must be the id of another agent of this location: %s", o.name("transferAgent"), id)
	}
}

func (dc detailsChecker) stopBot() {
	o := dc.o
	o.only("stopBotDetectionType", "stopBotTriggerCondition", "reactivateEnabled", "sleepTimeUnit", "sleepTime",
		"enabled", "stopBotExamples", "finalMessage", "tags")
	o.enum("stopBotDetectionType", true, "Goodbye", "Custom")
	o.str("stopBotTriggerCondition", true)
	reactivate, _ := o.boolean("reactivateEnabled", true)
	dc.sleepPair(reactivate, o.name("reactivateEnabled"))
	o.boolean("enabled", true)
	if ex, ok := o.strs("stopBotExamples", true); ok {
		o.minItems("stopBotExamples", ex, 2)
	}
	o.str("finalMessage", true)
	o.strs("tags", false)
}

func (dc detailsChecker) humanHandOver() {
	o := dc.o
	o.only("enabled", "triggerCondition", "examples", "assignToUserId", "skipAssignToUser", "createTask",
		"reactivateEnabled", "sleepTimeUnit", "sleepTime", "finalMessage", "tags", "handoverType")
	o.boolean("enabled", true)
	o.str("triggerCondition", true)
	kind, _ := o.enum("handoverType", true, "contactRequest", "lackOfInformation", "failedToResolveIssue", "custom")
	needExamples := kind == "custom" || kind == "contactRequest"
	if ex, ok := o.strs("examples", needExamples); ok && needExamples {
		o.minItems("examples", ex, 1)
	}
	o.str("assignToUserId", false)
	o.boolean("skipAssignToUser", false)
	o.boolean("createTask", false)
	reactivate, _ := o.boolean("reactivateEnabled", true)
	dc.sleepPair(reactivate, o.name("reactivateEnabled"))
	o.str("finalMessage", true)
	o.strs("tags", false)
}

func (dc detailsChecker) advancedFollowup() {
	o := dc.o
	o.only("enabled", "scenarioId", "followupSequence", "followupSettings")
	o.boolean("enabled", true)
	o.enum("scenarioId", true, "contactStoppedReplying", "contactIsBusy", "contactRequested")
	if steps, ok := o.objects("followupSequence", true); ok {
		seen := map[float64]bool{}
		for _, st := range steps {
			id := checkFollowupStep(st)
			if id >= 0 && seen[id] {
				st.c.addf("%s must be unique within followupSequence", st.name("id"))
			}
			seen[id] = true
		}
	}
	if fs, ok := o.object("followupSettings", false); ok {
		checkFollowupSettings(fs)
	}
}

// checkFollowupStep validates one FollowupSequence and returns its id (-1 if invalid).
func checkFollowupStep(o obj) float64 {
	o.only("id", "followupTimeUnit", "followupTime", "aiEnabledMessage", "triggerWorkflow",
		"customMessage", "workflowId", "contactRequested")
	id, idOK := o.num("id", true)
	unit, unitOK := o.enum("followupTimeUnit", true, actionSleepUnits...)
	t, timeOK := o.num("followupTime", true)
	if unitOK && timeOK {
		if t == 0 {
			o.c.addf("%s must be a positive number", o.name("followupTime"))
		} else if t > maxFollowup[unit] {
			o.c.addf("%s must not be greater than %g when %s is %s", o.name("followupTime"), maxFollowup[unit], o.name("followupTimeUnit"), unit)
		}
	}
	if !o.has("aiEnabledMessage") {
		o.m["aiEnabledMessage"] = true
	}
	if !o.has("triggerWorkflow") {
		o.m["triggerWorkflow"] = false
	}
	ai, _ := o.boolean("aiEnabledMessage", false)
	wf, _ := o.boolean("triggerWorkflow", false)
	if _, isBool := o.m["aiEnabledMessage"].(bool); isBool && !ai {
		o.nonEmpty("customMessage", true)
	} else {
		o.str("customMessage", false)
	}
	o.nonEmpty("workflowId", wf)
	o.boolean("contactRequested", false)
	if !idOK {
		return -1
	}
	return id
}

// checkFollowupSettings validates FollowupSettings.
func checkFollowupSettings(o obj) {
	o.only("dynamicChannelSwitching", "followUpHours", "workingHours", "timezoneToUse")
	o.boolean("dynamicChannelSwitching", true)
	o.boolean("followUpHours", false)
	o.enum("timezoneToUse", false, "contact", "business")
	days, ok := o.objects("workingHours", false)
	if !ok {
		return
	}
	seen := map[int]bool{}
	for _, d := range days {
		d.only("dayOfTheWeek", "intervals")
		day, dayOK := d.integer("dayOfTheWeek", true, 0, 6)
		if dayOK && seen[day] {
			d.c.addf("%s must be unique within workingHours: %s", d.name("dayOfTheWeek"), strconv.Itoa(day))
		}
		seen[day] = true
		spans, _ := d.objects("intervals", false)
		for _, iv := range spans {
			iv.only("startHour", "startMinute", "endHour", "endMinute")
			sh, ok1 := iv.integer("startHour", true, 0, 23)
			sm, ok2 := iv.integer("startMinute", true, 0, 59)
			eh, ok3 := iv.integer("endHour", true, 0, 24)
			em, ok4 := iv.integer("endMinute", true, 0, 59)
			if ok1 && ok2 && ok3 && ok4 {
				start, end := sh*60+sm, eh*60+em
				if end > 24*60 {
					iv.c.addf("%s must not be after 24:00", iv.name("endHour"))
				} else if start >= end {
					iv.c.addf("%s must start before it ends", iv.prefix[:len(iv.prefix)-1])
				}
			}
		}
	}
}

func (dc detailsChecker) transferBot() {
	o := dc.o
	o.only("transferBotType", "transferToBot", "enabled", "transferBotTriggerCondition", "transferBotExamples")
	kind, _ := o.enum("transferBotType", true, "Default", "Custom")
	if id, ok := o.nonEmpty("transferToBot", true); ok && !dc.agentExists(id) {
		o.c.addf("%s must be the id of another agent of this location: %s", o.name("transferToBot"), id)
	}
	o.boolean("enabled", true)
	custom := kind == "Custom"
	o.nonEmpty("transferBotTriggerCondition", custom)
	if ex, ok := o.strs("transferBotExamples", custom); ok && custom {
		o.minItems("transferBotExamples", ex, 2)
	}
}
