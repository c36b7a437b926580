package xlsx

// methodText explains, in plain words, how every number in the workbook is
// defined (docs/statistics.md) and how anonymity is protected
// (docs/anonymity.md). Each entry is a heading and its paragraphs.
var methodText = []struct {
	heading string
	lines   []string
}{
	{"Which answers count", []string{
		"Only valid answers count. \"Not applicable\", skipped and unanswered questions are left out of every number, including n.",
		"n is the number of valid answers to a question, or the number of people with a score for a competency.",
	}},
	{"Shares and means of a question", []string{
		"Favourable is the share of answers of 4 or 5 on the 5-point scale (agree or strongly agree; often or always for behaviours, reported as \"frequent\").",
		"Neutral is the share of 3s; unfavourable the share of 1s and 2s. The three add up to 100%.",
		"The mean is the average answer on the scale, after reversing negatively worded questions so that higher is always better.",
		"The 95% interval of a favourable share is the Wilson score interval; it stays sensible for small groups and for shares near 0% or 100%.",
	}},
	{"Competency scores and the inclusion index", []string{
		"A person's competency score is the mean of their valid answers to the competency's questions, counted only when they answered at least half of them.",
		"A group's score (0 to 100) is the mean of its people's competency scores, moved onto 0-100: (mean - 1) / 4 x 100.",
		"A group's favourable share for a competency pools all valid answers to its questions.",
		"The inclusion index is the average of the competency scores of the survey. Scores and favourable shares are shown in separate columns, never mixed.",
	}},
	{"eNPS", []string{
		"eNPS = 100 x (promoters - detractors) / n, where promoters answer 9 or 10 and detractors 0 to 6 on the 0-10 question. It runs from -100 to 100.",
	}},
	{"Gaps between groups", []string{
		"A group's inclusion gap is its favourable share minus that of everyone else in the population (including people who preferred not to say), in percentage points.",
		"Its 95% interval is Newcombe's hybrid score interval, built from the two Wilson intervals.",
		"A gap is flagged only when its interval excludes 0 and it is at least the practical minimum (a survey setting, shown at the end of this sheet). Other differences are shown plainly.",
		"The same test decides whether a change since the previous wave is flagged.",
	}},
	{"Ally and advocate behaviours", []string{
		"Each behaviour is asked twice: how often people do it themselves (self) and how often others do it for them (experienced).",
		"The perception gap is frequent(self) minus frequent(experienced), with the Newcombe interval. A large positive gap means people believe they act as allies more than others feel it.",
	}},
	{"Barriers", []string{
		"Barrier questions ask what holds people back from acting as allies; a higher agreeing share is worse.",
	}},
	{"Participation", []string{
		"Participation = responses / invited, where invited is the number of invite codes issued, or the expected headcount entered for an open link.",
	}},
	{"Anonymity", []string{
		"No score, share or count is shown for fewer people than the minimum group size k (k_s for sensitive groups); answer distributions need k_d answers, comments k_c people.",
		"When one group is withheld, the next-smallest groups are withheld too, so that no group can be worked out by subtraction from the total. A group of 0 and a small group look the same.",
		"While a wave is open, results are published as snapshots: a number changes only after at least k more people answered. Trends compare published values only.",
		"This workbook holds only these released numbers: no individual answers, no formulas, no hidden sheets, no pivot tables. Text that begins with = + - @ (also in their fullwidth forms or after spaces), a tab or a line break is prefixed with an apostrophe so that no spreadsheet runs it as a formula.",
	}},
}

// methodWidth is the width of the Method sheet's one column: a comfortable
// line that prints on a page without scaling.
const methodWidth = 90

func (b builder) method() *sheet {
	s := newSheet(SheetMethod)
	b.title(s, "Method: how the numbers are made", "Plain-word definitions of every number in this workbook.")
	for _, sec := range methodText {
		s.add(cell{v: sec.heading, style: b.st.subtitle})
		for _, line := range sec.lines {
			s.add(cell{v: line, style: b.st.wrap})
		}
		s.blank()
	}
	b.rules(s)
	s.fixed[1] = methodWidth
	return s
}

// rules lists the anonymity thresholds this survey applies.
func (b builder) rules(s *sheet) {
	t := b.thresholds()
	s.add(cell{v: "Anonymity rules of this survey", style: b.st.subtitle})
	s.add(b.header("Rule", "Minimum")...)
	for _, r := range []struct {
		name string
		k    int
	}{
		{"People behind any score or count (k)", t.K},
		{"People behind a cell of a sensitive group (k_s)", t.KS},
		{"Answers behind an answer distribution (k_d)", t.KD},
		{"People behind a set of comments (k_c)", t.KC},
	} {
		s.add(cell{v: r.name, style: b.st.text}, cell{v: r.k, style: b.st.count})
	}
	s.add(cell{v: "Practical minimum of a flagged gap (points)", style: b.st.text}, cell{v: t.PracticalGapPoints, style: b.st.score})
}
