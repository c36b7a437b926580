package report

import (
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// maxValues bounds the raw answer codes counted per item (nps11 has 11
// points; single-choice items a few options).
const maxValues = 12

// itemInfo describes one design item for aggregation.
type itemInfo struct {
	key       string
	item      framework.Item
	scale     framework.Scale
	asked     bool // asked in the wave (rotation may leave items out)
	ordinal   bool
	points    int // number of scale points (or options)
	favMin    int // lowest favourable value on the scale (4 on 1..5, 9 for nps11)
	neuMin    int // lowest neutral value (3 on 1..5, 7 for nps11)
	construct framework.Construct
	// recoded maps a raw answer byte to its (reverse-recoded) value + 1,
	// or 0 when the byte is not a valid answer.
	recoded [256]uint8
}

// compInfo is a competency with the indices of its asked items on a 1–5
// scale (see scoredScale).
type compInfo struct {
	key, name string
	items     []int
}

// dimInfo is a demographic; groups are its options plus "Not answered".
type dimInfo struct {
	key, label string
	sensitive  bool
	options    []string
	groups     int
}

// layout maps a survey design and a wave onto array indices.
type layout struct {
	sv        survey.Survey
	wave      survey.Wave
	items     []itemInfo
	comps     []compInfo
	dims      []dimInfo
	enps      int // item index of outcome.enps, or -1
	stay      int // item index of outcome.stay, or -1
	th        Thresholds
	compItems []bool // item belongs to some competency
}

// thresholdsOf is the anonymity thresholds of sv, as every view applies them.
func thresholdsOf(sv survey.Survey) Thresholds {
	th := Thresholds{K: sv.Anonymity.MinGroupSize, KS: sv.Anonymity.MinSensitiveGroupSize,
		KD: sv.Anonymity.MinDistributionSize, KC: sv.Anonymity.MinCommentGroupSize, PracticalGapPoints: sv.PracticalGapPoints}
	fixThresholds(&th)
	return th
}

// newLayout builds the layout of wave w of sv.
func newLayout(sv survey.Survey, w survey.Wave, fw framework.Framework) layout {
	l := layout{sv: sv, wave: w, enps: -1, stay: -1}
	l.th = thresholdsOf(sv)
	asked := map[string]bool{}
	for _, k := range w.Items {
		asked[k] = true
	}
	compIdx := map[string]int{}
	for j, key := range sv.Design.Items {
		it, _ := fw.Item(key)
		sc, _ := fw.Scale(it.Scale)
		c, _ := fw.Construct(it.Construct)
		info := itemInfo{key: key, item: it, scale: sc, construct: c,
			asked: len(w.Items) == 0 || asked[key], ordinal: sc.Ordinal()}
		switch {
		case info.ordinal:
			info.points = sc.Max - sc.Min + 1
			info.favMin = sc.FavourableMin
			info.neuMin = sc.FavourableMin - 1
			if sc.Key == framework.ScaleNPS {
				info.neuMin = 7
			}
		default:
			info.points = len(it.Options)
		}
		if info.points > maxValues {
			info.points = maxValues
		}
		for b := 0; b < 256; b++ {
			v, ok := survey.DecodeAnswer(byte(b))
			if !ok || v >= 255 {
				continue
			}
			if it.Reverse && info.ordinal {
				v = sc.Min + sc.Max - v
			}
			info.recoded[b] = uint8(v + 1)
		}
		l.items = append(l.items, info)
		switch key {
		case "outcome.enps":
			l.enps = j
		case "outcome.stay":
			l.stay = j
		}
		if c.Kind == framework.KindCompetency && info.asked && scoredScale(sc) {
			ci, ok := compIdx[c.Key]
			if !ok {
				ci = len(l.comps)
				compIdx[c.Key] = ci
				l.comps = append(l.comps, compInfo{key: c.Key, name: c.Name})
			}
			l.comps[ci].items = append(l.comps[ci].items, j)
		}
	}
	l.compItems = make([]bool, len(l.items))
	for _, c := range l.comps {
		for _, j := range c.items {
			l.compItems[j] = true
		}
	}
	for _, dm := range sv.Design.Demographics {
		l.dims = append(l.dims, dimInfo{key: dm.Key, label: dm.Label, sensitive: dm.Sensitive,
			options: dm.Options, groups: len(dm.Options) + 1})
	}
	return l
}

// scoredScale reports whether items on sc count towards a competency score:
// the score (mean − 1) / 4 × 100 is defined on the 1–5 scales only. A custom
// competency item on another scale (nps11) is reported as an item alone.
func scoredScale(sc framework.Scale) bool {
	return sc.Ordinal() && sc.Min == 1 && sc.Max == 5
}

// fixThresholds applies the floors of docs/anonymity.md to stored settings, so a
// survey saved with zero thresholds still gets the defaults. A practical
// gap minimum of 0 is a lead's choice (flag every gap whose interval
// excludes 0) and is kept; only a negative one is replaced.
func fixThresholds(th *Thresholds) {
	if th.K < survey.FloorK {
		th.K = survey.DefaultK
	}
	if th.KS < th.K {
		th.KS = max(th.K, survey.DefaultKS)
	}
	if th.KD < th.K {
		th.KD = max(th.K, survey.DefaultKD)
	}
	if th.KC < th.K {
		th.KC = max(th.K, survey.DefaultKC)
	}
	if th.PracticalGapPoints < 0 {
		th.PracticalGapPoints = survey.DefaultPracticalGapPoints
	}
}

// value returns the recoded scale value of raw answer code b of item j
// (reverse items recoded), and whether it is a valid answer.
func (l *layout) value(j int, b byte) (int, bool) {
	v := l.items[j].recoded[b]
	return int(v) - 1, v != 0
}

// groupOf returns the group index of a respondent on dimension d: the option
// index, or len(options) for "not answered".
func (l *layout) groupOf(demo []byte, d int) int {
	if d >= len(demo) || demo[d] == 0 || int(demo[d]) > len(l.dims[d].options) {
		return len(l.dims[d].options)
	}
	return int(demo[d]) - 1
}

// groupLabel names group g of dimension d.
func (l *layout) groupLabel(d, g int) string {
	if g >= len(l.dims[d].options) {
		return NotAnswered
	}
	return l.dims[d].options[g]
}
