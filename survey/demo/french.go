package demo

import "github.com/allypulse/allypulse/survey"

// french is the demo's own texts in French, so the employee page can be
// seen in a second language: the questions of the framework come
// translated already (survey/framework/builtin_fr.go); the lead translates
// what they wrote. Options follow the design's order.
func french(title, intro string) survey.Translation {
	return survey.Translation{
		Title:    title,
		Intro:    intro,
		ThankYou: "Nous présentons ce que nous avons entendu lors de la réunion générale, deux semaines après la clôture de chaque enquête.",
		Demographics: map[string]survey.DemographicText{
			DimDepartment: {Label: "Service", Options: []string{"Ingénierie", "Ventes", "Opérations", "Marketing", "Finance", "Ressources humaines", "Juridique"}},
			DimLocation:   {Label: "Site", Options: []string{"Londres", "Manchester", "Berlin", "À distance"}},
			DimTenure:     {Label: "Ancienneté chez Northwind", Options: []string{"Moins d’un an", "De 1 à 3 ans", "De 3 à 5 ans", "Plus de 5 ans"}},
			DimGender:     {Label: "Genre", Options: []string{"Femme", "Homme", "Non binaire"}},
			DimEthnicity:  {Label: "Origine ethnique", Options: []string{"Asiatique", "Noire", "Métisse ou multiple", "Blanche", "Autre origine"}},
		},
		Comments: map[string]string{
			promptGeneral: "Souhaitez-vous ajouter quelque chose ?",
			promptChange:  "Quel changement rendrait Northwind plus inclusive ?",
		},
	}
}
