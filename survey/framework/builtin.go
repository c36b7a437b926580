package framework

import "strconv"

// Sources cited by the built-in constructs and their items. Item texts are
// paraphrases written for AllyPulse, not copies of the published instruments.
const (
	sourceBelonging    = "Shore et al. 2011; Jansen et al. 2014 (PGIS)"
	sourceAuthenticity = "Jansen et al. 2014; Chung et al. 2020"
	sourceVoice        = "Edmondson 1999"
	sourceFairness     = "Nishii 2013; Gartner Inclusion Index dimensions"
	sourceDecisions    = "Nishii 2013; Mor Barak"
	sourceAwareness    = "Deloitte six signature traits of inclusive leadership; Catalyst"
	sourceCourage      = "Deloitte six signature traits of inclusive leadership; Catalyst"
	sourceAlly         = "AllyPulse framework: ally behaviours (bystander responses to bias)"
	sourceAdvocate     = "AllyPulse framework: advocate behaviours (changing systems and processes)"
	sourceAccess       = "AllyPulse framework: mentorship, sponsorship and allyship as three pillars"
	sourceBarrier      = "AllyPulse framework: barriers to allyship"
	sourceOutcomeENPS  = "Net Promoter Score, Reichheld 2003 (employee variant, eNPS)"
	sourceOutcomeStay  = "AllyPulse framework: intent to stay"
	sourceScreen       = "AllyPulse framework: opportunity screen for ally behaviours"
)

// ScreenWitnessed is the key of the opportunity screen that gates the ally items.
const ScreenWitnessed = "screen.witnessed"

// BuiltIn returns the measurement framework that ships with AllyPulse: its
// scales, constructs and item bank, in display order. Each call returns a fresh
// copy that the caller may modify.
func BuiltIn() Framework {
	return Framework{
		Scales:     builtInScales(),
		Constructs: builtInConstructs(),
		Items:      builtInItems(),
	}
}

func builtInScales() []Scale {
	nps := make([]ScalePoint, 0, 11)
	for v := 0; v <= 10; v++ {
		label := strconv.Itoa(v)
		switch v {
		case 0:
			label = "Not at all likely"
		case 10:
			label = "Extremely likely"
		}
		nps = append(nps, ScalePoint{Value: v, Label: label})
	}
	return []Scale{
		{
			Key: ScaleAgree5, Name: "Agreement (5 points)", Min: 1, Max: 5,
			Points: []ScalePoint{
				{Value: 1, Label: "Strongly disagree"},
				{Value: 2, Label: "Disagree"},
				{Value: 3, Label: "Neither agree nor disagree"},
				{Value: 4, Label: "Agree"},
				{Value: 5, Label: "Strongly agree"},
			},
			FavourableMin: 4, FavourableLabel: "favourable",
		},
		{
			Key: ScaleFrequency, Name: "Frequency (5 points)", Min: 1, Max: 5,
			Points: []ScalePoint{
				{Value: 1, Label: "Never"},
				{Value: 2, Label: "Rarely"},
				{Value: 3, Label: "Sometimes"},
				{Value: 4, Label: "Often"},
				{Value: 5, Label: "Always"},
			},
			AllowsNA: true, NALabel: "No opportunity",
			FavourableMin: 4, FavourableLabel: "frequent",
		},
		{
			Key: ScaleNPS, Name: "Likelihood to recommend (0-10)", Min: 0, Max: 10,
			Points: nps, FavourableMin: 9, FavourableLabel: "promoters",
		},
		{Key: ScaleSingle, Name: "Single choice"},
		{Key: ScaleText, Name: "Free text"},
	}
}

