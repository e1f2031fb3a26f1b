package index

import "fmt"

func readSheet(name string, data []byte) (*outline, error) {
	return nil, fmt.Errorf("%s : feuille pas encore lue", name)
}
