package xlsx

// NoGroupInvitedCount stands in a group's participation rate when the
// release has no invited count for the group (invite codes without that
// segment, or an open link).
const NoGroupInvitedCount = "no invited count for this group"

func (b builder) participation() *sheet {
	s := newSheet(SheetParticipation)
	b.title(s, "Participation",
		"Participation = responses / invited, where invited is the number of invite codes issued or the expected headcount of an open link.")
	rel, vw := b.in.Overall, b.overallView()
	p := rel.Participation
	s.add(b.header("Population", "Responses", "Invited", "Denominator", "Participation")...)
	invited, source := cell{}, cell{}
	if p.Invited > 0 {
		invited = cell{v: p.Invited, style: b.st.count}
		source = cell{v: denominatorName(p.Source), style: b.st.text}
	}
	s.add(vw.text(rel.Population), vw.n(rel.Respondents), invited, source, vw.value(p.Overall, p.Overall.Value, b.st.percent))
	if p.Invited == 0 {
		s.add(b.note("No invite codes were issued and no expected headcount was entered, so no rate can be shown."))
	}
	s.blank()
	if len(b.in.Breakdowns) == 0 {
		return s
	}
	s.add(b.subtitle("By group"))
	first := s.add(b.header("Dimension", "Group", "Responses", "Participation")...)
	for _, br := range b.in.Breakdowns {
		gv := b.viewFor(br.Query.By)
		dim := b.dimensionLabel(br.Query.By)
		for i, g := range br.Groups {
			rate := cell{v: NoGroupInvitedCount, style: b.st.remark}
			if i < len(br.Participation.Groups) {
				if c := br.Participation.Groups[i]; c.Suppressed || c.Value != nil {
					rate = gv.value(c, c.Value, b.st.percent)
				}
			}
			s.add(gv.text(dim), gv.text(g.Option), gv.n(g.Count), rate)
		}
	}
	s.tableFrom("Participation", first, 4)
	return s
}

func denominatorName(source string) string {
	switch source {
	case "invites":
		return "invite codes issued"
	case "expected_headcount":
		return "expected headcount"
	default:
		return source
	}
}
