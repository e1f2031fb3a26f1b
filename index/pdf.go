package index

import "fmt"

// readPDF is written by the PDF reader's work (placeholder while it is).
func readPDF(name string, data []byte) (*outline, error) {
	return nil, fmt.Errorf("%s : format PDF pas encore lu", name)
}
