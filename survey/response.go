package survey

// Answer byte codes in Response.Answers. A value v on a scale is stored as
// v+1 (so eNPS 0 is 1); a single-choice answer stores its option index + 1.
const (
	AnswerMissing byte = 0
	AnswerNA      byte = 255
)

// Response is one stored set of answers. It has no time, no client data and no
// link to an invite. Demo[i] is the option index + 1 of Design.Demographics[i]
// (0 = not answered); Answers[j] encodes Design.Items[j].
type Response struct {
	ID      string
	WaveID  string
	Demo    []byte
	Answers []byte
}

// EncodeAnswer stores scale value v.
func EncodeAnswer(v int) byte { return byte(v + 1) }

// DecodeAnswer returns the scale value of b; ok is false for missing and n/a.
func DecodeAnswer(b byte) (v int, ok bool) {
	if b == AnswerMissing || b == AnswerNA {
		return 0, false
	}
	return int(b) - 1, true
}

// DemoOption returns the option index of demographic i, or -1 when not answered.
func (r Response) DemoOption(i int) int {
	if i >= len(r.Demo) || r.Demo[i] == 0 {
		return -1
	}
	return int(r.Demo[i]) - 1
}

// Answer returns the raw answer byte of item j.
func (r Response) Answer(j int) byte {
	if j >= len(r.Answers) {
		return AnswerMissing
	}
	return r.Answers[j]
}
