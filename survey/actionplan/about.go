package actionplan

import "fmt"

// About says in words what a focus area was taken from.
func About(f Focus) string {
	switch f.Source.Kind {
	case SourceGap:
		return fmt.Sprintf("%s, for %s (%s)", f.MetricName, f.Source.Option, f.Source.Dimension)
	case SourceBehaviour:
		return "How often people experience this: " + f.MetricName
	default:
		return f.MetricName
	}
}

// StatusLabel is a status in words.
func StatusLabel(status string) string {
	switch status {
	case StatusPlanned:
		return "Planned"
	case StatusInProgress:
		return "In progress"
	case StatusDone:
		return "Done"
	case StatusDropped:
		return "Dropped"
	}
	return status
}
