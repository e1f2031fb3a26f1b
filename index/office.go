package index

import "fmt"

// readDOCX is written by the Word reader's work (placeholder while it is).
func readDOCX(name string, data []byte) (*outline, error) {
	return nil, fmt.Errorf("%s : format Word pas encore lu", name)
}

// readODT is written by the OpenDocument reader's work (placeholder while it is).
func readODT(name string, data []byte) (*outline, error) {
	return nil, fmt.Errorf("%s : format OpenDocument pas encore lu", name)
}
