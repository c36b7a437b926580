package demo

import "math/rand/v2"

// generalComments answer "Anything else you would like to share?". A few
// carry contact details or handles, which the intake scrubs before storage.
var generalComments = []string{
	"My team is great, but I rarely hear what leadership is doing about inclusion beyond the yearly training.",
	"I appreciated the listening sessions last month. Please keep them going.",
	"Promotions still feel like they go to whoever is closest to the director.",
	"Meetings are scheduled at times that make it hard for parents to join. It adds up.",
	"I don't always feel safe raising concerns in our weekly review; the tone can get sharp.",
	"Happy to talk more about this, email me at sam.okafor@northwind.example if it helps.",
	"The new parental leave policy made a real difference to me. Thank you.",
	"People talk over each other in our stand-ups and the same voices win every time.",
	"I've seen real improvement since the manager training started.",
	"Remote colleagues are often an afterthought: decisions get made in the office kitchen.",
	"Some jokes in our channel cross the line and nobody says anything.",
	"Contact @jordan_ops if you want examples of how the rota is handed out unfairly.",
	"It would help if job levels and pay bands were published for everyone.",
	"I feel respected here and I can be myself at work.",
	"Our team lead actively asks the quieter people for their view. More of that, please.",
	"The ERGs do great work but it's all on volunteers' own time.",
	"Stretch projects always seem to go to the same two people.",
	"I worry that speaking up will be held against me at review time.",
	"Onboarding was lonely. Nobody explained how things really work here.",
	"Call me on 07700 900123 if you want to hear what happened in my last team.",
	"Prayer room is always booked for meetings.",
	"Glad this survey exists. Hope the results are actually shared with us.",
}

// changeComments answer "What one change would make Northwind a more
// inclusive place to work?".
var changeComments = []string{
	"Make inclusive behaviour part of every manager's objectives.",
	"Publish the promotion criteria and who was promoted, by level.",
	"Rotate meeting times so the Berlin office and remote people are not always last.",
	"Train managers on how to handle a complaint about bias properly.",
	"Give ERG leads time in their week for the work, and recognise it in reviews.",
	"Structured interviews with the same questions for every candidate.",
	"Stop booking the quiet room for meetings.",
	"Mentoring for people in their first year, not just for 'high potentials'.",
	"Share the results of this survey with everyone, not only the leadership team.",
	"A clear, anonymous way to report incidents, see https://forms.example/report as an example.",
	"More flexibility for carers.",
	"Let people who are new speak first in meetings.",
}

// Comments draws p's comments for one wave: most people leave none; a
// minority answer one or both prompts. used holds the texts already given in
// this wave, so that each reads only once per wave.
func (p Person) Comments(rng *rand.Rand, used map[string]bool) map[string]string {
	out := map[string]string{}
	draw := func(prompt string, chance float64, pool []string) {
		if rng.Float64() >= chance {
			return
		}
		text := pool[rng.IntN(len(pool))]
		if used[text] {
			return
		}
		used[text] = true
		out[prompt] = text
	}
	draw(promptGeneral, 0.08, generalComments)
	draw(promptChange, 0.05, changeComments)
	return out
}
