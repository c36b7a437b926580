package xlsx

import (
	"fmt"

	"github.com/allypulse/allypulse/survey/report"
)

// commentWidth is the width of the comment column; long comments wrap.
const commentWidth = 100

func (b builder) comments() *sheet {
	s := newSheet(SheetComments)
	c := b.in.Comments
	b.title(s, "Comments",
		"Shown only for populations of at least k_c people, detached from scores and from each other, in a fixed shuffled order, without dates. Contact details were removed before storage.")
	if c == nil {
		s.add(b.note("Comments are not part of this copy of the report: only DEI leads and administrators read comments."))
		return s
	}
	if c.Suppressed {
		why := c.Reason
		if why == report.ReasonCommentsTooFew {
			why = fmt.Sprintf("at least %d people are needed", b.thresholds().KC)
		}
		s.add(b.note("Comments are not shown for this population: " + why + "."))
		return s
	}
	prompts := map[string]string{}
	for _, p := range c.Prompts {
		prompts[p.Key] = p.Prompt
	}
	first := s.add(b.header("Question", "Comment")...)
	s.freezeRows = first
	for _, it := range c.Items {
		q := prompts[it.Prompt]
		if q == "" {
			q = it.Prompt
		}
		s.add(cell{v: Neutralise(q), style: b.st.wrap}, cell{v: Neutralise(it.Text), style: b.st.wrap})
	}
	s.tableFrom("Comments", first, 2)
	if len(c.Items) == 0 {
		s.add(b.note("No comments were written."))
	}
	s.fixed[1], s.fixed[2] = 40, commentWidth
	return s
}
