// Package xlsxtest checks a finished workbook, from its zip bytes, against the
// export rules (docs/anonymity.md, "Exports"). Tests of the builder and of the
// HTTP download both use it.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// forbiddenParts are package parts a clean export never holds: pivot caches
// and tables (they carry row-level data), cell comments and their VML
// drawings, a calculation chain (there are no formulas), external links,
// macros, data connections and query tables.
var forbiddenParts = []string{
	"xl/pivotCache/", "xl/pivotTables/", "xl/comments", "xl/threadedComments/", "xl/persons/",
	"xl/drawings/vmlDrawing", "xl/calcChain.xml", "xl/externalLinks/", "xl/vbaProject.bin",
	"xl/connections.xml", "xl/queryTables/", "docProps/custom.xml",
}

// Props are the document properties found in docProps.
type Props struct {
	Creator, LastModifiedBy, Created, Modified string
	// Application, Company and Manager come from docProps/app.xml.
	Application, Company, Manager string
}

// Report is what Check found.
type Report struct {
	// Violations lists every broken rule, empty for a clean workbook.
	Violations []string
	Props      Props
	// Parts lists every part name in the package.
	Parts []string
}

// Check opens the workbook and lists every violation of the export rules:
// forbidden parts, formulas (<f> elements) in any worksheet, hidden sheets,
// defined names (including the _xlnm._FilterDatabase that a sheet-level
// autofilter adds), and identifying document properties.
func Check(data []byte) (Report, error) {
	var rep Report
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return rep, fmt.Errorf("not a zip package: %w", err)
	}
	bad := func(format string, args ...any) {
		rep.Violations = append(rep.Violations, fmt.Sprintf(format, args...))
	}
	for _, zf := range zr.File {
		rep.Parts = append(rep.Parts, zf.Name)
		for _, p := range forbiddenParts {
			if strings.HasPrefix(zf.Name, p) {
				bad("forbidden part %s", zf.Name)
			}
		}
		body, err := readPart(zf)
		if err != nil {
			return rep, err
		}
		switch {
		case strings.HasPrefix(zf.Name, "xl/worksheets/") && strings.HasSuffix(zf.Name, ".xml"):
			if err := checkWorksheet(zf.Name, body, bad); err != nil {
				return rep, err
			}
		case zf.Name == "xl/workbook.xml":
			if err := checkWorkbook(body, bad); err != nil {
				return rep, err
			}
		case zf.Name == "docProps/core.xml":
			if err := readCore(body, &rep.Props); err != nil {
				return rep, err
			}
		case zf.Name == "docProps/app.xml":
			if err := readApp(body, &rep.Props); err != nil {
				return rep, err
			}
		}
	}
	p := rep.Props
	for name, v := range map[string]string{"creator": p.Creator, "lastModifiedBy": p.LastModifiedBy,
		"Application": p.Application, "Company": p.Company, "Manager": p.Manager} {
		if strings.TrimSpace(v) != "" {
			bad("document property %s is %q, want empty", name, v)
		}
	}
	return rep, nil
}

func readPart(zf *zip.File) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", zf.Name, err)
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// walk calls fn for every start element of an XML part.
func walk(name string, body []byte, fn func(xml.StartElement)) error {
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("parse %s: %w", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			fn(se)
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func checkWorksheet(name string, body []byte, bad func(string, ...any)) error {
	return walk(name, body, func(se xml.StartElement) {
		switch se.Name.Local {
		case "f":
			bad("%s holds a formula", name)
		case "row":
			if attr(se, "hidden") == "1" || attr(se, "hidden") == "true" {
				bad("%s has a hidden row %s", name, attr(se, "r"))
			}
		case "col":
			if attr(se, "hidden") == "1" || attr(se, "hidden") == "true" {
				bad("%s has hidden columns %s-%s", name, attr(se, "min"), attr(se, "max"))
			}
		case "legacyDrawing":
			bad("%s links a legacy (comment) drawing", name)
		}
	})
}

func checkWorkbook(body []byte, bad func(string, ...any)) error {
	return walk("xl/workbook.xml", body, func(se xml.StartElement) {
		switch se.Name.Local {
		case "definedNames":
			bad("workbook has defined names")
		case "definedName":
			bad("workbook defines the name %s", attr(se, "name"))
		case "sheet":
			if st := attr(se, "state"); st != "" && st != "visible" {
				bad("sheet %q is %s", attr(se, "name"), st)
			}
		case "pivotCaches":
			bad("workbook lists pivot caches")
		case "externalReferences":
			bad("workbook has external references")
		}
	})
}

func readCore(body []byte, p *Props) error {
	var core struct {
		Creator        string `xml:"creator"`
		LastModifiedBy string `xml:"lastModifiedBy"`
		Created        string `xml:"created"`
		Modified       string `xml:"modified"`
	}
	if err := xml.Unmarshal(body, &core); err != nil {
		return fmt.Errorf("parse docProps/core.xml: %w", err)
	}
	p.Creator, p.LastModifiedBy, p.Created, p.Modified = core.Creator, core.LastModifiedBy, core.Created, core.Modified
	return nil
}

func readApp(body []byte, p *Props) error {
	var app struct {
		Application string `xml:"Application"`
		Company     string `xml:"Company"`
		Manager     string `xml:"Manager"`
	}
	if err := xml.Unmarshal(body, &app); err != nil {
		return fmt.Errorf("parse docProps/app.xml: %w", err)
	}
	p.Application, p.Company, p.Manager = app.Application, app.Company, app.Manager
	return nil
}
