package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// fieldTerms records which fields hold each term, read once from Bleve's own
// dictionaries: a query asks a term only of the fields that hold it. A
// clause for a term its field lacks matches nothing, yet costs Bleve a
// dictionary lookup, a searcher and its pooled matches; leaving it out
// multiplies every passage's score by one same factor (the query's norm and
// coordination change alike for all), so the ranking is the same.
type fieldTerms map[string]uint8

// exactBit is the bit of fieldExact, after those of fieldBoosts' fields
// (field i of fieldBoosts has bit i).
var exactBit = uint8(1) << len(fieldBoosts)

// readFieldTerms reads the dictionaries of every searched field of bi.
func readFieldTerms(bi bleve.Index) (fieldTerms, error) {
	ft := fieldTerms{}
	var fields []string
	for _, fb := range fieldBoosts {
		fields = append(fields, fb.field)
	}
	for i, field := range append(fields, fieldExact) {
		dict, err := bi.FieldDict(field)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", field, err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return nil, fmt.Errorf("field %s: %w", field, err)
			}
			if e == nil {
				break
			}
			ft[e.Term] |= 1 << i
		}
		if err := dict.Close(); err != nil {
			return nil, err
		}
	}
	return ft, nil
}

// has reports whether the field of bit holds term; with no dictionaries
// read (nil), every field may.
func (ft fieldTerms) has(term string, bit uint8) bool { return ft == nil || ft[term]&bit != 0 }