func builtInConstructs() []Construct {
	return []Construct{
		{Key: "belonging", Name: "Belonging", Kind: KindCompetency, Source: sourceBelonging,
			Description: "Feeling a real part of the team rather than an outsider."},
		{Key: "authenticity", Name: "Authenticity and valued uniqueness", Kind: KindCompetency, Source: sourceAuthenticity,
			Description: "Being able to be oneself at work without hiding or conforming."},
		{Key: "voice", Name: "Voice and psychological safety", Kind: KindCompetency, Source: sourceVoice,
			Description: "Raising concerns and taking risks without fear."},
		{Key: "fairness", Name: "Fair treatment and equitable practices", Kind: KindCompetency, Source: sourceFairness,
			Description: "Rewards, opportunities and rules applied fairly regardless of background."},
		{Key: "decisions", Name: "Inclusive decision-making", Kind: KindCompetency, Source: sourceDecisions,
			Description: "Input sought and different views weighed before decisions."},
		{Key: "awareness", Name: "Bias awareness and humility", Kind: KindCompetency, Source: sourceAwareness,
			Description: "Noticing one's own biases and seeking feedback on one's impact."},
		{Key: "courage", Name: "Courage and accountability", Kind: KindCompetency, Source: sourceCourage,
			Description: "Speaking up about unfairness and holding leaders to account."},
		{Key: "screen", Name: "Opportunity screen", Heading: "What you saw recently", Kind: KindScreen, Source: sourceScreen,
			Description: "Whether the respondent had a chance to act as an ally."},
		{Key: "ally", Name: "Ally behaviours", Kind: KindBehaviour, Source: sourceAlly,
			Description: "Responding in the moment when bias happens."},
		{Key: "advocate", Name: "Advocate behaviours", Kind: KindBehaviour, Source: sourceAdvocate,
			Description: "Working to change the processes and systems that produce bias."},
		{Key: "access", Name: "Development access", Kind: KindAccess, Source: sourceAccess,
			Description: "Having mentors, sponsors and advocates for one's career."},
		{Key: "barrier", Name: "Barriers to allyship", Kind: KindBarrier, Source: sourceBarrier,
			Description: "What holds people back from acting as allies; higher is worse."},
		{Key: "outcome", Name: "Outcomes", Heading: "Overall", Kind: KindOutcome, Source: sourceOutcomeENPS + "; " + sourceOutcomeStay,
			Description: "Employee recommendation and intent to stay, used for driver analysis."},
	}
}

// statement is one agree5 item of a competency.
type statement struct {
	text    string
	reverse bool
}

// behaviourSpec is one behaviour asked from both perspectives.
type behaviourSpec struct {
	key, self, experienced string
}

