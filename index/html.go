package index

import "fmt"

func readHTML(name string, data []byte) (*outline, error) {
	return nil, fmt.Errorf("%s : HTML pas encore lu", name)
}
