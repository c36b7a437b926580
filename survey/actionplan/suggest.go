package actionplan

import (
	"slices"
	"strings"
)

// Suggestion is an ally, advocate, sponsorship or mentorship action a lead
// can adopt into a plan (the behaviours of the built-in framework,
// survey/framework/builtin.go, turned into things people can practise).
type Suggestion struct {
	Key string `json:"key"`
	// Family is ally, advocate, sponsorship or mentorship.
	Family string `json:"family"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// suggestions is the catalogue, ally actions first.
var suggestions = []Suggestion{
	{"ally.confront", "ally", "Confront biased remarks", "Agree as a team that a biased remark is named on the spot, calmly: \"I don't think that's fair, can we talk about it?\""},
	{"ally.question", "ally", "Question the assumption", "Ask an open question that makes the speaker examine the assumption: \"What makes you say that?\""},
	{"ally.clarify", "ally", "Clarify the impact", "Say what the remark does to the people it is about, without judging the person who made it."},
	{"ally.callout", "ally", "Call out stereotypes presented as fact", "Point out when a stereotype is used as evidence in a meeting, a review or a hiring discussion."},
	{"ally.deescalate", "ally", "De-escalate a harmful exchange", "Practise stepping in to calm or redirect a hurtful conversation, and taking it to a private follow-up."},
	{"ally.affirm", "ally", "Affirm the person targeted", "Check in privately with the person targeted afterwards; credit their ideas by name in the next meeting."},
	{"ally.report", "ally", "Report through a proper channel", "Make the reporting channel known and trusted: publish how reports are handled and how quickly."},
	{"advocate.process", "advocate", "Review a process that disadvantages a group", "Ask for the numbers of a hiring, review or staffing process by group and change the step where the gap opens."},
	{"advocate.goals", "advocate", "Put inclusion into leaders' goals", "Add one measurable inclusion goal to each leader's objectives and review it with the results of the next wave."},
	{"sponsorship.nominate", "sponsorship", "Sponsor for visible work", "Each senior leader names one person from the group with the gap for a visible assignment or promotion discussion this quarter."},
	{"sponsorship.room", "sponsorship", "Speak for people not in the room", "Leaders bring the names of overlooked people into staffing and promotion meetings, with the evidence of their work."},
	{"mentorship.pair", "mentorship", "Pair people with a mentor", "Offer every person in the group a mentor outside their reporting line, meeting at least monthly."},
	{"mentorship.circle", "mentorship", "Start a mentoring circle", "Small groups that meet regularly with an experienced colleague to talk about careers and how decisions are made."},
}

// suggestionByKey finds a suggestion.
func suggestionByKey(key string) (Suggestion, bool) {
	i := slices.IndexFunc(suggestions, func(s Suggestion) bool { return s.Key == key })
	if i < 0 {
		return Suggestion{}, false
	}
	return suggestions[i], true
}

// Suggest lists the suggestions that fit a focus source: a behaviour gap
// first offers the actions of its own behaviour; low development access
// (access.*) and gaps on it offer sponsorship and mentorship; advocate
// behaviours offer advocate actions; everything else the ally actions.
func Suggest(src Source) []Suggestion {
	var out []Suggestion
	pick := func(keep func(Suggestion) bool) {
		for _, s := range suggestions {
			if keep(s) && !slices.ContainsFunc(out, func(o Suggestion) bool { return o.Key == s.Key }) {
				out = append(out, s)
			}
		}
	}
	if src.Kind == SourceBehaviour {
		pick(func(s Suggestion) bool { return s.Key == src.Metric })
	}
	switch {
	case strings.HasPrefix(src.Metric, "access."):
		pick(func(s Suggestion) bool { return s.Family == "sponsorship" || s.Family == "mentorship" })
	case strings.HasPrefix(src.Metric, "advocate."):
		pick(func(s Suggestion) bool { return s.Family == "advocate" })
	}
	pick(func(s Suggestion) bool { return s.Family == "ally" })
	if src.Kind == SourceGap || src.Metric == "fairness" {
		pick(func(s Suggestion) bool { return s.Family == "advocate" || s.Family == "sponsorship" })
	}
	return out
}