func builtInItems() []Item {
	var items []Item
	items = append(items, competencyItems("belonging", sourceBelonging,
		statement{text: "I feel like a real part of my team."},
		statement{text: "At work I often feel like an outsider.", reverse: true},
		statement{text: "People on my team care about me as a person."},
		statement{text: "I feel that I belong in this organisation."},
	)...)
	items = append(items, competencyItems("authenticity", sourceAuthenticity,
		statement{text: "I can be myself at work without hiding parts of who I am."},
		statement{text: "I feel pressure to change how I look, speak or act to fit in here.", reverse: true},
		statement{text: "My team values the different perspective I bring."},
	)...)
	items = append(items, competencyItems("voice", sourceVoice,
		statement{text: "I can raise a concern on my team without fear of negative consequences."},
		statement{text: "When someone on my team makes a mistake, it is not held against them."},
		statement{text: "It is safe to try something new or take a risk on my team."},
	)...)
	items = append(items, competencyItems("fairness", sourceFairness,
		statement{text: "Promotions here go to the people who earn them, whatever their background."},
		statement{text: "Everyone on my team has a fair chance at stretch assignments."},
		statement{text: "Rules and policies here are applied the same way to everyone."},
	)...)
	items = append(items, competencyItems("decisions", sourceDecisions,
		statement{text: "My manager asks for my input before making decisions that affect me."},
		statement{text: "The views of quieter colleagues are considered before my team decides."},
		statement{text: "Decisions on my team take different viewpoints into account."},
	)...)
	items = append(items, competencyItems("awareness", sourceAwareness,
		statement{text: "I ask colleagues for feedback on how my words and actions affect them."},
		statement{text: "I check my first impressions of people before acting on them."},
		statement{text: "I know my own blind spots can affect how I treat others."},
	)...)
	items = append(items, competencyItems("courage", sourceCourage,
		statement{text: "My manager speaks up when something is unfair, even when it is awkward."},
		statement{text: "Leaders here are held accountable for how inclusively they behave."},
		statement{text: "People here challenge bias even when a senior person is involved."},
	)...)

	items = append(items, Item{
		Key:       ScreenWitnessed,
		Text:      "In the last few weeks, did you see or hear a biased remark or action at work?",
		Scale:     ScaleSingle,
		Construct: "screen",
		Source:    sourceScreen,
		Options:   []string{"Yes", "No"},
	})

	items = append(items, behaviourItems("ally", sourceAlly, ScreenWitnessed,
		behaviourSpec{"ally.confront",
			"When I heard a biased remark, I questioned or challenged it.",
			"When a biased remark was made, a colleague questioned or challenged it."},
		behaviourSpec{"ally.stereotype",
			"I pointed it out when a stereotype was presented as a fact.",
			"A colleague pointed it out when a stereotype was presented as a fact."},
		behaviourSpec{"ally.deescalate",
			"I stepped in to calm or redirect a hurtful exchange.",
			"A colleague stepped in to calm or redirect a hurtful exchange."},
		behaviourSpec{"ally.affirm",
			"I checked in with and supported the person who was targeted.",
			"A colleague checked in with and supported the person who was targeted."},
		behaviourSpec{"ally.report",
			"I reported an incident of bias through a proper channel.",
			"A colleague reported an incident of bias through a proper channel."},
		behaviourSpec{"ally.amplify",
			"I repeated an overlooked colleague's idea and credited them by name.",
			"A colleague repeated an overlooked person's idea and credited them by name."},
		behaviourSpec{"ally.language",
			"I used inclusive language and encouraged others to do the same.",
			"A colleague used inclusive language and encouraged others to do the same."},
	)...)
	items = append(items, behaviourItems("advocate", sourceAdvocate, "",
		behaviourSpec{"advocate.process",
			"I challenged a hiring, review or staffing process that disadvantaged a group.",
			"A colleague challenged a hiring, review or staffing process that disadvantaged a group."},
		behaviourSpec{"advocate.transparency",
			"I asked for diversity figures or pay data to be shared openly.",
			"A colleague asked for diversity figures or pay data to be shared openly."},
		behaviourSpec{"advocate.goals",
			"I pushed for inclusion goals to count in leaders' performance reviews.",
			"A colleague pushed for inclusion goals to count in leaders' performance reviews."},
		behaviourSpec{"advocate.intersectionality",
			"I raised how overlapping identities shape a person's experience at work.",
			"A colleague raised how overlapping identities shape a person's experience at work."},
		behaviourSpec{"advocate.hiring",
			"I proposed a change to remove bias from how we recruit.",
			"A colleague proposed a change to remove bias from how we recruit."},
	)...)

	items = append(items,
		ownKeyItem("access.mentor", "access", ScaleAgree5, sourceAccess,
			"I have someone who gives me regular guidance on my career."),
		ownKeyItem("access.sponsor", "access", ScaleAgree5, sourceAccess,
			"A senior person has recommended me for an opportunity when I was not in the room."),
		ownKeyItem("access.advocate", "access", ScaleAgree5, sourceAccess,
			"I know who would speak up for me when my next promotion is discussed."),
		ownKeyItem("barrier.penalty", "barrier", ScaleAgree5, sourceBarrier,
			"Speaking up about bias here could cost me my standing, relationships or reputation."),
		ownKeyItem("barrier.wrong", "barrier", ScaleAgree5, sourceBarrier,
			"I hold back from speaking up because I worry about saying the wrong thing."),
		ownKeyItem("barrier.fatigue", "barrier", ScaleAgree5, sourceBarrier,
			"I feel worn out from always being the one who speaks up."),
		ownKeyItem("barrier.performative", "barrier", ScaleAgree5, sourceBarrier,
			"Allyship here is more talk than action."),
		ownKeyItem("outcome.enps", "outcome", ScaleNPS, sourceOutcomeENPS,
			"How likely are you to recommend this organisation as a place to work?"),
		ownKeyItem("outcome.stay", "outcome", ScaleAgree5, sourceOutcomeStay,
			"I expect to still be working here two years from now."),
	)
	return items
}

// competencyItems numbers a competency's agree5 statements as "<construct>.1", "<construct>.2", …
func competencyItems(construct, source string, statements ...statement) []Item {
	items := make([]Item, 0, len(statements))
	for i, s := range statements {
		items = append(items, Item{
			Key:       construct + "." + strconv.Itoa(i+1),
			Text:      s.text,
			Scale:     ScaleAgree5,
			Construct: construct,
			Reverse:   s.reverse,
			Source:    source,
		})
	}
	return items
}

// behaviourItems expands each behaviour into its self and experienced frequency5 items.
func behaviourItems(construct, source, gatedBy string, specs ...behaviourSpec) []Item {
	items := make([]Item, 0, 2*len(specs))
	for _, b := range specs {
		for _, p := range []struct{ perspective, text string }{
			{PerspectiveSelf, b.self},
			{PerspectiveExperienced, b.experienced},
		} {
			items = append(items, Item{
				Key:         b.key + "." + p.perspective,
				Text:        p.text,
				Scale:       ScaleFrequency,
				Construct:   construct,
				Behaviour:   b.key,
				Perspective: p.perspective,
				Source:      source,
				GatedBy:     gatedBy,
			})
		}
	}
	return items
}

// ownKeyItem builds an access, barrier or outcome item whose Behaviour is its own key.
func ownKeyItem(key, construct, scale, source, text string) Item {
	return Item{Key: key, Text: text, Scale: scale, Construct: construct, Behaviour: key, Source: source}
}
